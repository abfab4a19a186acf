/**
 * The pure-JS provider over @noble/*. Runs everywhere (also in the browser) and is the reference
 * the native provider is tested against.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { assertBytes, assertKnownOptions, wipe } from './bytes';
import { AEAD_SHAPE, HASH_LENGTHS, KEM_LENGTHS, SIGNATURE_LENGTHS, checkContext, ed25519Message, checkSharedSecret, guardKey, pick, SIGN_OPTION_KEYS } from './common';
import type { Aead, CryptoProvider, Hash, Kem, SignatureScheme, Signer } from './provider';
import type { AeadId, HashId, KemId, SignatureId } from './suites';

type NobleKem = typeof ml_kem1024 | typeof ml_kem768_x25519;

const ML_KEM = { 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;

function nobleKem(id: KemId, impl: NobleKem): Kem {
  const L = KEM_LENGTHS[id];
  return Object.freeze({
    id,
    lengths: L,
    publicKeyFromSeed(seed: Uint8Array) {
      assertBytes(seed, L.seed, `${id} seed`);
      const { publicKey, secretKey } = impl.keygen(seed);
      wipe(secretKey);
      return publicKey;
    },
    encapsulate(publicKey: Uint8Array, randomness?: Uint8Array) {
      assertBytes(publicKey, L.publicKey, `${id} public key`);
      if (randomness !== undefined) assertBytes(randomness, L.encapsulationRandomness, `${id} randomness`);
      // noble throws plain Errors on invalid keys (e.g. the FIPS 203 modulus check); map them.
      return guardKey(id, () => impl.encapsulate(publicKey, randomness));
    },
    decapsulate(cipherText: Uint8Array, seed: Uint8Array) {
      assertBytes(cipherText, L.cipherText, `${id} ciphertext`);
      assertBytes(seed, L.seed, `${id} seed`);
      if (id === 'ML-KEM-768' || id === 'ML-KEM-1024') {
        // FIPS 203 decapsulation takes the expanded key; expand from the seed and wipe it after.
        const { secretKey } = ML_KEM[id].keygen(seed);
        try {
          return ML_KEM[id].decapsulate(cipherText, secretKey);
        } finally {
          wipe(secretKey);
        }
      }
      return guardKey(id, () => impl.decapsulate(cipherText, seed));
    },
  });
}

function x25519Kem(): Kem {
  const L = KEM_LENGTHS.X25519;
  return Object.freeze({
    id: 'X25519' as const,
    lengths: L,
    publicKeyFromSeed(seed: Uint8Array) {
      return x25519.getPublicKey(assertBytes(seed, L.seed, 'X25519 seed'));
    },
    encapsulate(publicKey: Uint8Array, randomness?: Uint8Array) {
      assertBytes(publicKey, L.publicKey, 'X25519 public key');
      const ek = randomness ? assertBytes(randomness, L.encapsulationRandomness, 'X25519 randomness').slice() : nobleRandomBytes(32);
      try {
        const sharedSecret = checkSharedSecret(guardKey('X25519', () => x25519.getSharedSecret(ek, publicKey)));
        return { cipherText: x25519.getPublicKey(ek), sharedSecret };
      } finally {
        wipe(ek);
      }
    },
    decapsulate(cipherText: Uint8Array, seed: Uint8Array) {
      assertBytes(cipherText, L.cipherText, 'X25519 ciphertext');
      assertBytes(seed, L.seed, 'X25519 seed');
      return checkSharedSecret(guardKey('X25519', () => x25519.getSharedSecret(seed, cipherText)));
    },
  });
}

function mlDsa(id: 'ML-DSA-65' | 'ML-DSA-87', impl: typeof ml_dsa65): SignatureScheme {
  const L = SIGNATURE_LENGTHS[id];
  return Object.freeze({
    id,
    lengths: L,
    publicKeyFromSeed(seed: Uint8Array) {
      const { publicKey, secretKey } = impl.keygen(assertBytes(seed, L.seed, `${id} seed`));
      wipe(secretKey);
      return publicKey;
    },
    importSigner(seed: Uint8Array): Signer {
      const { publicKey, secretKey } = impl.keygen(assertBytes(seed, L.seed, `${id} seed`));
      return Object.freeze({
        publicKey,
        sign(message: Uint8Array, context: Uint8Array, options?: { deterministic?: boolean }) {
          assertBytes(message, undefined, 'message');
          checkContext(context);
          assertKnownOptions(options, SIGN_OPTION_KEYS, 'sign options');
          const extraEntropy = options?.deterministic ? (false as const) : undefined;
          return impl.sign(message, secretKey, { context, extraEntropy });
        },
      });
    },
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array) {
      assertBytes(publicKey, L.publicKey, `${id} public key`);
      assertBytes(message, undefined, 'message');
      if (!(signature instanceof Uint8Array) || signature.length !== L.signature) return false;
      if (!(context instanceof Uint8Array) || context.length > 255) return false;
      try {
        return impl.verify(signature, message, publicKey, { context });
      } catch {
        return false;
      }
    },
  });
}

function ed25519Scheme(): SignatureScheme {
  const L = SIGNATURE_LENGTHS.Ed25519;
  return Object.freeze({
    id: 'Ed25519' as const,
    lengths: L,
    publicKeyFromSeed: (seed: Uint8Array) => ed25519.getPublicKey(assertBytes(seed, L.seed, 'Ed25519 seed')),
    importSigner(seed: Uint8Array): Signer {
      const sk = assertBytes(seed, L.seed, 'Ed25519 seed').slice();
      return Object.freeze({
        publicKey: ed25519.getPublicKey(sk),
        // Ed25519 is deterministic already (RFC 8032); the option changes nothing.
        sign(message: Uint8Array, context: Uint8Array, options?: { deterministic?: boolean }) {
          assertKnownOptions(options, SIGN_OPTION_KEYS, 'sign options');
          return ed25519.sign(ed25519Message(assertBytes(message, undefined, 'message'), context), sk);
        },
      });
    },
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array) {
      assertBytes(publicKey, L.publicKey, 'Ed25519 public key');
      if (!(signature instanceof Uint8Array) || signature.length !== L.signature) return false;
      if (!(context instanceof Uint8Array) || context.length > 255) return false;
      try {
        return ed25519.verify(signature, ed25519Message(message, context), publicKey);
      } catch {
        return false;
      }
    },
  });
}

function nobleAead(id: AeadId): Aead {
  const make = id === 'AES-256-GCM' ? gcm : chacha20poly1305;
  return Object.freeze({
    id,
    ...AEAD_SHAPE,
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
      assertBytes(key, 32, `${id} key`);
      assertBytes(nonce, 12, `${id} nonce`);
      return make(key, nonce, assertBytes(aad, undefined, 'aad')).encrypt(assertBytes(plaintext, undefined, 'plaintext'));
    },
    open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array) {
      assertBytes(key, 32, `${id} key`);
      assertBytes(nonce, 12, `${id} nonce`);
      if (ciphertext.length < 16) return null;
      try {
        return make(key, nonce, assertBytes(aad, undefined, 'aad')).decrypt(ciphertext);
      } catch {
        return null;
      }
    },
  });
}

function nobleHash(id: HashId): Hash {
  const h = id === 'SHA-384' ? sha384 : sha256;
  return Object.freeze({
    id,
    outputLength: HASH_LENGTHS[id],
    digest: (data: Uint8Array) => h(assertBytes(data, undefined, 'data')),
    hmac: (key: Uint8Array, data: Uint8Array) => hmac(h, assertBytes(key, undefined, 'key'), assertBytes(data, undefined, 'data')),
  });
}

/** Creates the noble provider. Instances are immutable and cheap to share. */
export function createNobleProvider(): CryptoProvider {
  const kems: Record<KemId, Kem> = {
    X25519: x25519Kem(),
    'X-Wing': nobleKem('X-Wing', ml_kem768_x25519),
    'ML-KEM-768': nobleKem('ML-KEM-768', ml_kem768),
    'ML-KEM-1024': nobleKem('ML-KEM-1024', ml_kem1024),
  };
  const sigs: Record<SignatureId, SignatureScheme> = {
    Ed25519: ed25519Scheme(),
    'ML-DSA-65': mlDsa('ML-DSA-65', ml_dsa65),
    'ML-DSA-87': mlDsa('ML-DSA-87', ml_dsa87),
  };
  const aeads: Record<AeadId, Aead> = { 'AES-256-GCM': nobleAead('AES-256-GCM'), 'ChaCha20-Poly1305': nobleAead('ChaCha20-Poly1305') };
  const hashes: Record<HashId, Hash> = { 'SHA-256': nobleHash('SHA-256'), 'SHA-384': nobleHash('SHA-384') };
  return Object.freeze({
    name: 'noble' as const,
    kem: (id: KemId) => pick(kems, id, 'KEM'),
    signature: (id: SignatureId) => pick(sigs, id, 'signature scheme'),
    aead: (id: AeadId) => pick(aeads, id, 'AEAD'),
    hash: (id: HashId) => pick(hashes, id, 'hash'),
    randomBytes: (n: number) => nobleRandomBytes(n),
  });
}
