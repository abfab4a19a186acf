/**
 * The trust bundle parser and verifier (gateway/keys/trust-bundle.ts): key chains of two
 * schemes, mutated as JSON and as text, parsed and then followed from the pinned first key.
 * Its own errors are GatewayErrors; anything else thrown is a crash.
 */
import { generateKeyPair } from '../../../gateway/channel';
import { getCryptoProvider, toBase64Url, toHex } from '../../../gateway/crypto';
import { GatewayError } from '../../../gateway/errors';
import { followTrustBundle, parseTrustBundle, signKeyLink, TRUST_BUNDLE_FORMAT } from '../../../gateway/keys';
import { mutateBytes, mutateJson, type Rng } from '../mutate';
import { outcomeOf, type FuzzTarget } from '../target';

const provider = getCryptoProvider();

function chain(algorithm: 'Ed25519' | 'ML-DSA-65', n: number) {
  const pairs = Array.from({ length: n }, (_, i) => generateKeyPair(algorithm, { seed: new Uint8Array(32).fill(90 + i) }));
  const keys = pairs.map((p, i) => ({
    algorithm,
    version: i + 1,
    status: i === n - 1 ? 'active' : i === 0 ? 'retired' : 'retiring',
    keyId: toHex(p.keyId),
    publicKey: toBase64Url(p.publicKey),
    ...(i > 0 ? { previousSignature: toBase64Url(signKeyLink(provider.signature(algorithm).importSigner(pairs[i - 1]!.seed), { algorithm, version: i + 1, publicKey: p.publicKey })) } : {}),
  }));
  return { pinned: { algorithm, publicKey: pairs[0]!.publicKey }, keys };
}

const ed = chain('Ed25519', 3);
const ml = chain('ML-DSA-65', 2);
const SEEDS = [{ format: TRUST_BUNDLE_FORMAT, keys: ed.keys }, { format: TRUST_BUNDLE_FORMAT, keys: [...ed.keys, ...ml.keys] }];
const pinned = [ed.pinned, ml.pinned];
const enc = new TextEncoder();

export const trustTarget: FuzzTarget = {
  name: 'trust bundle',
  count: 100_000,
  sliceCount: 1_000,
  input(rng: Rng) {
    // The chain with ML-DSA-65 links costs milliseconds to follow: one input in ten.
    const seed = SEEDS[rng.chance(0.1) ? 1 : 0]!;
    if (rng.chance(0.25)) return { variant: 'follow', bytes: mutateBytes(enc.encode(JSON.stringify(seed)), rng) };
    let value: unknown = seed;
    for (let k = 1 + rng.below(3); k > 0; k--) value = mutateJson(value, rng);
    return { variant: 'follow', bytes: enc.encode(JSON.stringify(value) ?? 'null') };
  },
  run({ bytes }) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return 'not JSON';
    }
    try {
      return `ok: ${followTrustBundle(parseTrustBundle(value), pinned).length} keys`;
    } catch (e) {
      if (e instanceof GatewayError) return outcomeOf(e.code, e.message);
      throw e;
    }
  },
};
