/**
 * The bounded slice of `npm run fuzz` that runs in `npm test`: the first inputs of every target
 * (another seed than the full run's default), each within the per-input budget, and not one crash.
 */
import { describe, expect, it } from 'vitest';
import { runShard } from './engine';
import { TARGETS } from './targets';

const SEED = 20_260_101;
const BUDGET_MS = 2000;

describe('fuzz slice', () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))('%s: no crash, no input over its time budget', async (_name, target) => {
    const r = await runShard(target, SEED, 0, target.sliceCount, BUDGET_MS);
    expect(r.crashes).toEqual([]);
    expect(r.hangs).toEqual([]);
    // The inputs reach past the first check: more than a handful of distinct outcomes.
    expect(Object.keys(r.outcomes).length).toBeGreaterThan(10);
  }, 60_000);
});
