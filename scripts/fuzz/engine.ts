/** Runs a range of one target's inputs and tallies outcomes, crashes and slow inputs. */
import { Rng } from './mutate';
import type { FuzzTarget } from './target';

/** A crash: the input's number (rebuild it with `Rng.forInput`), the error's name and message. */
export interface Crash {
  readonly index: number;
  readonly error: string;
  readonly stack?: string;
}

export interface ShardResult {
  readonly inputs: number;
  readonly ms: number;
  /** Outcome → how many inputs had it. */
  readonly outcomes: Record<string, number>;
  readonly crashes: Crash[];
  /** Inputs that took longer than the per-input budget (hangs). */
  readonly hangs: { readonly index: number; readonly ms: number }[];
}

/** Kept per shard; the rest are counted but not listed (one is enough to reproduce). */
const MAX_LISTED = 20;

/** The input numbered `index` of `target` in the run seeded `seed`. */
export function inputAt(target: FuzzTarget, seed: number, index: number) {
  return target.input(Rng.forInput(seed, index));
}

/**
 * Runs inputs [from, to) of `target`. `progress(index)` is told the number of the input about to
 * run (a watchdog in another thread uses it to see an input that never returns).
 */
export async function runShard(target: FuzzTarget, seed: number, from: number, to: number, budgetMs: number, progress: (index: number) => void = () => undefined): Promise<ShardResult> {
  const outcomes: Record<string, number> = {};
  const crashes: Crash[] = [];
  const hangs: { index: number; ms: number }[] = [];
  const started = performance.now();
  let crashCount = 0;
  for (let index = from; index < to; index++) {
    progress(index);
    const input = inputAt(target, seed, index);
    const t0 = performance.now();
    let outcome: string;
    try {
      const out = target.run(input);
      outcome = typeof out === 'string' ? out : await out;
    } catch (e) {
      crashCount++;
      const err = e as Error;
      outcome = `CRASH ${err?.name ?? typeof e}`;
      if (crashes.length < MAX_LISTED) crashes.push({ index, error: `${err?.name}: ${String(err?.message).slice(0, 300)}`, stack: err?.stack?.split('\n').slice(0, 6).join('\n') });
    }
    const ms = performance.now() - t0;
    if (ms > budgetMs && hangs.length < MAX_LISTED) hangs.push({ index, ms });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { inputs: to - from, ms: performance.now() - started, outcomes, crashes, hangs };
}
