/**
 * Cross-provider interoperability: keys, ciphertexts, signatures and sealed data made by one
 * provider are accepted by the other, in both directions, for every algorithm in the registry.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import type { CryptoProvider } from './provider';
import type { AeadId, KemId, SignatureId } from './suites';
import { PROVIDER_CASES } from './test-providers';

const [nobleCase, nativeCase] = PROVIDER_CASES as [(typeof PROVIDER_CASES)[0], (typeof PROVIDER_CASES)[1]];
const KEMS: KemId[] = ['X25519', 'X-Wing', 'ML-KEM-768', 'ML-KEM-1024'];
const SIGS: SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
const AEADS: AeadId[] = ['AES-256-GCM', 'ChaCha20-Poly1305'];
const title = nativeCase.skip ? `noble <-> native interop (skipped: ${nativeCase.skip})` : 'noble <-> native interop';

describe.skipIf(nativeCase.skip)(title, () => {
  const pairs = (): [string, CryptoProvider, CryptoProvider][] => {
    const a = nobleCase.get();
    const b = nativeCase.get();
    return [
      ['noble -> native', a, b],
      ['native -> noble', b, a],
    ];
  };

  for (const id of KEMS) {
    it(`${id}: same public key from a seed; encapsulate with one, decapsulate with the other`, () => {
      for (const [dir, from, to] of pairs()) {
        const seed = from.randomBytes(from.kem(id).lengths.seed);
        const pk = from.kem(id).publicKeyFromSeed(seed);
        expect(toHex(to.kem(id).publicKeyFromSeed(seed)), dir).toBe(toHex(pk));
        const { cipherText, sharedSecret } = from.kem(id).encapsulate(pk);
        expect(toHex(to.kem(id).decapsulate(cipherText, seed)), dir).toBe(toHex(sharedSecret));
        const back = to.kem(id).encapsulate(pk);
        expect(toHex(from.kem(id).decapsulate(back.cipherText, seed)), dir).toBe(toHex(back.sharedSecret));
      }
    });
  }

  for (const id of SIGS) {
    it(`${id}: same public key from a seed; signatures verify across providers, with context`, () => {
      for (const [dir, from, to] of pairs()) {
        const seed = from.randomBytes(32);
        const signer = from.signature(id).importSigner(seed);
        expect(toHex(to.signature(id).publicKeyFromSeed(seed)), dir).toBe(toHex(signer.publicKey));
        const msg = from.randomBytes(100);
        const ctx = new TextEncoder().encode('pqgate/1 test');
        const s = signer.sign(msg, ctx);
        expect(to.signature(id).verify(s, msg, signer.publicKey, ctx), dir).toBe(true);
        expect(to.signature(id).verify(s, msg, signer.publicKey, new Uint8Array(0)), dir).toBe(false);
        msg[0]! ^= 1;
        expect(to.signature(id).verify(s, msg, signer.publicKey, ctx), dir).toBe(false);
      }
    });
  }

  for (const id of AEADS) {
    it(`${id}: sealed by one provider, opened by the other; tampering refused`, () => {
      for (const [dir, from, to] of pairs()) {
        const key = from.randomBytes(32);
        const nonce = from.randomBytes(12);
        const aad = from.randomBytes(20);
        const pt = from.randomBytes(333);
        const ct = from.aead(id).seal(key, nonce, pt, aad);
        expect(toHex(to.aead(id).seal(key, nonce, pt, aad)), dir).toBe(toHex(ct));
        expect(toHex(to.aead(id).open(key, nonce, ct, aad)!), dir).toBe(toHex(pt));
        ct[5]! ^= 1;
        expect(to.aead(id).open(key, nonce, ct, aad), dir).toBeNull();
      }
    });
  }

  it('SHA-256/SHA-384 digests and HMACs agree, for keys shorter, equal to and longer than a block', () => {
    for (const [dir, from, to] of pairs()) {
      for (const h of ['SHA-256', 'SHA-384'] as const) {
        const data = from.randomBytes(77);
        expect(toHex(to.hash(h).digest(data)), dir).toBe(toHex(from.hash(h).digest(data)));
        for (const keyLength of [0, 9, 48, 64, 128, 200]) {
          const key = from.randomBytes(keyLength);
          expect(toHex(to.hash(h).hmac(key, data)), `${dir} ${h} key ${keyLength}`).toBe(toHex(from.hash(h).hmac(key, data)));
        }
      }
    }
  });

  it('both refuse a low-order X25519 public key with invalid_key', () => {
    for (const [dir, from] of pairs()) {
      expect(() => from.kem('X25519').encapsulate(new Uint8Array(32)), dir).toThrow(expect.objectContaining({ code: 'invalid_key' }));
      expect(() => from.kem('X25519').decapsulate(new Uint8Array(32), from.randomBytes(32)), dir).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    }
  });

  it('native HMAC-SHA-256 matches RFC 4231 test case 2', () => {
    const mac = nativeCase.get().hash('SHA-256').hmac(new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
