import { db } from '../db';
import { policyDocumentSchema } from '../policy/policy-document';
import { savePolicyVersion } from '../policy/save-policy-version';
import type { Env } from '../env';
import { DEMO_UPSTREAMS, demoUpstreamUrl } from './demo-config';

const DEMO_LABELS = [
  { name: 'healthcare', description: 'Patient and clinical data (HIPAA); long secrecy life.' },
  { name: 'pii', description: 'Personal data of identifiable people.' },
  { name: 'finance', description: 'Payments, accounts and financial records.' },
  { name: 'retail', description: 'Products, stock and orders.' },
];

/**
 * Registers the demo upstreams, the common labels and a first policy (healthcare tools need
 * ML-KEM-768), once: an admin's later changes are never overwritten on restart.
 */
export async function seedDemo(e: Pick<Env, 'PQGATE_DEMO_CLINIC_PORT' | 'PQGATE_DEMO_INVENTORY_PORT'>): Promise<void> {
  for (const label of DEMO_LABELS) {
    await db.label.upsert({ where: { name: label.name }, create: label, update: {} });
  }
  for (const upstream of DEMO_UPSTREAMS) {
    const url = demoUpstreamUrl(e[upstream.portVariable]);
    await db.upstream.upsert({
      where: { slug: upstream.slug },
      create: { slug: upstream.slug, name: upstream.name, description: upstream.description, transport: 'http', url, labels: [...upstream.labels] },
      // The port may differ between runs; everything else stays as the admin left it.
      update: { url },
    });
  }
  if ((await db.policyVersion.count()) === 0) {
    const document = policyDocumentSchema.parse({ floors: { labels: { healthcare: 'ML-KEM-768' } } });
    await savePolicyVersion({ document, comment: 'Demo: healthcare tools need ML-KEM-768', actorId: null });
  }
}
