import type { SignatureId } from '@/gateway/crypto';
import { isGatewayError } from '@/gateway/errors';
import { parseRotationProof, verifyRotationProof } from '@/gateway/keys';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { AppError } from '../errors';
import { decodeNewIdentityKey } from '../identities/enroll-identity-key';
import type { Prisma } from '../generated/prisma/client';
import { loadKeyToRotate, nextKeyVersion, openRotation, pendingIdentityKey, rotatableKeySelect } from './open-rotation';

/**
 * A key holder's own rotation request (`pqgate rotate`), unauthenticated but signed by both the
 * enrolled key and the new one. Refused, and audited as refused, when either signature fails,
 * the time is off by more than five minutes, or the nonce was seen before.
 */
export async function submitClientRotation(body: unknown, now = Date.now()) {
  let parsed;
  try {
    parsed = parseRotationProof(body);
  } catch (e) {
    throw new AppError('invalid_input', isGatewayError(e) ? e.message : 'Malformed rotation request.');
  }
  const { statement } = parsed;
  const refuse = async (code: 'forbidden' | 'invalid_input' | 'conflict' | 'not_found', message: string, keyId?: string) => {
    await appendAuditEvent({ actorType: 'identity', actorId: statement.oldKeyId.slice(0, 16), action: 'rotations.request', targetType: 'key', targetId: keyId, decision: 'refused', details: { source: 'client', reason: message } });
    return new AppError(code, message);
  };
  const old = await db.key.findUnique({ where: { fingerprint: statement.oldKeyId }, select: { id: true, purpose: true, algorithm: true, publicKey: true, state: true, identity: { select: { status: true } } } });
  if (!old || old.purpose !== 'identity' || !old.publicKey) throw await refuse('not_found', 'No enrolled identity key has that key id.');
  try {
    verifyRotationProof(parsed, { algorithm: old.algorithm as SignatureId, publicKey: new Uint8Array(old.publicKey) }, now);
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    throw await refuse(e.code === 'bad_signature' ? 'forbidden' : 'invalid_input', e.message, old.id);
  }
  if (old.identity?.status !== 'active') throw await refuse('forbidden', `The identity is ${old.identity?.status ?? 'gone'}; an admin must re-enable it first.`, old.id);
  const dedupeKey = `client:${statement.nonce}`;
  if (await db.rotationRequest.findUnique({ where: { dedupeKey }, select: { id: true } })) throw await refuse('conflict', 'This rotation request was already submitted (replayed nonce).', old.id);
  let request;
  try {
    // The schedule may already have opened a request for this key, waiting for the holder's new key: fill it in.
    const waiting = await db.rotationRequest.findFirst({ where: { oldKeyId: old.id, status: 'pending', newKeyId: null }, select: { id: true } });
    const key = waiting ? await db.key.findUniqueOrThrow({ where: { id: old.id }, select: rotatableKeySelect }) : await loadKeyToRotate({ id: old.id });
    const decoded = await decodeNewIdentityKey(statement.newAlgorithm, statement.newPublicKey);
    const newKey = pendingIdentityKey(key, { algorithm: statement.newAlgorithm, ...decoded }, await nextKeyVersion(key));
    request = waiting
      ? await attachNewKey(waiting.id, newKey, { ...parsed.proof })
      : await openRotation({ old: key, source: 'client', reason: statement.reason || 'requested by the key holder (pqgate rotate)', newKey, clientProof: { ...parsed.proof }, dedupeKey });
  } catch (e) {
    if (e instanceof AppError) throw await refuse(e.code === 'not_found' ? 'not_found' : e.code === 'invalid_input' ? 'invalid_input' : 'conflict', e.message, old.id);
    throw e;
  }
  await appendAuditEvent({
    actorType: 'identity',
    actorId: statement.oldKeyId.slice(0, 16),
    action: 'rotations.request',
    targetType: 'rotation',
    targetId: request.id,
    decision: 'ok',
    details: { source: 'client', keyId: old.id, oldFingerprint: statement.oldKeyId, newFingerprint: request.newFingerprint, nonce: statement.nonce },
  });
  return { requestId: request.id, status: 'pending' as const, newKeyId: request.newFingerprint, requiredApprovals: request.requiredApprovals };
}


/** Puts the holder's new key into a request the schedule opened; only while it still has none. */
async function attachNewKey(requestId: string, newKey: Prisma.KeyUncheckedCreateInput, clientProof: Prisma.InputJsonValue) {
  return db.$transaction(async (tx) => {
    const created = await tx.key.create({ data: newKey, select: { id: true, fingerprint: true } });
    const updated = await tx.rotationRequest.updateMany({ where: { id: requestId, status: 'pending', newKeyId: null }, data: { newKeyId: created.id, newFingerprint: created.fingerprint, clientProof } });
    if (updated.count !== 1) throw new AppError('conflict', 'A new key was just submitted for this rotation; wait for the approver.');
    return tx.rotationRequest.findUniqueOrThrow({ where: { id: requestId }, select: { id: true, newFingerprint: true, requiredApprovals: true } });
  });
}
