/**
 * Identities and gateway keys: signature key pairs named by a key id, the SHA-256 fingerprint
 * of the raw public key (32 bytes on the wire, a short hex form for display).
 */
import { getCryptoProvider, toHex, type CryptoProvider, type SignatureId, type Signer } from '../crypto';
import { GatewayError } from '../errors';

/** A client identity (or a gateway signing key): the secret seed never leaves its holder. */
export interface KeyPair {
  readonly algorithm: SignatureId;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly seed: Uint8Array;
}

/** A public key the other side knows: registered identities (gateway) or trusted gateway keys (client). */
export interface PublicKeyRecord {
  readonly algorithm: SignatureId;
  readonly publicKey: Uint8Array;
  /** Defaults to the fingerprint of `publicKey`. */
  readonly keyId?: Uint8Array;
}

/** Resolves an identity key id to its registered public key, or null when unknown or revoked. */
export type IdentityLookup = (keyId: Uint8Array) => Promise<PublicKeyRecord | null>;

const SIGNATURE_IDS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];

/** Fingerprint of a raw public key: SHA-256(publicKey). */
export function keyIdOf(publicKey: Uint8Array, provider: CryptoProvider = getCryptoProvider()): Uint8Array {
  return provider.hash('SHA-256').digest(publicKey);
}

/** Short display form of a key id: the first 16 hex digits, grouped by four. */
export function displayKeyId(keyId: Uint8Array): string {
  return toHex(keyId.subarray(0, 8)).replace(/(.{4})(?=.)/g, '$1:');
}

/**
 * Creates a key pair from a 32-byte seed (random when omitted).
 * @throws GatewayError `invalid_argument` for an unknown algorithm.
 */
export function generateKeyPair(algorithm: SignatureId = 'ML-DSA-65', options: { seed?: Uint8Array; provider?: CryptoProvider } = {}): KeyPair {
  if (!SIGNATURE_IDS.includes(algorithm)) throw new GatewayError('invalid_argument', `unknown signature algorithm "${String(algorithm)}"; known: ${SIGNATURE_IDS.join(', ')}`);
  const provider = options.provider ?? getCryptoProvider();
  const seed = options.seed ?? provider.randomBytes(32);
  const publicKey = provider.signature(algorithm).publicKeyFromSeed(seed);
  return Object.freeze({ algorithm, seed, publicKey, keyId: keyIdOf(publicKey, provider) });
}

/** A key pair imported into a provider for repeated signing. */
export interface LoadedKey {
  readonly algorithm: SignatureId;
  readonly keyId: Uint8Array;
  readonly signer: Signer;
}

/** Imports a key pair's seed once; signing then reuses the expanded key. */
export function loadKeyPair(provider: CryptoProvider, kp: Pick<KeyPair, 'algorithm' | 'seed'>): LoadedKey {
  const signer = provider.signature(kp.algorithm).importSigner(kp.seed);
  return Object.freeze({ algorithm: kp.algorithm, keyId: keyIdOf(signer.publicKey, provider), signer });
}
