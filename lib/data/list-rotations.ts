import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** Rotation requests (newest first) and the keys they are about. */
export async function listRotations(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const [requests, keys] = await Promise.all([
    db.rotationRequest.findMany({
      orderBy: { createdAt: 'desc' },
      take: 200,
      select: {
        id: true, source: true, reason: true, status: true, createdAt: true, requiredApprovals: true,
        oldKey: { select: { purpose: true, owner: true, version: true, fingerprint: true } },
        requestedBy: { select: { email: true } },
        _count: { select: { approvals: true } },
      },
    }),
    db.key.findMany({
      where: { state: { not: 'retired' } },
      orderBy: [{ purpose: 'asc' }, { version: 'desc' }],
      take: 500,
      select: { id: true, purpose: true, owner: true, version: true, state: true, algorithm: true, fingerprint: true, createdAt: true, maxAgeDays: true },
    }),
  ]);
  return { requests, keys };
}
