/**
 * The native provider over `node:crypto` (OpenSSL 3.5, Node >= 24.7): ML-KEM, ML-DSA, X25519,
 * Ed25519, AES-GCM, ChaCha20-Poly1305. X-Wing is composed here from native ML-KEM-768 and X25519
 * with the X-Wing combiner so its bytes equal noble's `ml_kem768_x25519`.
 */
import * as nodeCrypto from 'node:crypto';
import { GatewayError } from '../errors';
import { assertBytes, assertKnownOptions, concatBytes, utf8, wipe } from './bytes';
import { AEAD_SHAPE, HASH_LENGTHS, KEM_LENGTHS, SIGNATURE_LENGTHS, checkContext, checkSharedSecret, ed25519Message, guardKey, pick, SIGN_OPTION_KEYS } from './common';
import type { Aead, CryptoProvider, Hash, Kem, SignatureScheme, Signer } from './provider';
import type { AeadId, HashId, KemId, SignatureId } from './suites';

/** The Node 24 surface we use; @types/node 20 does not declare it, so we narrow by hand. */
interface Node24Crypto {
  encapsulate(key: nodeCrypto.KeyObject): { sharedKey: Buffer; ciphertext: Buffer };
  decapsulate(key: nodeCrypto.KeyObject, ciphertext: Uint8Array): Buffer;
  createPrivateKey(input: { key: Uint8Array; format: 'raw-seed' | 'raw-private'; asymmetricKeyType: string }): nodeCrypto.KeyObject;
  createPublicKey(input: { key: Uint8Array; format: 'raw-public'; asymmetricKeyType: string }): nodeCrypto.KeyObject;
  sign(alg: null, data: Uint8Array, key: { key: nodeCrypto.KeyObject; context?: Uint8Array }): Buffer;
  verify(alg: null, data: Uint8Array, key: { key: nodeCrypto.KeyObject; context?: Uint8Array }, sig: Uint8Array): boolean;
}
const nc = nodeCrypto as unknown as Node24Crypto;

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const rawPublic = (k: nodeCrypto.KeyObject): Uint8Array =>
  u8(nodeCrypto.createPublicKey(k).export({ format: 'raw-public' } as unknown as nodeCrypto.JwkKeyExportOptions) as unknown as Buffer);

/** Why the native provider can or cannot run in this process. */
export type NativeSupport = { available: true } | { available: false; reason: string };

let support: NativeSupport | undefined;

/** Probes once for every native primitive the provider needs. */
export function nativeSupport(): NativeSupport {
  if (support) return support;
  const need = `needs Node >= 24.7 with OpenSSL 3.5 (this is Node ${process.versions.node}, OpenSSL ${process.versions.openssl})`;
  try {
    if (typeof nc.encapsulate !== 'function') throw new Error('no crypto.encapsulate');
    for (const [t, n] of [['ml-kem-768', 64], ['ml-kem-1024', 64], ['ml-dsa-65', 32], ['ml-dsa-87', 32]] as const) {
      nc.createPrivateKey({ key: new Uint8Array(n).fill(1), format: 'raw-seed', asymmetricKeyType: t });
    }
    for (const t of ['x25519', 'ed25519']) nc.createPrivateKey({ key: new Uint8Array(32).fill(1), format: 'raw-private', asymmetricKeyType: t });
    if (!nodeCrypto.getCiphers().includes('chacha20-poly1305')) throw new Error('no chacha20-poly1305');
    nodeCrypto.createHash('shake256', { outputLength: 96 });
    nodeCrypto.createHash('sha3-256');
    support = { available: true };
  } catch {
    support = { available: false, reason: `native ML-KEM/ML-DSA unavailable: ${need}` };
  }
  return support;
}

const X_WING_LABEL = utf8('\\.//^\\'); // draft-connolly-cfrg-xwing-kem: the 6 ASCII bytes \.//^\

