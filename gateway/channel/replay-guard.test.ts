import { describe, expect, it } from 'vitest';
import { LedgerReplayGuard, MemorySeqLedger, type ReplayGuard, type ReplayVerdict, type SeqLedger } from './replay-guard';

const sid = (n: number) => new Uint8Array(16).fill(n);
const LATER = 2_000_000_000_000;
const verdicts = async (g: ReplayGuard, s: Uint8Array, seqs: number[]): Promise<ReplayVerdict[]> => {
  const out: ReplayVerdict[] = [];
  for (const q of seqs) out.push(await g.accept(s, q, LATER));
  return out;
};

describe('replay window of one process', () => {
  it('accepts each sequence number once, in order or reordered within the window', async () => {
    const g = new LedgerReplayGuard(new MemorySeqLedger(), { window: 64 });
    expect(await verdicts(g, sid(1), [0, 2, 1, 3])).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    expect(await verdicts(g, sid(1), [0, 1, 2, 3])).toEqual(['replay', 'replay', 'replay', 'replay']);
  });

  it('refuses what falls behind the window, keeps sessions apart', async () => {
    const g = new LedgerReplayGuard(new MemorySeqLedger(), { window: 64 });
    expect(await verdicts(g, sid(1), [100, 37, 36])).toEqual(['fresh', 'fresh', 'replay']); // 63 behind: inside; 64: outside
    expect(await verdicts(g, sid(2), [36])).toEqual(['fresh']);
    expect(await verdicts(g, sid(1), [1000, 100])).toEqual(['fresh', 'replay']);
  });

  it('decides inside its reservation without yielding, and asks the ledger once per reservation', async () => {
    const ledger = new MemorySeqLedger();
    const calls: string[] = [];
    const counting: SeqLedger = {
      claim: (...a) => (calls.push('claim'), ledger.claim(...a)),
      extend: (...a) => (calls.push('extend'), ledger.extend(...a)),
      release: (l) => ledger.release(l),
    };
    const g = new LedgerReplayGuard(counting, { reserve: 16 });
    expect(await g.accept(sid(1), 0, LATER)).toBe('fresh');
    for (let q = 1; q <= 16; q++) expect(g.accept(sid(1), q, LATER)).toBe('fresh'); // synchronous
    expect(await g.accept(sid(1), 17, LATER)).toBe('fresh');
    expect(calls).toEqual(['claim', 'extend']);
  });

  it('concurrent copies of one record waiting on the ledger: exactly one is fresh', async () => {
    const ledger = new MemorySeqLedger();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const slow: SeqLedger = { claim: async (...a) => (await gate, ledger.claim(...a)), extend: (...a) => ledger.extend(...a), release: (l) => ledger.release(l) };
    const g = new LedgerReplayGuard(slow);
    const copies = Array.from({ length: 10 }, () => g.accept(sid(1), 0, LATER));
    open();
    const out = await Promise.all(copies);
    expect(out.filter((v) => v === 'fresh')).toHaveLength(1);
    expect(out.filter((v) => v === 'replay')).toHaveLength(9);
  });
});

describe('at most once across restarts and replicas (one shared ledger)', () => {
  it('a record replayed after a crash and restart is refused (fenced)', async () => {
    const ledger = new MemorySeqLedger();
    const before = new LedgerReplayGuard(ledger, { owner: 'a' });
    expect(await verdicts(before, sid(1), [0, 1, 2])).toEqual(['fresh', 'fresh', 'fresh']);
    // kill -9: no close(); a new process comes up with a new owner name.
    const after = new LedgerReplayGuard(ledger, { owner: 'a2' });
    expect(await verdicts(after, sid(1), [0, 1, 2])).toEqual(['fenced', 'fenced', 'fenced']);
  });

  it('after a graceful restart the session goes on where it was; its old records stay refused', async () => {
    const ledger = new MemorySeqLedger();
    const before = new LedgerReplayGuard(ledger, { owner: 'a' });
    await verdicts(before, sid(1), [0, 1, 2]);
    await before.close();
    const after = new LedgerReplayGuard(ledger, { owner: 'a2' });
    expect(await verdicts(after, sid(1), [2, 3, 1, 4])).toEqual(['fenced', 'fresh', 'fenced', 'fresh']);
  });

  it('a closed guard accepts nothing more', async () => {
    const g = new LedgerReplayGuard(new MemorySeqLedger());
    await g.close();
    expect(() => g.accept(sid(1), 0, LATER)).toThrow(/shutting down/);
  });

  it('two replicas never both accept one record, whichever sees it first, and a session can move between them', async () => {
    const ledger = new MemorySeqLedger();
    const a = new LedgerReplayGuard(ledger, { owner: 'a', reserve: 8 });
    const b = new LedgerReplayGuard(ledger, { owner: 'b', reserve: 8 });
    const accepted = new Map<number, number>();
    const count = (q: number, v: ReplayVerdict) => v === 'fresh' && accepted.set(q, (accepted.get(q) ?? 0) + 1);
    // Every record is delivered to both replicas, in alternating order (an attacker copying records).
    for (let q = 0; q < 100; q++) {
      const [first, second] = q % 3 === 0 ? [a, b] : [b, a];
      count(q, await first.accept(sid(7), q, LATER));
      count(q, await second.accept(sid(7), q, LATER));
    }
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    // Some numbers are lost to a move (fenced on the new holder), never accepted twice.
    expect(accepted.size).toBeGreaterThan(0);
  });

  it('property: any interleaving of copies across three replicas accepts each number at most once', async () => {
    const fc = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 }), fc.boolean()), { maxLength: 200 }), async (steps) => {
        const ledger = new MemorySeqLedger();
        let guards = [0, 1, 2].map((i) => new LedgerReplayGuard(ledger, { owner: `r${i}`, reserve: 4, window: 8 }));
        const accepted = new Set<number>();
        for (const [replica, seq, crash] of steps) {
          if (crash) {
            guards = guards.map((g, i) => (i === replica ? new LedgerReplayGuard(ledger, { owner: `r${i}-${seq}-${Math.random()}`, reserve: 4, window: 8 }) : g));
            continue;
          }
          if ((await guards[replica]!.accept(sid(1), seq, LATER)) === 'fresh') {
            if (accepted.has(seq)) return false;
            accepted.add(seq);
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('an unreachable ledger refuses the record and accepts it once the ledger is back', async () => {
    const ledger = new MemorySeqLedger();
    let down = true;
    const flaky: SeqLedger = {
      claim: async (...a) => {
        if (down) throw new Error('connection refused');
        return ledger.claim(...a);
      },
      extend: (...a) => ledger.extend(...a),
      release: (l) => ledger.release(l),
    };
    const g = new LedgerReplayGuard(flaky);
    await expect(async () => g.accept(sid(1), 0, LATER)).rejects.toMatchObject({ code: 'store_unavailable' });
    down = false;
    expect(await g.accept(sid(1), 0, LATER)).toBe('fresh');
    expect(await g.accept(sid(1), 0, LATER)).toBe('replay');
  });
});
