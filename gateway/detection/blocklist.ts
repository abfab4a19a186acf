/**
 * Sources refused until a time: what `block_downgrade_attempts` does. In memory and per
 * process; entries expire on their own and the list is bounded.
 */
export function createBlocklist(options: { clock?: () => number; maxEntries?: number } = {}) {
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const until = new Map<string, number>();
  return {
    /** Refuses `source` until `untilMs`; a later block extends, an earlier one never shortens. */
    block(source: string, untilMs: number): void {
      // `unknown` is blocked like any source: otherwise a client that made itself unattributable
      // would escape every block (the price: unattributable clients share a block).
      const next = Math.max(untilMs, until.get(source) ?? 0);
      until.delete(source);
      until.set(source, next);
      if (until.size > maxEntries) until.delete(until.keys().next().value!);
    },
    /** When `source` is blocked, the time its block ends (ms since the epoch); otherwise null. */
    blockedUntil(source: string): number | null {
      const t = until.get(source);
      if (t === undefined) return null;
      if (t <= clock()) {
        until.delete(source);
        return null;
      }
      return t;
    },
    unblock(source: string): void {
      until.delete(source);
    },
  };
}

export type Blocklist = ReturnType<typeof createBlocklist>;