/** X-Wing key expansion: SHAKE256(seed, 96) = ML-KEM-768 seed d||z (64) || X25519 secret (32). */
function xwingExpand(seed: Uint8Array): { mlkem: nodeCrypto.KeyObject; x25519: nodeCrypto.KeyObject } {
  const expanded = u8(nodeCrypto.createHash('shake256', { outputLength: 96 }).update(seed).digest());
  try {
    return {
      mlkem: nc.createPrivateKey({ key: expanded.subarray(0, 64), format: 'raw-seed', asymmetricKeyType: 'ml-kem-768' }),
      x25519: nc.createPrivateKey({ key: expanded.subarray(64, 96), format: 'raw-private', asymmetricKeyType: 'x25519' }),
    };
  } finally {
    wipe(expanded);
  }
}

function xwingCombine(ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  return u8(nodeCrypto.createHash('sha3-256').update(concatBytes(ssM, ssX, ctX, pkX, X_WING_LABEL)).digest());
}

function x25519Dh(privateKey: nodeCrypto.KeyObject, peer: Uint8Array): Uint8Array {
  const publicKey = nc.createPublicKey({ key: peer, format: 'raw-public', asymmetricKeyType: 'x25519' });
  return checkSharedSecret(u8(nodeCrypto.diffieHellman({ privateKey, publicKey })));
}

function refuseRandomness(id: KemId, randomness: Uint8Array | undefined): void {
  // node:crypto has no deterministic encapsulation; known-answer tests use the noble provider.
  if (randomness !== undefined) throw new GatewayError('invalid_argument', `${id}: the native provider cannot encapsulate deterministically`);
}

function nativeKem(id: KemId): Kem {
  const L = KEM_LENGTHS[id];
  const isMlKem = id === 'ML-KEM-768' || id === 'ML-KEM-1024';
  const importSeed = (seed: Uint8Array): nodeCrypto.KeyObject => {
    if (isMlKem) return nc.createPrivateKey({ key: seed, format: 'raw-seed', asymmetricKeyType: id.toLowerCase() });
    return nc.createPrivateKey({ key: seed, format: 'raw-private', asymmetricKeyType: 'x25519' });
  };
  return Object.freeze({
    id,
    lengths: L,
    publicKeyFromSeed(seed: Uint8Array) {
      assertBytes(seed, L.seed, `${id} seed`);
      if (id !== 'X-Wing') return rawPublic(importSeed(seed));
      const k = xwingExpand(seed);
      return concatBytes(rawPublic(k.mlkem), rawPublic(k.x25519));
    },
    encapsulate(publicKey: Uint8Array, randomness?: Uint8Array) {
      assertBytes(publicKey, L.publicKey, `${id} public key`);
      refuseRandomness(id, randomness);
      return guardKey(id, () => {
        if (isMlKem) {
          const r = nc.encapsulate(nc.createPublicKey({ key: publicKey, format: 'raw-public', asymmetricKeyType: id.toLowerCase() }));
          return { cipherText: u8(r.ciphertext), sharedSecret: u8(r.sharedKey) };
        }
        const ephemeral = nodeCrypto.generateKeyPairSync('x25519').privateKey;
        const pkX = id === 'X-Wing' ? publicKey.subarray(1184) : publicKey;
        const ctX = rawPublic(ephemeral);
        const ssX = x25519Dh(ephemeral, pkX);
        if (id === 'X25519') return { cipherText: ctX, sharedSecret: ssX };
        const r = nc.encapsulate(nc.createPublicKey({ key: publicKey.subarray(0, 1184), format: 'raw-public', asymmetricKeyType: 'ml-kem-768' }));
        const ssM = u8(r.sharedKey);
        try {
          return { cipherText: concatBytes(u8(r.ciphertext), ctX), sharedSecret: xwingCombine(ssM, ssX, ctX, pkX) };
        } finally {
          wipe(ssM, ssX);
        }
      });
    },
    decapsulate(cipherText: Uint8Array, seed: Uint8Array) {
      assertBytes(cipherText, L.cipherText, `${id} ciphertext`);
      assertBytes(seed, L.seed, `${id} seed`);
      return guardKey(id, () => {
        if (isMlKem) return u8(nc.decapsulate(importSeed(seed), cipherText));
        if (id === 'X25519') return x25519Dh(importSeed(seed), cipherText);
        const k = xwingExpand(seed);
        const ctX = cipherText.subarray(1088);
        const ssM = u8(nc.decapsulate(k.mlkem, cipherText.subarray(0, 1088)));
        const ssX = x25519Dh(k.x25519, ctX);
        try {
          return xwingCombine(ssM, ssX, ctX, rawPublic(k.x25519));
        } finally {
          wipe(ssM, ssX);
        }
      });
    },
  });
}

