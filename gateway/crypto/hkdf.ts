/**
 * HKDF (RFC 5869) built on a provider's HMAC, so both providers share one implementation.
 */
import { GatewayError } from '../errors';
import { assertBytes, concatBytes, wipe } from './bytes';
import type { Hash } from './provider';

/** HKDF-Extract(salt, ikm) = HMAC(salt, ikm); an empty salt means HashLen zero bytes (§2.2). */
export function hkdfExtract(hash: Hash, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  assertBytes(ikm, undefined, 'ikm');
  const s = assertBytes(salt, undefined, 'salt').length ? salt : new Uint8Array(hash.outputLength);
  return hash.hmac(s, ikm);
}

/** HKDF-Expand(prk, info, length) (§2.3). */
export function hkdfExpand(hash: Hash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  assertBytes(prk, hash.outputLength, 'prk');
  assertBytes(info, undefined, 'info');
  if (!Number.isInteger(length) || length < 1 || length > 255 * hash.outputLength) {
    throw new GatewayError('invalid_argument', `HKDF length ${length} out of range`);
  }
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, o = 0; o < length; i++) {
    const block = hash.hmac(prk, concatBytes(t, info, Uint8Array.of(i)));
    wipe(t);
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
    t = block;
  }
  wipe(t);
  return out;
}
