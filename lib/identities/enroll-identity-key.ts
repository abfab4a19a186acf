import { keyIdOf } from '@/gateway/channel';
import { fromBase64Url, getCryptoProvider, toHex, type SignatureId } from '@/gateway/crypto';
import { db } from '../db';
import { AppError } from '../errors';

const IDENTITY_KEY_MAX_AGE_DAYS = 365;

/**
 * Enrolls a public key for an identity. Only the public key ever reaches the server. The
 * key must have the exact length of its algorithm; the first key of an identity becomes
 * active at once (later keys arrive through a rotation, which a second admin approves).
 */
export async function enrollIdentityKey(input: { identityId: string; algorithm: SignatureId; publicKey: string }) {
  const identity = await db.identity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true, status: true } });
  if (!identity) throw new AppError('not_found', 'That identity no longer exists. Reload the page.');
  if (identity.status === 'revoked') throw new AppError('conflict', `${identity.name} is revoked; create a new identity instead.`);
  let publicKey: Uint8Array;
  try {
    publicKey = fromBase64Url(input.publicKey);
  } catch {
    throw new AppError('invalid_input', 'That is not base64url.', { publicKey: ['Paste the key exactly as `pqgate pubkey` prints it.'] });
  }
  const expected = getCryptoProvider().signature(input.algorithm).lengths.publicKey;
  if (publicKey.length !== expected) {
    throw new AppError('invalid_input', `An ${input.algorithm} public key is ${expected} bytes; this one is ${publicKey.length}.`, {
      publicKey: [`Expected ${expected} bytes for ${input.algorithm}. Check the algorithm, and paste the whole key.`],
    });
  }
  const fingerprint = toHex(keyIdOf(publicKey));
  if (await db.key.findUnique({ where: { fingerprint }, select: { id: true } })) {
    throw new AppError('conflict', 'This key is already enrolled.', { publicKey: ['Already enrolled (to this or another identity).'] });
  }
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
