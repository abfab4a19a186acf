/**
 * The crypto provider interface. Two implementations (noble, native `node:crypto`) produce
 * byte-identical keys, ciphertexts and signatures, so either side of a channel may use either.
 *
 * Key formats are the provider-neutral ones: secret keys are seeds (ML-KEM: d||z, 64 bytes;
 * X-Wing and X25519: 32 bytes; ML-DSA and Ed25519: 32 bytes), public keys, ciphertexts and
 * signatures are the raw encodings of FIPS 203 / FIPS 204 / RFC 7748 / RFC 8032 / X-Wing.
 */
import type { AeadId, HashId, KemId, SignatureId } from './suites';

/** Byte lengths of a KEM. */
export interface KemLengths {
  readonly seed: number;
  readonly publicKey: number;
  readonly cipherText: number;
  readonly sharedSecret: number;
  /** Length of the optional deterministic encapsulation randomness. */
  readonly encapsulationRandomness: number;
}

/** A key encapsulation mechanism. */
export interface Kem {
  readonly id: KemId;
  readonly lengths: KemLengths;
  /** Derives the public key from a seed (the seed is the secret key). */
  publicKeyFromSeed(seed: Uint8Array): Uint8Array;
  /**
   * Encapsulates to `publicKey`. `randomness` makes it deterministic (known-answer tests only);
   * the native provider cannot take it and refuses.
   */
  encapsulate(publicKey: Uint8Array, randomness?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  /** Decapsulates with the seed; ML-KEM implicit rejection returns a pseudo-random secret. */
  decapsulate(cipherText: Uint8Array, seed: Uint8Array): Uint8Array;
}

/** Byte lengths of a signature scheme. */
export interface SignatureLengths {
  readonly seed: number;
  readonly publicKey: number;
  readonly signature: number;
}

/** Options for signing. */
export interface SignOptions {
  /** Deterministic ML-DSA (rnd = 0^32, FIPS 204 Algorithm 2); for known-answer tests. */
  readonly deterministic?: boolean;
}

/** A signing key imported once and used many times (the expanded key stays inside). */
export interface Signer {
  readonly publicKey: Uint8Array;
  /** Signs `message` under `context` (ML-DSA context string; for Ed25519 see the README). */
  sign(message: Uint8Array, context: Uint8Array, options?: SignOptions): Uint8Array;
}

/** A signature scheme. */
export interface SignatureScheme {
  readonly id: SignatureId;
  readonly lengths: SignatureLengths;
  publicKeyFromSeed(seed: Uint8Array): Uint8Array;
  importSigner(seed: Uint8Array): Signer;
  /** False for any invalid signature, including wrong lengths; throws only for a malformed public key. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean;
}

/** An AEAD with 32-byte keys, 12-byte nonces and 16-byte tags. */
export interface Aead {
  readonly id: AeadId;
  readonly keyLength: 32;
  readonly nonceLength: 12;
  readonly tagLength: 16;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Returns null when authentication fails. */
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array | null;
}

/** A hash with HMAC. */
export interface Hash {
  readonly id: HashId;
  readonly outputLength: number;
  digest(data: Uint8Array): Uint8Array;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
}

/** Everything the channel needs from a crypto implementation. */
export interface CryptoProvider {
  readonly name: ProviderName;
  kem(id: KemId): Kem;
  signature(id: SignatureId): SignatureScheme;
  aead(id: AeadId): Aead;
  hash(id: HashId): Hash;
  randomBytes(length: number): Uint8Array;
}

/** Provider names accepted by PQGATE_CRYPTO_PROVIDER (besides `auto`). */
export type ProviderName = 'noble' | 'native';

/** ML-DSA and Ed25519 context strings are at most 255 bytes (FIPS 204 §5.2). */
export const MAX_CONTEXT_LENGTH = 255;
