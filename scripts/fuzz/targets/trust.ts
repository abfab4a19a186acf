/**
 * The trust bundle parser and verifier (gateway/keys): signed bundles over key chains of two
 * schemes, mutated as JSON and as text, parsed and then followed from a pinned key, with and
 * without a remembered earlier bundle. Their own errors are GatewayErrors; anything else thrown
 * is a crash.
 */
import { generateKeyPair, type KeyPair } from '../../../gateway/channel';
import { getCryptoProvider, toBase64Url, toHex } from '../../../gateway/crypto';
import { GatewayError } from '../../../gateway/errors';
import { followTrustBundle, parseTrustBundle, signKeyLink, signTrustBundle, TRUST_BUNDLE_VALIDITY_MS, trustBundleVersion, type TrustBundleKey, type TrustBundleStatus } from '../../../gateway/keys';
import { mutateBytes, mutateJson, type Rng } from '../mutate';
import { outcomeOf, type FuzzTarget } from '../target';

const provider = getCryptoProvider();
const NOW = Date.UTC(2026, 5, 1);
const signer = (p: KeyPair) => provider.signature(p.algorithm).importSigner(p.seed);

function chain(algorithm: 'Ed25519' | 'ML-DSA-65', statuses: TrustBundleStatus[]) {
  const pairs = statuses.map((_, i) => generateKeyPair(algorithm, { seed: new Uint8Array(32).fill(90 + i) }));
  const keys: TrustBundleKey[] = pairs.map((p, i) => ({
    algorithm,
    version: i + 1,
    status: statuses[i]!,
    keyId: toHex(p.keyId),
    publicKey: toBase64Url(p.publicKey),
    ...(i > 0 ? { previousSignature: toBase64Url(signKeyLink(signer(pairs[i - 1]!), { algorithm, version: i + 1, publicKey: p.publicKey })) } : {}),
  }));
  return { pairs, keys, active: pairs[statuses.indexOf('active')]! };
}

function signed(keys: TrustBundleKey[], by: KeyPair[]) {
  const issuedAt = NOW - 1000;
  const body = { version: trustBundleVersion(keys), issuedAt: new Date(issuedAt).toISOString(), expires: new Date(issuedAt + TRUST_BUNDLE_VALIDITY_MS).toISOString(), keys };
  return JSON.parse(JSON.stringify(signTrustBundle(body, by.map(signer)))) as unknown;
}

const ed = chain('Ed25519', ['retiring', 'active', 'pending']);
const ml = chain('ML-DSA-65', ['revoked', 'active']);
// Ed25519 signatures verify in microseconds, ML-DSA-65 in milliseconds: the second seed is rarer.
const SEEDS = [signed(ed.keys, [ed.active]), signed([...ed.keys, ...ml.keys], [ed.active, ml.active])];
const PINS = [
  { algorithm: 'Ed25519' as const, publicKey: ed.pairs[0]!.publicKey },
  { algorithm: 'Ed25519' as const, publicKey: ed.pairs[1]!.publicKey },
  { algorithm: 'ML-DSA-65' as const, publicKey: ml.pairs[1]!.publicKey },
];
const enc = new TextEncoder();

export const trustTarget: FuzzTarget = {
  name: 'trust bundle',
  count: 100_000,
  sliceCount: 1_000,
  input(rng: Rng) {
    const seed = SEEDS[rng.chance(0.1) ? 1 : 0]!;
    // The variant picks the pin and whether an earlier bundle was remembered.
    const variant = `pin${rng.below(PINS.length)}${rng.chance(0.3) ? '-seen' : ''}`;
    if (rng.chance(0.25)) return { variant, bytes: mutateBytes(enc.encode(JSON.stringify(seed)), rng) };
    let value: unknown = seed;
    for (let k = 1 + rng.below(3); k > 0; k--) value = mutateJson(value, rng);
    return { variant, bytes: enc.encode(JSON.stringify(value) ?? 'null') };
  },
  run({ variant, bytes }) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return 'not JSON';
    }
    const pin = PINS[Number(variant[3])]!;
    const seen = variant.endsWith('-seen') ? { version: 3, head: { version: 2, keyId: ed.keys[1]!.keyId } } : undefined;
    try {
      const outcome = followTrustBundle(parseTrustBundle(value), pin, { now: NOW, ...(seen && { seen }) });
      return `ok: ${outcome.trusted.length} keys`;
    } catch (e) {
      if (e instanceof GatewayError) return outcomeOf(e.code, e.message);
      throw e;
    }
  },
};
