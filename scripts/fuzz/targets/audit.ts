/**
 * The audit bundle verifier (gateway/audit/verify-bundle.ts): a small signed log with
 * consistency and inclusion proofs, mutated as JSON (fields removed, retyped, moved, numbers at
 * their edges, hostile strings) and as text. The verifier "never throws for bad input": every
 * bundle gets a verification result, and anything thrown is a crash.
 */
import { parseVerifierKey, verifyBundle } from '../../../gateway/audit';
import { buildTestBundle } from '../../../gateway/audit/test-log';
import { mutateBytes, mutateJson, type Rng } from '../mutate';
import { outcomeOf, type FuzzTarget } from '../target';

// Few checkpoints: each costs an ML-DSA-65 verification (milliseconds), which sets the pace.
const { bundle } = buildTestBundle(6, 3, { consistencyProofs: true, inclusionProofs: [{ seq: 1, treeSize: 3 }, { seq: 4, treeSize: 6 }] });
const SEEDS: readonly unknown[] = [bundle, buildTestBundle(5, 5, { inclusionProofs: [{ seq: 2, treeSize: 5 }] }).bundle, buildTestBundle(3, 3).bundle];
const trustedKeys = [parseVerifierKey(bundle.keys[0]!)];
const enc = new TextEncoder();

export const auditTarget: FuzzTarget = {
  name: 'audit bundle',
  count: 30_000,
  sliceCount: 300,
  input(rng: Rng) {
    const seed = rng.pick(SEEDS);
    const variant = rng.chance(0.5) ? 'trusted-keys' : 'bundle-keys';
    if (rng.chance(0.25)) return { variant, bytes: mutateBytes(enc.encode(JSON.stringify(seed)), rng) };
    let value = seed;
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
    const result = verifyBundle(value, variant === 'trusted-keys' ? { trustedKeys } : {});
    return result.valid ? 'valid' : outcomeOf(result.firstBad?.kind ?? 'invalid', result.firstBad?.message);
  },
};
