import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** Policy versions, newest first, and the floors currently attached to labels and upstreams. */
export async function listPolicyVersions(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const [versions, floors] = await Promise.all([
    db.policyVersion.findMany({
      orderBy: { version: 'desc' },
      take: 50,
      select: { id: true, version: true, mode: true, active: true, comment: true, yaml: true, createdAt: true, createdBy: { select: { email: true } } },
    }),
    db.cryptoFloor.findMany({
      orderBy: { createdAt: 'asc' },
      select: { id: true, scope: true, floor: true, label: { select: { name: true } }, upstream: { select: { slug: true } }, tool: { select: { name: true, upstream: { select: { slug: true } } } } },
    }),
  ]);
  return { versions, floors };
}