function nativeSignature(id: SignatureId): SignatureScheme {
  const L = SIGNATURE_LENGTHS[id];
  const type = id.toLowerCase();
  const isEd = id === 'Ed25519';
  const importSeed = (seed: Uint8Array) =>
    nc.createPrivateKey({ key: assertBytes(seed, L.seed, `${id} seed`), format: isEd ? 'raw-private' : 'raw-seed', asymmetricKeyType: type });
  return Object.freeze({
    id,
    lengths: L,
    publicKeyFromSeed: (seed: Uint8Array) => rawPublic(importSeed(seed)),
    importSigner(seed: Uint8Array): Signer {
      const key = importSeed(seed);
      return Object.freeze({
        publicKey: rawPublic(key),
        sign(message: Uint8Array, context: Uint8Array, options?: { deterministic?: boolean }) {
          assertBytes(message, undefined, 'message');
          checkContext(context);
          assertKnownOptions(options, SIGN_OPTION_KEYS, 'sign options');
          if (isEd) return u8(nc.sign(null, ed25519Message(message, context), { key }));
          if (options?.deterministic) throw new GatewayError('invalid_argument', `${id}: node:crypto has no deterministic ML-DSA signing; use the noble provider`);
          return u8(nc.sign(null, message, { key, context }));
        },
      });
    },
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array) {
      assertBytes(publicKey, L.publicKey, `${id} public key`);
      assertBytes(message, undefined, 'message');
      if (!(signature instanceof Uint8Array) || signature.length !== L.signature) return false;
      if (!(context instanceof Uint8Array) || context.length > 255) return false;
      const key = guardKey(id, () => nc.createPublicKey({ key: publicKey, format: 'raw-public', asymmetricKeyType: type }));
      try {
        if (isEd) return nc.verify(null, ed25519Message(message, context), { key }, signature);
        return nc.verify(null, message, { key, context }, signature);
      } catch {
        return false;
      }
    },
  });
}

function nativeAead(id: AeadId): Aead {
  const alg = id === 'AES-256-GCM' ? 'aes-256-gcm' : 'chacha20-poly1305';
  return Object.freeze({
    id,
    ...AEAD_SHAPE,
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
      assertBytes(key, 32, `${id} key`);
      assertBytes(nonce, 12, `${id} nonce`);
      const c = nodeCrypto.createCipheriv(alg as 'aes-256-gcm', key, nonce, { authTagLength: 16 });
      c.setAAD(assertBytes(aad, undefined, 'aad'));
      return concatBytes(u8(c.update(assertBytes(plaintext, undefined, 'plaintext'))), u8(c.final()), u8(c.getAuthTag()));
    },
    open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array) {
      assertBytes(key, 32, `${id} key`);
      assertBytes(nonce, 12, `${id} nonce`);
      if (ciphertext.length < 16) return null;
      try {
        const d = nodeCrypto.createDecipheriv(alg as 'aes-256-gcm', key, nonce, { authTagLength: 16 });
        d.setAAD(assertBytes(aad, undefined, 'aad'));
        d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
        return concatBytes(u8(d.update(ciphertext.subarray(0, ciphertext.length - 16))), u8(d.final()));
      } catch {
        return null;
      }
    },
  });
}

/**
 * HMAC per RFC 2104 over the native hash. Node 24's createHmac spends ~10 us importing the raw key
 * as a KeyObject on every call, more than the MAC itself; two hash passes cost ~3 us.
 */
