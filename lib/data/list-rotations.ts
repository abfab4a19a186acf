import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { keyDueness, keyExpiresAt } from '../rotations/rotation-settings';

/**
 * The Rotations page: the queue (pending requests, and keys due soon or overdue with no request
 * yet), decided requests (newest first), and every key not yet retired or revoked. Public keys and sealed
 * secrets are never selected: the page shows fingerprints only.
 */
export async function listRotations(actor: SessionUser, now = Date.now()) {
  assertPermission(actor, 'console:read');
  const requestSelect = {
    id: true, source: true, kind: true, reason: true, status: true, createdAt: true, decidedAt: true, requiredApprovals: true, overlapSeconds: true, newFingerprint: true, requestedById: true,
    oldKey: { select: { id: true, purpose: true, owner: true, version: true, fingerprint: true, identity: { select: { name: true } } } },
    requestedBy: { select: { email: true } },
    approvals: { select: { decision: true, approverId: true } },
  } as const;
  const [pending, decided, keys] = await Promise.all([
    db.rotationRequest.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, take: 200, select: requestSelect }),
    db.rotationRequest.findMany({ where: { status: { not: 'pending' } }, orderBy: { createdAt: 'desc' }, take: 50, select: requestSelect }),
    db.key.findMany({
      where: { state: { notIn: ['retired', 'revoked'] } },
      orderBy: [{ purpose: 'asc' }, { owner: 'asc' }, { version: 'desc' }],
      take: 500,
      select: {
        id: true, purpose: true, owner: true, version: true, state: true, algorithm: true, fingerprint: true, createdAt: true, activatedAt: true, retireAt: true, maxAgeDays: true,
        identity: { select: { name: true } },
        _count: { select: { rotationsOld: { where: { status: 'pending' } } } },
      },
    }),
  ]);
  const withDue = keys.map((k) => ({ ...k, dueness: k.state === 'active' ? keyDueness(k, now) : ('ok' as const), expiresAt: keyExpiresAt(k), openRequests: k._count.rotationsOld }));
  return {
    pending,
    due: withDue.filter((k) => k.dueness !== 'ok' && k.openRequests === 0),
    decided,
    keys: withDue,
  };
}

/** A key's display name: what it belongs to and its version. */
export function keyLabel(key: { purpose: string; owner: string; version: number; identity?: { name: string } | null }): string {
  const owner = key.identity?.name ?? (key.owner.startsWith('gateway:') ? `gateway ${key.owner.slice(8)}` : key.owner);
  return `${key.purpose.replace('_', ' ')} · ${owner} · v${key.version}`;
}
