import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from './store';
import { createTrafficRecorder, type TrafficJournal } from './traffic-recorder';

const call = (n: number): TrafficEvent => ({ time: n, requestId: `r${n}`, upstream: 'clinic', method: 'tools/call', tool: 'read_chart', suite: 'classical-bearer', transport: 'bearer', decision: 'allow', code: 'allowed', rule: 'test', epoch: 1 });

/** A journal whose appends resolve when the test says so. */
function heldJournal(recovered: TrafficEvent[] = []) {
  const release: (() => void)[] = [];
  const stored: string[] = [];
  const journal: TrafficJournal = {
    append: () => new Promise<void>((r) => release.push(r)),
    stored: (events) => void stored.push(...events.map((e) => e.requestId)),
    recovered: () => recovered,
  };
  return { journal, release, stored };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the traffic recorder', () => {
  it('resolves a record only once the journal has the event (the reply waits for it)', async () => {
    const { journal, release } = heldJournal();
    const recorder = createTrafficRecorder({ write: async () => undefined, journal });
    let done = false;
    void recorder.record(call(1))!.then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    release[0]!();
    await tick();
    expect(done).toBe(true);
  });

  it('keeps a batch the store refused and writes it again, telling the journal only once it is stored', async () => {
    const { journal, stored } = heldJournal();
    const written: string[][] = [];
    let refuse = 2;
    const errors: { kept: number; dropped: number }[] = [];
    let stored3!: () => void;
    const allStored = new Promise<void>((r) => (stored3 = r));
    const recorder = createTrafficRecorder({
      journal,
      intervalMs: 1,
      retryMs: 5,
      write: async (events) => {
        if (refuse-- > 0) throw new Error('database down');
        written.push(events.map((e) => e.requestId));
        stored3();
      },
      onError: (_e, counts) => {
        errors.push(counts);
        // A call answered while the store is down joins the kept batch.
        if (errors.length === 1) void recorder.record(call(3));
      },
    });
    void recorder.record(call(1));
    void recorder.record(call(2));
    await allStored;
    await tick();
    expect(errors).toEqual([
      { kept: 2, dropped: 0 },
      { kept: 3, dropped: 0 },
    ]);
    expect(written).toEqual([['r1', 'r2', 'r3']]);
    expect(stored).toEqual(['r1', 'r2', 'r3']);
  });

  it('writes what the journal recovered from an earlier run first', async () => {
    const { journal, stored } = heldJournal([call(7), call(8)]);
    const written: string[] = [];
    const recorder = createTrafficRecorder({ journal, write: async (events) => void written.push(...events.map((e) => e.requestId)) });
    await recorder.flush();
    expect(written).toEqual(['r7', 'r8']);
    expect(stored).toEqual(['r7', 'r8']);
  });

  it('bounds memory while the store is failing, and says how many events it let go', async () => {
    const dropped: number[] = [];
    const recorder = createTrafficRecorder({ maxBuffered: 3, maxBatch: 100, intervalMs: 1_000, write: async () => Promise.reject(new Error('down')), onError: (_e, c) => void dropped.push(c.dropped) });
    for (let i = 0; i < 5; i++) void recorder.record(call(i));
    expect(dropped).toEqual([1, 1]);
  });
});
