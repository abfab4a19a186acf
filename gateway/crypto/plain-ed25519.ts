/**
 * Plain RFC 8032 Ed25519, with no context prefix. The provider's Ed25519 prepends a FIPS 204
 * style context (see common.ts) so that channel signatures carry a role; external formats that
 * define their own domain separation — the C2SP `cosignature/v1` message starts with its own
 * header line — need the bare scheme to interoperate with other implementations.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { assertBytes } from './bytes';
import { SIGNATURE_LENGTHS } from './common';

const L = SIGNATURE_LENGTHS.Ed25519;

/** The public key of a 32-byte Ed25519 seed. */
export function plainEd25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(assertBytes(seed, L.seed, 'Ed25519 seed'));
}

/** RFC 8032 Ed25519 signature of `message` under the 32-byte `seed`. */
export function plainEd25519Sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
  return ed25519.sign(assertBytes(message, undefined, 'message'), assertBytes(seed, L.seed, 'Ed25519 seed'));
}

/** False for any invalid signature or malformed input; never throws for untrusted data. */
export function plainEd25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== L.signature) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== L.publicKey || !(message instanceof Uint8Array)) return false;
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
