/** Facts and checks both providers share, so that they cannot drift apart. */
import { GatewayError } from '../errors';
import { concatBytes } from './bytes';
import type { KemLengths, SignatureLengths } from './provider';
import { MAX_CONTEXT_LENGTH } from './provider';
import type { HashId, KemId, SignatureId } from './suites';

/** Byte lengths per KEM (FIPS 203 §8, X-Wing draft §5, RFC 7748). */
export const KEM_LENGTHS: Readonly<Record<KemId, KemLengths>> = Object.freeze({
  X25519: Object.freeze({ seed: 32, publicKey: 32, cipherText: 32, sharedSecret: 32, encapsulationRandomness: 32 }),
  'X-Wing': Object.freeze({ seed: 32, publicKey: 1216, cipherText: 1120, sharedSecret: 32, encapsulationRandomness: 64 }),
  'ML-KEM-768': Object.freeze({ seed: 64, publicKey: 1184, cipherText: 1088, sharedSecret: 32, encapsulationRandomness: 32 }),
  'ML-KEM-1024': Object.freeze({ seed: 64, publicKey: 1568, cipherText: 1568, sharedSecret: 32, encapsulationRandomness: 32 }),
});

/** Byte lengths per signature scheme (FIPS 204 Table 2, RFC 8032). */
export const SIGNATURE_LENGTHS: Readonly<Record<SignatureId, SignatureLengths>> = Object.freeze({
  Ed25519: Object.freeze({ seed: 32, publicKey: 32, signature: 64 }),
  'ML-DSA-65': Object.freeze({ seed: 32, publicKey: 1952, signature: 3309 }),
  'ML-DSA-87': Object.freeze({ seed: 32, publicKey: 2592, signature: 4627 }),
});

/** Digest lengths. */
export const HASH_LENGTHS: Readonly<Record<HashId, number>> = Object.freeze({ 'SHA-256': 32, 'SHA-384': 48 });

/** Options `Signer.sign` accepts; anything else is refused. */
export const SIGN_OPTION_KEYS = ['deterministic'] as const;

/** Shape shared by both AEADs. */
export const AEAD_SHAPE = Object.freeze({ keyLength: 32, nonceLength: 12, tagLength: 16 } as const);

/** ML-DSA contexts are at most 255 bytes; we enforce the same for Ed25519's emulated context. */
export function checkContext(context: Uint8Array): void {
  if (!(context instanceof Uint8Array) || context.length > MAX_CONTEXT_LENGTH) {
    throw new GatewayError('invalid_argument', `signature context must be a Uint8Array of at most ${MAX_CONTEXT_LENGTH} bytes`);
  }
}

/**
 * Pure Ed25519 has no context input, so we prepend one the way FIPS 204 §5.2 builds M' for
 * ML-DSA: 0x00 || len(ctx) || ctx || M. Both providers share this so signatures interoperate.
 */
export function ed25519Message(message: Uint8Array, context: Uint8Array): Uint8Array {
  checkContext(context);
  return concatBytes(Uint8Array.of(0, context.length), context, message);
}

/** RFC 7748 §6.1: an all-zero X25519 output means a low-order peer key; refuse it. */
export function checkSharedSecret(ss: Uint8Array): Uint8Array {
  let acc = 0;
  for (const b of ss) acc |= b;
  if (acc === 0) throw new GatewayError('invalid_key', 'X25519 produced an all-zero shared secret');
  return ss;
}

/** Runs a primitive on peer-supplied keys; library errors become `invalid_key`. */
export function guardKey<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    throw new GatewayError('invalid_key', `${what} public key or ciphertext rejected`);
  }
}

/** Registry lookup that refuses unknown algorithm names with the list of known ones. */
export function pick<K extends string, V>(table: Record<K, V>, id: K, what: string): V {
  if (!Object.prototype.hasOwnProperty.call(table, id)) {
    throw new GatewayError('invalid_argument', `unknown ${what} "${String(id)}"; known: ${Object.keys(table).join(', ')}`);
  }
  return table[id];
}
