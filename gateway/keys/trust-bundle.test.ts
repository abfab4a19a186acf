import { describe, expect, it } from 'vitest';
import { generateKeyPair, type KeyPair } from '../channel';
import { getCryptoProvider, toBase64Url, toHex } from '../crypto';
import { isGatewayError } from '../errors';
import { followTrustBundle, parseTrustBundle, signKeyLink, TRUST_BUNDLE_FORMAT, type TrustBundleKey } from './trust-bundle';

const provider = getCryptoProvider();

function chain(n: number, algorithm: 'ML-DSA-65' | 'Ed25519' = 'ML-DSA-65'): { pairs: KeyPair[]; keys: TrustBundleKey[] } {
  const pairs = Array.from({ length: n }, () => generateKeyPair(algorithm));
  const keys = pairs.map((p, i) => ({
    algorithm,
    version: i + 1,
    status: (i === n - 1 ? 'active' : 'retiring') as TrustBundleKey['status'],
    keyId: toHex(p.keyId),
    publicKey: toBase64Url(p.publicKey),
    ...(i > 0 ? { previousSignature: toBase64Url(signKeyLink(provider.signature(algorithm).importSigner(pairs[i - 1]!.seed), { algorithm, version: i + 1, publicKey: p.publicKey })) } : {}),
  }));
  return { pairs, keys };
}

const bundle = (keys: TrustBundleKey[]) => parseTrustBundle(JSON.parse(JSON.stringify({ format: TRUST_BUNDLE_FORMAT, keys })));
const ids = (records: { publicKey: Uint8Array }[]) => records.map((r) => toHex(provider.hash('SHA-256').digest(r.publicKey)));

describe('trust bundle', () => {
  it('follows the chain from a pinned version to the newest, each signed by the one before', () => {
    const { pairs, keys } = chain(3);
    const trusted = followTrustBundle(bundle(keys), [{ algorithm: 'ML-DSA-65', publicKey: pairs[0]!.publicKey }]);
    expect(ids(trusted)).toEqual(pairs.map((p) => toHex(p.keyId)));
  });

  it('does not add retired successors but still walks through them', () => {
    const { pairs, keys } = chain(3, 'Ed25519');
    keys[1] = { ...keys[1]!, status: 'retired' };
    expect(ids(followTrustBundle(bundle(keys), [{ algorithm: 'Ed25519', publicKey: pairs[0]!.publicKey }]))).toEqual([toHex(pairs[0]!.keyId), toHex(pairs[2]!.keyId)]);
  });

  it('refuses a bundle that skips a version', () => {
    const { pairs, keys } = chain(3);
    const skipped = [keys[0]!, keys[2]!];
    expect(() => followTrustBundle(bundle(skipped), [{ algorithm: 'ML-DSA-65', publicKey: pairs[0]!.publicKey }])).toThrow(/version 2 is missing/);
  });

  it('refuses a link signed by a key other than the previous version', () => {
    const { pairs, keys } = chain(2);
    const intruder = generateKeyPair('ML-DSA-65');
    const forged = { ...keys[1]!, keyId: toHex(intruder.keyId), publicKey: toBase64Url(intruder.publicKey), previousSignature: toBase64Url(signKeyLink(provider.signature('ML-DSA-65').importSigner(intruder.seed), { algorithm: 'ML-DSA-65', version: 2, publicKey: intruder.publicKey })) };
    let error: unknown;
    try {
      followTrustBundle(bundle([keys[0]!, forged]), [{ algorithm: 'ML-DSA-65', publicKey: pairs[0]!.publicKey }]);
    } catch (e) {
      error = e;
    }
    expect(isGatewayError(error, 'untrusted_gateway_key')).toBe(true);
    expect((error as Error).message).toMatch(/not validly signed by version 1/);
  });

  it('refuses a link moved to another version number', () => {
    const { pairs, keys } = chain(2);
    const moved = [keys[0]!, { ...keys[1]!, version: 2 }, { ...keys[1]!, version: 3 }];
    expect(() => followTrustBundle(bundle(moved), [{ algorithm: 'ML-DSA-65', publicKey: pairs[0]!.publicKey }])).toThrow(/version 3/);
  });

  it('refuses unknown fields and formats', () => {
    expect(() => parseTrustBundle({ format: 'x', keys: [] })).toThrow(/format/);
    expect(() => parseTrustBundle({ format: TRUST_BUNDLE_FORMAT, keys: [], extra: 1 })).toThrow(/unknown field/);
  });
});
