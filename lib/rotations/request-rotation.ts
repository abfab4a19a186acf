import type { SignatureId } from '@/gateway/crypto';
import { decodeNewIdentityKey } from '../identities/enroll-identity-key';
import { AppError } from '../errors';
import { loadKeyToRotate, nextKeyVersion, openRotation, pendingIdentityKey } from './open-rotation';

/**
 * An admin asks to replace a key. Gateway keys get a generated successor; an identity key's
 * successor is the public key the holder gave the admin (its secret never reaches the server).
 */
export async function requestRotation(input: { keyId: string; reason: string; overlapSeconds?: number; algorithm?: SignatureId; publicKey?: string }, requestedById: string) {
  const old = await loadKeyToRotate({ id: input.keyId });
  let newKey;
  if (old.purpose === 'identity') {
    if (!input.publicKey) throw new AppError('invalid_input', 'Paste the new public key of this identity.', { publicKey: ['The holder runs pqgate keygen, then pqgate pubkey, and sends you the key.'] });
    const algorithm = input.algorithm ?? (old.algorithm as SignatureId);
    const decoded = await decodeNewIdentityKey(algorithm, input.publicKey);
    newKey = pendingIdentityKey(old, { algorithm, ...decoded }, await nextKeyVersion(old));
  }
  const request = await openRotation({ old, source: 'admin', reason: input.reason, requestedById, overlapSeconds: input.overlapSeconds, newKey });
  return { ...request, oldKey: { id: old.id, purpose: old.purpose, version: old.version, fingerprint: old.fingerprint } };
}
