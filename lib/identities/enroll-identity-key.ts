import { keyIdOf } from '@/gateway/channel';
import { fromBase64Url, getCryptoProvider, toHex, type SignatureId } from '@/gateway/crypto';
import { db } from '../db';
import { AppError } from '../errors';

export const IDENTITY_KEY_MAX_AGE_DAYS = 365;

/**
 * Decodes a pasted public key, checks its length for the algorithm and that it is not enrolled
 * anywhere yet (enrollment and rotation both take new keys through here).
 */
export async function decodeNewIdentityKey(algorithm: SignatureId, encoded: string): Promise<{ publicKey: Uint8Array; fingerprint: string }> {
  let publicKey: Uint8Array;
  try {
    publicKey = fromBase64Url(encoded);
  } catch {
    throw new AppError('invalid_input', 'That is not base64url.', { publicKey: ['Paste the key exactly as `pqgate pubkey` prints it.'] });
  }
  const expected = getCryptoProvider().signature(algorithm).lengths.publicKey;
  if (publicKey.length !== expected) {
    throw new AppError('invalid_input', `An ${algorithm} public key is ${expected} bytes; this one is ${publicKey.length}.`, {
      publicKey: [`Expected ${expected} bytes for ${algorithm}. Check the algorithm, and paste the whole key.`],
    });
  }
  const fingerprint = toHex(keyIdOf(publicKey));
  if (await db.key.findUnique({ where: { fingerprint }, select: { id: true } })) {
    throw new AppError('conflict', 'This key is already enrolled.', { publicKey: ['Already enrolled (to this or another identity).'] });
  }
  return { publicKey, fingerprint };
}

/**
 * Enrolls a public key for an identity. Only the public key ever reaches the server. The
 * key must have the exact length of its algorithm; the first key of an identity becomes
 * active at once (later keys arrive through a rotation, which a second admin approves).
 */
export async function enrollIdentityKey(input: { identityId: string; algorithm: SignatureId; publicKey: string }) {
  const identity = await db.identity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true, status: true } });
  if (!identity) throw new AppError('not_found', 'That identity no longer exists. Reload the page.');
  if (identity.status === 'revoked') throw new AppError('conflict', `${identity.name} is revoked; create a new identity instead.`);
  const { publicKey, fingerprint } = await decodeNewIdentityKey(input.algorithm, input.publicKey);
  const active = await db.key.findFirst({ where: { identityId: identity.id, purpose: 'identity', state: { in: ['active', 'pending'] } }, select: { id: true } });
  if (active) {
    throw new AppError('conflict', `${identity.name} already has a key. Replace it with a rotation (pqgate rotate, or the Rotations page) so a second admin approves the change.`);
  }
  const version = (await db.key.count({ where: { identityId: identity.id, purpose: 'identity' } })) + 1;
  const key = await db.key.create({
    data: { purpose: 'identity', owner: identity.id, identityId: identity.id, version, state: 'active', algorithm: input.algorithm, fingerprint, publicKey: new Uint8Array(publicKey), maxAgeDays: IDENTITY_KEY_MAX_AGE_DAYS, activatedAt: new Date() },
    select: { id: true, fingerprint: true, version: true },
  });
  return { ...key, identityName: identity.name };
}
