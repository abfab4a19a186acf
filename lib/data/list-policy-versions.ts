import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** Policy versions, newest first, and the floors currently in force. */
export async function listPolicyVersions(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const [versions, floors] = await Promise.all([
    db.policyVersion.findMany({
      orderBy: { version: 'desc' },
      take: 100,
      select: { id: true, version: true, mode: true, active: true, comment: true, yaml: true, document: true, createdAt: true, createdBy: { select: { email: true } } },
    }),
    db.cryptoFloor.findMany({
      orderBy: { createdAt: 'asc' },
      select: { id: true, scope: true, floor: true, label: { select: { name: true } }, upstream: { select: { slug: true } }, tool: { select: { name: true, upstream: { select: { slug: true } } } } },
    }),
  ]);
  return { versions, floors };
}

/** What the simulator can choose from. */
export async function listSimulatorChoices(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const [identities, tools] = await Promise.all([
    db.identity.findMany({ orderBy: { name: 'asc' }, take: 500, select: { id: true, name: true, status: true } }),
    db.tool.findMany({ where: { status: { not: 'removed' } }, orderBy: [{ upstream: { slug: 'asc' } }, { name: 'asc' }], take: 2000, select: { name: true, upstream: { select: { slug: true } } } }),
  ]);
  return { identities, tools: tools.map((t) => `${t.upstream.slug}/${t.name}`) };
}
