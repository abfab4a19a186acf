import { describe, expect, it } from 'vitest';
import { generateKeyPair, type KeyPair } from '../channel';
import { getCryptoProvider, toBase64Url, toHex, type SignatureId } from '../crypto';
import { isGatewayError } from '../errors';
import { followTrustBundle, type TrustSeen } from './follow-trust-bundle';
import { parseTrustBundle, signKeyLink, signTrustBundle, TRUST_BUNDLE_VALIDITY_MS, trustBundleVersion, type TrustBundle, type TrustBundleKey, type TrustBundleStatus } from './trust-bundle';

const provider = getCryptoProvider();
const NOW = Date.parse('2026-12-04T12:00:00.000Z');

/** A chain of keys of one algorithm with the given statuses, each linked from the one before. */
function chain(statuses: TrustBundleStatus[], algorithm: SignatureId = 'ML-DSA-65'): { pairs: KeyPair[]; keys: TrustBundleKey[] } {
  const pairs = statuses.map(() => generateKeyPair(algorithm));
  const keys = pairs.map((p, i) => ({
    algorithm,
    version: i + 1,
    status: statuses[i]!,
    keyId: toHex(p.keyId),
    publicKey: toBase64Url(p.publicKey),
    ...(i > 0 ? { previousSignature: toBase64Url(signKeyLink(signer(pairs[i - 1]!), { algorithm, version: i + 1, publicKey: p.publicKey })) } : {}),
  }));
  return { pairs, keys };
}

const signer = (p: KeyPair) => provider.signature(p.algorithm).importSigner(p.seed);

/** A bundle signed by `by` (default: the active key), round-tripped through JSON and the parser as a client gets it. */
function bundle(keys: TrustBundleKey[], by: KeyPair[], options: { version?: number; issuedAt?: number } = {}): TrustBundle {
  const issuedAt = options.issuedAt ?? NOW - 1000;
  const signed = { version: options.version ?? trustBundleVersion(keys), issuedAt: new Date(issuedAt).toISOString(), expires: new Date(issuedAt + TRUST_BUNDLE_VALIDITY_MS).toISOString(), keys };
  return reparse(signTrustBundle(signed, by.map(signer)));
}
const reparse = (b: unknown) => parseTrustBundle(JSON.parse(JSON.stringify(b)));
const pinOf = (p: KeyPair) => ({ algorithm: p.algorithm, publicKey: p.publicKey });
const ids = (records: { publicKey: Uint8Array }[]) => records.map((r) => toHex(provider.hash('SHA-256').digest(r.publicKey)));

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(isGatewayError(e, 'untrusted_gateway_key')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the bundle to be refused');
}

describe('trust bundle: following a pin', () => {
  it('follows the chain from a pinned version to the newest, each signed by the one before', () => {
    const { pairs, keys } = chain(['retiring', 'active', 'pending']);
    const out = followTrustBundle(bundle(keys, [pairs[1]!]), pinOf(pairs[0]!), { now: NOW });
    expect(ids(out.trusted)).toEqual(pairs.map((p) => toHex(p.keyId)));
    expect(out.head).toMatchObject({ version: 2, status: 'active' });
    expect(out.pinned).toMatchObject({ version: 1, status: 'retiring' });
  });

  it('stops trusting a pinned key the signed bundle retires, and keeps its successor', () => {
    const { pairs, keys } = chain(['retired', 'active']);
    const out = followTrustBundle(bundle(keys, [pairs[1]!]), pinOf(pairs[0]!), { now: NOW });
    expect(ids(out.trusted)).toEqual([toHex(pairs[1]!.keyId)]);
  });

  it('stops trusting a revoked pinned key (it can no longer sign a handshake the client accepts)', () => {
    const { pairs, keys } = chain(['revoked', 'active']);
    const out = followTrustBundle(bundle(keys, [pairs[1]!]), pinOf(pairs[0]!), { now: NOW });
    expect(ids(out.trusted)).toEqual([toHex(pairs[1]!.keyId)]);
    expect(out.pinned.status).toBe('revoked');
  });

  it('walks through retired successors without trusting them', () => {
    const { pairs, keys } = chain(['retired', 'retired', 'active'], 'Ed25519');
    expect(ids(followTrustBundle(bundle(keys, [pairs[2]!]), pinOf(pairs[0]!), { now: NOW }).trusted)).toEqual([toHex(pairs[2]!.keyId)]);
  });
});

