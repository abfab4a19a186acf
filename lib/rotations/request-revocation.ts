import { db } from '../db';
import { AppError } from '../errors';
import { openRotation, rotatableKeySelect } from './open-rotation';

/** Key states a revocation can start from; a retired key is already refused everywhere. */
const REVOCABLE_STATES = ['active', 'retiring'] as const;

/**
 * An admin asks to revoke a gateway signing key (its secret may be known to someone else). Like a
 * rotation it waits for another approver (two-person rule): revoking the active key replaces the
 * key every connector trusts, and one stolen admin session must not be able to do that alone.
 * Revoking the active key generates its successor now (published as the next key, so connectors
 * already trust it); revoking a retiring key ends its overlap early. On approval the key is
 * `revoked` at once, its secret erased, and the signed trust bundle says so.
 */
export async function requestRevocation(input: { keyId: string; reason: string }, requestedById: string) {
  const key = await db.key.findUnique({ where: { id: input.keyId }, select: rotatableKeySelect });
  if (!key) throw new AppError('not_found', 'That key no longer exists. Reload the page.');
  if (key.purpose !== 'gateway_signing') {
    throw new AppError('invalid_input', 'Only gateway signing keys are revoked here. Disable an identity on its page; rotate a ticket key (sessions on it re-handshake once it is retired).');
  }
  if (!(REVOCABLE_STATES as readonly string[]).includes(key.state)) {
    throw new AppError('conflict', key.state === 'pending' ? 'This key is still pending: reject its rotation instead.' : `This key is already ${key.state}: connectors refuse it.`);
  }
  const open = await db.rotationRequest.findFirst({ where: { oldKeyId: key.id, status: 'pending' }, select: { id: true } });
  if (open) throw new AppError('conflict', 'A rotation or revocation of this key is already waiting for approval; decide that one first (reject it to request a revocation instead).');
  const request = await openRotation({ old: key, source: 'admin', kind: 'revoke', reason: input.reason, requestedById, overlapSeconds: 0, withSuccessor: key.state === 'active' });
  return { ...request, oldKey: { id: key.id, purpose: key.purpose, version: key.version, state: key.state, fingerprint: key.fingerprint } };
}
