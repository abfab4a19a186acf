import { describe, expect, it } from 'vitest';
import { SlidingWindowReplayGuard } from './record';

const sid = (n: number) => new Uint8Array(16).fill(n);

describe('replay window', () => {
  it('accepts each sequence number once, in order or reordered within the window', () => {
    const g = new SlidingWindowReplayGuard(64);
    expect([0, 2, 1, 3].map((s) => g.accept(sid(1), s))).toEqual([true, true, true, true]);
    expect([0, 1, 2, 3].map((s) => g.accept(sid(1), s))).toEqual([false, false, false, false]);
  });

  it('refuses what falls behind the window, keeps sessions apart', () => {
    const g = new SlidingWindowReplayGuard(64);
    expect(g.accept(sid(1), 100)).toBe(true);
    expect(g.accept(sid(1), 37)).toBe(true); // 63 behind: inside
    expect(g.accept(sid(1), 36)).toBe(false); // 64 behind: outside
    expect(g.accept(sid(2), 36)).toBe(true);
    expect(g.accept(sid(1), 1000)).toBe(true);
    expect(g.accept(sid(1), 100)).toBe(false);
  });

  it('forgets the least recently used session beyond its capacity', () => {
    const g = new SlidingWindowReplayGuard(64, 2);
    g.accept(sid(1), 5);
    g.accept(sid(2), 5);
    g.accept(sid(3), 5);
    expect(g.accept(sid(1), 5)).toBe(true); // evicted, so unknown again
    expect(g.accept(sid(3), 5)).toBe(false);
  });
});
