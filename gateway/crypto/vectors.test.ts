/**
 * NIST ACVP and Wycheproof subsets run through OUR provider wrappers (see vectors/README.md for
 * where each file comes from). Deterministic generation (encapsulation with given randomness,
 * ML-DSA with rnd = 0) exists only in noble; native is checked on every deterministic operation
 * it has (keygen from seed, decapsulation, verification) and on its hedged output.
 */
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors';
import { fromHex, toHex } from './bytes';
import { createNobleProvider } from './noble-provider';
import { PROVIDER_CASES, providerTitle } from './test-providers';
import mlDsa65 from './vectors/ml-dsa-65.json';
import mlDsa87 from './vectors/ml-dsa-87.json';
import mlKem1024 from './vectors/ml-kem-1024.json';
import mlKem768 from './vectors/ml-kem-768.json';
import xWing from './vectors/x-wing.json';

const KEMS = [
  ['ML-KEM-768', mlKem768],
  ['ML-KEM-1024', mlKem1024],
] as const;
const DSAS = [
  ['ML-DSA-65', mlDsa65],
  ['ML-DSA-87', mlDsa87],
] as const;
const empty = new Uint8Array(0);
const noble = createNobleProvider();

for (const pc of PROVIDER_CASES) {
  describe.skipIf(pc.skip)(providerTitle(pc), () => {
    const deterministic = pc.name === 'noble';

    for (const [id, v] of KEMS) {
      describe(id, () => {
        it('ACVP keyGen: public key from seed d||z', () => {
          const kem = pc.get().kem(id);
          for (const t of v.keyGen.tests) expect(toHex(kem.publicKeyFromSeed(fromHex(t.d + t.z)))).toBe(t.ek);
        });

        it('ACVP encapsulation: deterministic in noble, refused as such by native', () => {
          const kem = pc.get().kem(id);
          for (const t of v.encapsulation.tests) {
            if (deterministic) {
              const r = kem.encapsulate(fromHex(t.ek), fromHex(t.m));
              expect(toHex(r.cipherText)).toBe(t.c);
              expect(toHex(r.sharedSecret)).toBe(t.k);
            } else {
              expect(() => kem.encapsulate(fromHex(t.ek), fromHex(t.m))).toThrow(/deterministically/);
            }
          }
        });

        it('Wycheproof decapsulation from seed, incl. implicit rejection and a short ciphertext', () => {
          const kem = pc.get().kem(id);
          expect(v.decapsulation.tests.some((t) => t.comment.startsWith('Bit flipped'))).toBe(true);
          for (const t of v.decapsulation.tests) {
            const run = () => toHex(kem.decapsulate(fromHex(t.c), fromHex(t.seed)));
            if (t.result === 'valid') expect(run(), t.comment).toBe(t.K);
            else expect(run, t.comment).toThrow(/ciphertext must be/);
          }
        });

        it('Wycheproof encapsulation key failing the modulus check is refused with invalid_key', () => {
          const kem = pc.get().kem(id);
          for (const t of v.invalidEncapsulationKey.tests) {
            let err: unknown;
            try {
              kem.encapsulate(fromHex(t.ek));
            } catch (e) {
              err = e;
            }
            expect(isGatewayError(err, 'invalid_key')).toBe(true);
          }
        });
      });
    }

    for (const [id, v] of DSAS) {
      describe(id, () => {
        it('ACVP keyGen: public key from seed', () => {
          const sig = pc.get().signature(id);
          for (const t of v.keyGen.tests) expect(toHex(sig.publicKeyFromSeed(fromHex(t.seed)))).toBe(t.pk);
        });

        it('ACVP sigVer (external, pure) accepts the valid and refuses the modified', () => {
          const sig = pc.get().signature(id);
          expect(v.sigVer.tests.map((t) => t.testPassed)).toEqual([true, false]);
          for (const t of v.sigVer.tests) {
            expect(sig.verify(fromHex(t.signature), fromHex(t.message), fromHex(t.pk), fromHex(t.context)), t.reason).toBe(t.testPassed);
          }
        });

        it('Wycheproof sign from seed: deterministic (noble) or hedged and verifiable (native), context enforced', () => {
          const scheme = pc.get().signature(id);
          const d = v.deterministicSign;
          const signer = scheme.importSigner(fromHex(d.privateSeed));
          expect(toHex(signer.publicKey)).toBe(d.publicKey);
          for (const t of d.tests) {
            const msg = fromHex(t.msg);
            const ctx = fromHex(t.ctx ?? '');
            if (t.result === 'invalid') {
              expect(() => signer.sign(msg, ctx)).toThrow(/context/);
              continue;
            }
            if (deterministic) {
              expect(toHex(signer.sign(msg, ctx, { deterministic: true })), t.comment).toBe(t.sig);
            } else {
              const s = signer.sign(msg, ctx);
              expect(noble.signature(id).verify(s, msg, fromHex(d.publicKey), ctx)).toBe(true);
            }
            expect(scheme.verify(fromHex(t.sig), msg, signer.publicKey, ctx)).toBe(true);
          }
        });

        it('Wycheproof verify refuses a modified signature; wrong context or length is false', () => {
          const scheme = pc.get().signature(id);
          const pk = fromHex(v.deterministicSign.publicKey);
          for (const t of v.verify.tests) {
            expect(scheme.verify(fromHex(t.sig), fromHex(t.msg), pk, fromHex(('ctx' in t ? (t.ctx as string) : ''))), t.comment).toBe(t.result === 'valid');
          }
          const good = v.deterministicSign.tests[0]!;
          expect(scheme.verify(fromHex(good.sig), fromHex(good.msg), pk, empty)).toBe(true);
          expect(scheme.verify(fromHex(good.sig), fromHex(good.msg), pk, Uint8Array.of(1))).toBe(false);
          expect(scheme.verify(fromHex(good.sig).subarray(1), fromHex(good.msg), pk, empty)).toBe(false);
        });
      });
    }

    it('X-Wing vectors: keys, decapsulation and (noble) deterministic encapsulation', () => {
      const kem = pc.get().kem('X-Wing');
      for (const t of xWing.tests) {
        expect(toHex(kem.publicKeyFromSeed(fromHex(t.seed)))).toBe(t.pk);
        expect(toHex(kem.decapsulate(fromHex(t.ct), fromHex(t.seed)))).toBe(t.ss);
        if (deterministic) {
          const r = kem.encapsulate(fromHex(t.pk), fromHex(t.randomness));
          expect(toHex(r.cipherText)).toBe(t.ct);
          expect(toHex(r.sharedSecret)).toBe(t.ss);
        }
      }
    });
  });
}
