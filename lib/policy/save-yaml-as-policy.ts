import { db } from '../db';
import { AppError } from '../errors';
import { applyImport, type ImportStrategy } from './merge-policy';
import { policyChanges, type PolicyChange } from './policy-changes';
import { emptyPolicy, parsePolicyYaml, policyDocumentSchema, type PolicyDocument } from './policy-document';
import { savePolicyVersion } from './save-policy-version';

// Not in a 'use server' file on purpose: every export of such a file is callable from the
// browser, and this one trusts its actorId. Only actions that checked the session call it.

/** Parses policy YAML, or throws `invalid_input` listing every problem with its line. */
export function parsePolicyOrThrow(yaml: string): PolicyDocument {
  const parsed = parsePolicyYaml(yaml);
  if (parsed.ok) return parsed.document;
  throw new AppError('invalid_input', `The policy has ${parsed.problems.length} problem(s); nothing was saved.`, {
    yaml: parsed.problems.map((p) => `line ${p.line}, column ${p.column}${p.path ? ` (${p.path})` : ''}: ${p.message}`),
  });
}

/**
 * What saving `yaml` would change in the policy in force, without saving: the list an admin
 * confirms, and the version it was computed against (to hand back with the confirmation).
 */
export async function previewYamlAsPolicy(yaml: string, strategy: ImportStrategy): Promise<{ reviewedVersion: number; changes: PolicyChange[] }> {
  const imported = parsePolicyOrThrow(yaml);
  const active = await db.policyVersion.findFirst({ where: { active: true }, select: { version: true, document: true } });
  const current = active ? policyDocumentSchema.parse(active.document) : emptyPolicy();
  return { reviewedVersion: active?.version ?? 0, changes: policyChanges(current, applyImport(current, imported, yaml, strategy)) };
}

/**
 * Saves YAML as the next active version, merged into the policy in force or replacing it, as
 * reviewed against `reviewedVersion`; returns the changes it made. Problems come back line by line.
 */
export async function saveYamlAsPolicy(input: { yaml: string; strategy: ImportStrategy; reviewedVersion: number; comment: string; actorId: string }) {
  const imported = parsePolicyOrThrow(input.yaml);
  let changes: PolicyChange[] = [];
  const saved = await savePolicyVersion({
    document: (current) => {
      const next = applyImport(current, imported, input.yaml, input.strategy);
      changes = policyChanges(current, next);
      return next;
    },
    // A replacing file is kept as written (comments included); a merge is stored as the merged document.
    yaml: input.strategy === 'replace' ? input.yaml : undefined,
    reviewedVersion: input.reviewedVersion,
    comment: input.comment,
    actorId: input.actorId,
  });
  return { ...saved, changes };
}
