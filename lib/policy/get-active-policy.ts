import { db } from '../db';
import { emptyPolicy, policyDocumentSchema, type PolicyDocument } from './policy-document';

/** The policy in force: the active version's document, or the empty policy before any was saved. */
export async function getActivePolicy(): Promise<{ version: number | null; document: PolicyDocument; yaml: string | null }> {
  const active = await db.policyVersion.findFirst({ where: { active: true }, select: { version: true, document: true, yaml: true } });
  if (!active) return { version: null, document: emptyPolicy(), yaml: null };
  return { version: active.version, document: policyDocumentSchema.parse(active.document), yaml: active.yaml };
}
