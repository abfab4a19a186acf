import { appendAuditEvent } from '../audit/append-audit-event';
import type { SessionUser } from '../auth/permission';
import { db } from '../db';
import { AppError } from '../errors';

/**
 * Records an approver's decision. The two-person rule is enforced here, on the server: the
 * requester can neither approve nor reject their own request, and each approver counts once.
 * A rejection closes the request and deletes its pending key; the last approval needed
 * completes it: the new key becomes active and the old one retiring until the overlap ends, or,
 * for a revocation, revoked at once with its secret erased.
 */
export async function decideRotation(input: { requestId: string; decision: 'approve' | 'reject'; reason: string }, approver: SessionUser, now = new Date()) {
  const request = await db.rotationRequest.findUnique({
    where: { id: input.requestId },
    select: {
      id: true, status: true, kind: true, requestedById: true, requiredApprovals: true, overlapSeconds: true, newKeyId: true, oldKeyId: true,
      oldKey: { select: { purpose: true, version: true, fingerprint: true } },
      approvals: { select: { approverId: true, decision: true } },
    },
  });
  if (!request) throw new AppError('not_found', 'That rotation request no longer exists. Reload the page.');
  if (request.status !== 'pending') throw new AppError('conflict', `This request is already ${request.status}.`);
  if (request.requestedById === approver.id) {
    throw new AppError('forbidden', 'You requested this rotation, so you cannot decide it: another approver must (two-person rule).');
  }
  if (request.approvals.some((a) => a.approverId === approver.id)) throw new AppError('conflict', 'You already approved this request; it needs another approver.');
  // A revocation of a retiring key has no new key: its successor is already active.
  if (input.decision === 'approve' && !request.newKeyId && request.kind !== 'revoke') {
    throw new AppError('conflict', 'This request has no new key yet: the key holder must submit one with pqgate rotate.');
  }
  const approvals = request.approvals.filter((a) => a.decision === 'approve').length + (input.decision === 'approve' ? 1 : 0);
  const completes = input.decision === 'approve' && approvals >= request.requiredApprovals;

  const result = await db.$transaction(async (tx) => {
    await tx.rotationApproval.create({ data: { requestId: request.id, approverId: approver.id, decision: input.decision, reason: input.reason } });
    const outcome = input.decision === 'reject' ? 'rejected' : completes ? 'completed' : 'pending';
    if (outcome !== 'pending') {
      // Only one decision closes a request, whichever replica or approver gets here first.
      const closed = await tx.rotationRequest.updateMany({ where: { id: request.id, status: 'pending' }, data: { status: outcome, decidedAt: now } });
      if (closed.count !== 1) throw new AppError('conflict', 'Someone decided this request a moment ago. Reload the page.');
    }
    if (outcome === 'rejected' && request.newKeyId) {
      // The proposed key was never used; deleting it keeps the key versions gap-free (the trust bundle refuses gaps).
      await tx.key.deleteMany({ where: { id: request.newKeyId, state: 'pending' } });
    }
    if (outcome === 'completed' && request.newKeyId) {
      await tx.key.update({ where: { id: request.newKeyId }, data: { state: 'active', activatedAt: now } });
    }
    if (outcome === 'completed' && request.kind === 'revoke') {
      // No overlap and no secret left: nothing can sign with it again, and the bundle says revoked.
      // (A key the schedule retired while the request waited is revoked all the same.)
      await tx.key.updateMany({ where: { id: request.oldKeyId, state: { in: ['active', 'retiring', 'retired'] } }, data: { state: 'revoked', revokedAt: now, retireAt: null, secretSealed: null } });
    } else if (outcome === 'completed') {
      await tx.key.update({ where: { id: request.oldKeyId }, data: { state: 'retiring', retiringAt: now, retireAt: new Date(now.getTime() + request.overlapSeconds * 1000) } });
    }
    return { id: request.id, kind: request.kind, oldKeyId: request.oldKeyId, outcome, approvals, requiredApprovals: request.requiredApprovals, oldKey: request.oldKey, overlapSeconds: request.overlapSeconds };
  });
  if (result.outcome === 'completed' && result.kind === 'revoke') {
    // The key's own event, beside the approval the action records: who revoked which key, and why.
    await appendAuditEvent({ actorType: 'user', actorId: approver.id, action: 'keys.revoke', targetType: 'key', targetId: request.oldKeyId, decision: 'ok', details: { purpose: request.oldKey.purpose, version: request.oldKey.version, fingerprint: request.oldKey.fingerprint, rotation: request.id, reason: input.reason } });
  }
  return result;
}
