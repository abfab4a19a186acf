import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { AppError } from '../errors';
import { keyDueness } from '../rotations/rotation-settings';

/** One rotation request with its approvals, both keys' fingerprints and ages, and the key's history. */
export async function getRotation(actor: SessionUser, id: string) {
  assertPermission(actor, 'console:read');
  const request = await db.rotationRequest.findUnique({
    where: { id },
    select: {
      id: true, source: true, kind: true, reason: true, status: true, createdAt: true, decidedAt: true, requiredApprovals: true, overlapSeconds: true, newFingerprint: true, requestedById: true,
      requestedBy: { select: { email: true, name: true } },
      oldKey: { select: { id: true, purpose: true, owner: true, version: true, algorithm: true, state: true, fingerprint: true, createdAt: true, activatedAt: true, retireAt: true, maxAgeDays: true, identity: { select: { name: true } } } },
      newKey: { select: { id: true, version: true, algorithm: true, state: true, fingerprint: true, createdAt: true } },
      approvals: { orderBy: { createdAt: 'asc' }, select: { id: true, decision: true, reason: true, createdAt: true, approverId: true, approver: { select: { email: true } } } },
    },
  });
  if (!request) throw new AppError('not_found', 'That rotation request does not exist.');
  return { ...request, oldKeyDueness: keyDueness(request.oldKey) };
}

/** Every version of a key (same purpose and owner) and every rotation request about them, oldest first, as one timeline. */
export async function getKeyHistory(actor: SessionUser, keyId: string) {
  assertPermission(actor, 'console:read');
  const key = await db.key.findUnique({ where: { id: keyId }, select: { purpose: true, owner: true, identity: { select: { name: true } } } });
  if (!key) throw new AppError('not_found', 'That key does not exist.');
  const versions = await db.key.findMany({
    where: { purpose: key.purpose, owner: key.owner },
    orderBy: { version: 'asc' },
    select: {
      id: true, version: true, state: true, algorithm: true, fingerprint: true, createdAt: true, activatedAt: true, retiringAt: true, retiredAt: true, retireAt: true, revokedAt: true,
      rotationsOld: { orderBy: { createdAt: 'asc' }, select: { id: true, source: true, kind: true, status: true, reason: true, createdAt: true, decidedAt: true, newFingerprint: true, requestedBy: { select: { email: true } }, approvals: { select: { decision: true, reason: true, createdAt: true, approver: { select: { email: true } } } } } },
    },
  });
  type Entry = { at: Date; what: string; detail?: string; href?: string };
  const entries: Entry[] = [];
  for (const v of versions) {
    entries.push({ at: v.createdAt, what: `v${v.version} created`, detail: `${v.algorithm} ${v.fingerprint.slice(0, 16)}…` });
    if (v.activatedAt) entries.push({ at: v.activatedAt, what: `v${v.version} active` });
    if (v.retiringAt) entries.push({ at: v.retiringAt, what: `v${v.version} retiring`, detail: v.retireAt ? `accepted until ${v.retireAt.toISOString()}` : undefined });
    if (v.retiredAt) entries.push({ at: v.retiredAt, what: `v${v.version} retired` });
    if (v.revokedAt) entries.push({ at: v.revokedAt, what: `v${v.version} revoked` });
    for (const r of v.rotationsOld) {
      entries.push({ at: r.createdAt, what: `${r.kind === 'revoke' ? 'revocation' : 'rotation'} of v${v.version} requested (${r.source})`, detail: `${r.requestedBy?.email ?? r.source}: ${r.reason}`, href: `/rotations/${r.id}` });
      for (const a of r.approvals) entries.push({ at: a.createdAt, what: a.decision === 'approve' ? 'approved' : 'rejected', detail: `${a.approver.email}: ${a.reason}`, href: `/rotations/${r.id}` });
    }
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { purpose: key.purpose, owner: key.identity?.name ?? key.owner, versions, entries };
}