function rfc2104(alg: 'sha256' | 'sha384', blockSize: number, key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = new Uint8Array(blockSize);
  k.set(key.length > blockSize ? u8(nodeCrypto.createHash(alg).update(key).digest()) : key);
  const pad = new Uint8Array(blockSize);
  for (let i = 0; i < blockSize; i++) pad[i] = k[i]! ^ 0x36;
  const inner = nodeCrypto.createHash(alg).update(pad).update(data).digest();
  for (let i = 0; i < blockSize; i++) pad[i] = k[i]! ^ 0x5c;
  const out = u8(nodeCrypto.createHash(alg).update(pad).update(inner).digest());
  wipe(k, pad, u8(inner));
  return out;
}

function nativeHash(id: HashId): Hash {
  const alg = id === 'SHA-384' ? 'sha384' : 'sha256';
  const blockSize = id === 'SHA-384' ? 128 : 64;
  return Object.freeze({
    id,
    outputLength: HASH_LENGTHS[id],
    digest: (data: Uint8Array) => u8(nodeCrypto.createHash(alg).update(assertBytes(data, undefined, 'data')).digest()),
    hmac: (key: Uint8Array, data: Uint8Array) => rfc2104(alg, blockSize, assertBytes(key, undefined, 'key'), assertBytes(data, undefined, 'data')),
  });
}

/**
 * The AEADs and hashes of `node:crypto` alone, which every supported Node has (unlike native
 * ML-KEM/ML-DSA): `auto` pairs them with noble's KEMs and signatures, so channel records are not
 * sealed in JavaScript. Null when this runtime lacks them.
 */
export function createNativeSymmetric(): Pick<CryptoProvider, 'aead' | 'hash'> | null {
  const ciphers = nodeCrypto.getCiphers();
  if (!ciphers.includes('aes-256-gcm') || !ciphers.includes('chacha20-poly1305')) return null;
  const aeads: Record<AeadId, Aead> = { 'AES-256-GCM': nativeAead('AES-256-GCM'), 'ChaCha20-Poly1305': nativeAead('ChaCha20-Poly1305') };
  const hashes: Record<HashId, Hash> = { 'SHA-256': nativeHash('SHA-256'), 'SHA-384': nativeHash('SHA-384') };
  return { aead: (id: AeadId) => pick(aeads, id, 'AEAD'), hash: (id: HashId) => pick(hashes, id, 'hash') };
}

/**
 * Creates the native provider.
 * @throws GatewayError `provider_unavailable` when this runtime lacks the primitives.
 */
export function createNativeProvider(): CryptoProvider {
  const s = nativeSupport();
  if (!s.available) throw new GatewayError('provider_unavailable', s.reason);
  const kems: Record<KemId, Kem> = {
    X25519: nativeKem('X25519'),
    'X-Wing': nativeKem('X-Wing'),
    'ML-KEM-768': nativeKem('ML-KEM-768'),
    'ML-KEM-1024': nativeKem('ML-KEM-1024'),
  };
  const sigs: Record<SignatureId, SignatureScheme> = {
    Ed25519: nativeSignature('Ed25519'),
    'ML-DSA-65': nativeSignature('ML-DSA-65'),
    'ML-DSA-87': nativeSignature('ML-DSA-87'),
  };
  const aeads: Record<AeadId, Aead> = { 'AES-256-GCM': nativeAead('AES-256-GCM'), 'ChaCha20-Poly1305': nativeAead('ChaCha20-Poly1305') };
  const hashes: Record<HashId, Hash> = { 'SHA-256': nativeHash('SHA-256'), 'SHA-384': nativeHash('SHA-384') };
  return Object.freeze({
    name: 'native' as const,
    kem: (id: KemId) => pick(kems, id, 'KEM'),
    signature: (id: SignatureId) => pick(sigs, id, 'signature scheme'),
    aead: (id: AeadId) => pick(aeads, id, 'AEAD'),
    hash: (id: HashId) => pick(hashes, id, 'hash'),
    randomBytes: (n: number) => u8(nodeCrypto.randomBytes(n)),
  });
}
