import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { AppError } from '../errors';

/** One policy version's YAML (`active` for the one in force), for export. */
export async function getPolicyYaml(actor: SessionUser, version: string) {
  assertPermission(actor, 'console:read');
  const where = version === 'active' ? { active: true } : /^\d{1,9}$/.test(version) ? { version: Number(version) } : null;
  if (!where) throw new AppError('invalid_input', 'Ask for a version number or "active".');
  const policy = await db.policyVersion.findFirst({ where, select: { version: true, yaml: true } });
  if (!policy) throw new AppError('not_found', `There is no policy ${version === 'active' ? 'in force yet' : `v${version}`}.`);
  return policy;
}
