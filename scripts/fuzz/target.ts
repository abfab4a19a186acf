/** What the fuzzer needs from one target (scripts/fuzz/targets/*). */
import type { Rng } from './mutate';

/** One input: the bytes a parser gets, and which of a target's entry points gets them. */
export interface FuzzInput {
  /** The entry point (a parser name), part of the saved file's name. */
  readonly variant: string;
  readonly bytes: Uint8Array;
}

export interface FuzzTarget {
  readonly name: string;
  /** Inputs of a full `npm run fuzz` (tuned so the whole run fits in a few minutes on 2 cores). */
  readonly count: number;
  /** Inputs of the slice that runs in `npm test`. */
  readonly sliceCount: number;
  /** Builds one input from `rng` alone: a mutated seed or a generated input. */
  input(rng: Rng): FuzzInput;
  /**
   * Runs one input; returns its outcome (`ok`, a result kind or the module's own error code).
   * Throws only for a crash: an error that is not the module's own, or a broken invariant.
   */
  run(input: FuzzInput): string | Promise<string>;
}

/** A broken invariant found by a target (counted as a crash, like an untyped exception). */
export class InvariantBroken extends Error {
  override readonly name = 'InvariantBroken';
}

/** Digits folded, length capped: error messages that differ only in numbers are one outcome. */
export function outcomeOf(code: string, message = ''): string {
  const detail = message.replace(/\d+/g, '#').replace(/"[^"]*"/g, '"…"').slice(0, 60);
  return detail ? `${code}: ${detail}` : code;
}
