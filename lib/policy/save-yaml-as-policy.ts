import { AppError } from '../errors';
import { parsePolicyYaml } from './policy-document';
import { savePolicyVersion } from './save-policy-version';

// Not in a 'use server' file on purpose: every export of such a file is callable from the
// browser, and this one trusts its actorId. Only actions that checked the session call it.

/** Parses YAML and saves it as the next active version; problems come back line by line. */
export async function saveYamlAsPolicy(yaml: string, comment: string, actorId: string) {
  const parsed = parsePolicyYaml(yaml);
  if (!parsed.ok) {
    throw new AppError('invalid_input', `The policy has ${parsed.problems.length} problem(s); nothing was saved.`, {
      yaml: parsed.problems.map((p) => `line ${p.line}, column ${p.column}${p.path ? ` (${p.path})` : ''}: ${p.message}`),
    });
  }
  return savePolicyVersion({ document: parsed.document, yaml, comment, actorId });
}