describe('trust bundle: the statuses are signed', () => {
  it('refuses a bundle whose statuses were edited after signing (a revoked key marked active again)', () => {
    const { pairs, keys } = chain(['revoked', 'active']);
    const genuine = JSON.parse(JSON.stringify(bundle(keys, [pairs[1]!]))) as { signed: { keys: TrustBundleKey[] } };
    genuine.signed.keys[0] = { ...genuine.signed.keys[0]!, status: 'active' };
    expect(refusal(() => followTrustBundle(reparse(genuine), pinOf(pairs[0]!), { now: NOW }))).toMatch(/not signed by the active ML-DSA-65 key .*statuses may have been altered/);
  });

  it('refuses an edited version or expiry', () => {
    const { pairs, keys } = chain(['retiring', 'active']);
    for (const edit of [{ version: 999 }, { expires: '2099-01-01T00:00:00.000Z' }]) {
      const b = JSON.parse(JSON.stringify(bundle(keys, [pairs[1]!]))) as { signed: object };
      b.signed = { ...b.signed, ...edit };
      expect(refusal(() => followTrustBundle(reparse(b), pinOf(pairs[0]!), { now: NOW }))).toMatch(/not signed by the active/);
    }
  });

  it('refuses a bundle signed only by an older key (what the holder of a revoked key could make)', () => {
    const { pairs, keys } = chain(['revoked', 'active']);
    const forged = { ...keys[0]!, status: 'active' as const };
    expect(refusal(() => followTrustBundle(bundle([forged, keys[1]!], [pairs[0]!]), pinOf(pairs[0]!), { now: NOW }))).toMatch(/not signed by the active ML-DSA-65 key/);
  });

  it('refuses a bundle whose newest approved key is not active', () => {
    const { pairs, keys } = chain(['retired', 'retiring']);
    expect(refusal(() => followTrustBundle(bundle(keys, [pairs[1]!]), pinOf(pairs[0]!), { now: NOW }))).toMatch(/version 2\) is retiring/);
  });

  it('refuses unsigned extra fields, unknown statuses and formats', () => {
    const { pairs, keys } = chain(['active']);
    const b = JSON.parse(JSON.stringify(bundle(keys, [pairs[0]!]))) as { signed: { keys: object[] } };
    b.signed.keys[0] = { ...b.signed.keys[0], note: 'trust me' };
    expect(() => reparse(b)).toThrow(/unknown field note/);
    expect(() => parseTrustBundle({ ...bundle(keys, [pairs[0]!]), extra: 1 })).toThrow(/unknown field extra/);
    expect(() => reparse({ ...bundle([{ ...keys[0]!, status: 'compromised' as 'revoked' }], [pairs[0]!], { version: 1 }) })).toThrow(/unknown status/);
    expect(() => parseTrustBundle({ format: 'pqgate-trust-bundle/1', keys: [] })).toThrow(/format/);
  });
});

describe('trust bundle: freshness', () => {
  it('refuses a bundle past its expiry, saying when it expired', () => {
    const { pairs, keys } = chain(['active']);
    const stale = bundle(keys, [pairs[0]!], { issuedAt: NOW - TRUST_BUNDLE_VALIDITY_MS - 60_000 });
    expect(refusal(() => followTrustBundle(stale, pinOf(pairs[0]!), { now: NOW }))).toMatch(/trust bundle expired on 2026-12-04T11:59:00.000Z; ask your admin/);
  });

  it('refuses a bundle older than one seen before from the same pin (a replay hiding a revocation)', () => {
    const { pairs, keys } = chain(['active', 'pending']);
    const before = bundle(keys, [pairs[0]!]);
    const afterRotation = bundle([{ ...keys[0]!, status: 'revoked' }, { ...keys[1]!, status: 'active' }], [pairs[1]!]);
    const seen = followTrustBundle(afterRotation, pinOf(pairs[0]!), { now: NOW }).seen;
    expect(seen.version).toBeGreaterThan(before.signed.version);
    expect(refusal(() => followTrustBundle(before, pinOf(pairs[0]!), { now: NOW, seen }))).toMatch(/version 1 is older than version 5/);
    // Without the state, the same old bundle is accepted: trust on first use from the pin.
    expect(ids(followTrustBundle(before, pinOf(pairs[0]!), { now: NOW }).trusted)).toContain(toHex(pairs[0]!.keyId));
  });

  it('refuses a higher-numbered bundle on another branch of the chain than the one seen', () => {
    const { pairs, keys } = chain(['retiring', 'active']);
    const seen: TrustSeen = followTrustBundle(bundle(keys, [pairs[1]!]), pinOf(pairs[0]!), { now: NOW }).seen;
    // Someone holding key 1 links a key of their own as version 2 and signs with it.
    const fork = generateKeyPair('ML-DSA-65');
    const forked = { ...keys[1]!, keyId: toHex(fork.keyId), publicKey: toBase64Url(fork.publicKey), previousSignature: toBase64Url(signKeyLink(signer(pairs[0]!), { algorithm: 'ML-DSA-65', version: 2, publicKey: fork.publicKey })) };
    const b = bundle([{ ...keys[0]!, status: 'active' }, { ...forked, status: 'pending' }], [pairs[0]!], { version: seen.version + 10 });
    expect(refusal(() => followTrustBundle(b, pinOf(pairs[0]!), { now: NOW, seen }))).toMatch(/chain is not the one this connector followed before/);
  });

  it('numbers bundles so every status change raises the version and a rejected pending key lowers nothing', () => {
    const s = (...statuses: TrustBundleStatus[]) => trustBundleVersion(statuses.map((status) => ({ status })));
    const life = [s('active'), s('active', 'pending'), s('active'), s('retiring', 'active'), s('retired', 'active'), s('revoked', 'active')];
    expect(life).toEqual([1, 1, 1, 3, 4, 5]);
    expect(s('retiring', 'active')).toBeLessThan(s('revoked', 'active'));
  });
});

describe('trust bundle: chain links', () => {
  it('refuses a bundle that skips a version', () => {
    const { pairs, keys } = chain(['retiring', 'retiring', 'active']);
    expect(refusal(() => followTrustBundle(bundle([keys[0]!, keys[2]!], [pairs[2]!]), pinOf(pairs[0]!), { now: NOW }))).toMatch(/version 2 is missing/);
  });

  it('refuses a link signed by a key other than the previous version', () => {
    const { pairs, keys } = chain(['retiring', 'active']);
    const intruder = generateKeyPair('ML-DSA-65');
    const forged = { ...keys[1]!, keyId: toHex(intruder.keyId), publicKey: toBase64Url(intruder.publicKey), previousSignature: toBase64Url(signKeyLink(signer(intruder), { algorithm: 'ML-DSA-65', version: 2, publicKey: intruder.publicKey })) };
    expect(refusal(() => followTrustBundle(bundle([keys[0]!, forged], [intruder]), pinOf(pairs[0]!), { now: NOW }))).toMatch(/not validly signed by version 1/);
  });

  it('refuses a link moved to another version number', () => {
    const { pairs, keys } = chain(['retiring', 'active']);
    expect(refusal(() => followTrustBundle(bundle([keys[0]!, keys[1]!, { ...keys[1]!, version: 3 }], [pairs[1]!]), pinOf(pairs[0]!), { now: NOW }))).toMatch(/version 3/);
  });

  it('refuses a bundle that does not list the pinned key', () => {
    const { pairs, keys } = chain(['active']);
    expect(refusal(() => followTrustBundle(bundle(keys, [pairs[0]!]), pinOf(generateKeyPair('ML-DSA-65')), { now: NOW }))).toMatch(/does not list the pinned ML-DSA-65 key/);
  });
});
