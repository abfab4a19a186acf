import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '../policy/limits';
import { createLimiter } from './limiter';

const ALICE = { identityId: 'id-alice', identityName: 'alice' };

function limiterWith(limits: Partial<Limits>, maxKeys?: number) {
  const state = { now: 1_000_000, limits: { ...DEFAULT_LIMITS, ...limits } };
  return { state, limiter: createLimiter({ limits: () => state.limits, clock: () => state.now, ...(maxKeys ? { maxKeys } : {}) }) };
}

describe('limiter', () => {
  it('a clock that steps back never hands out tokens', () => {
    const { state, limiter } = limiterWith({ callsPerIdentityPerMinute: 1 });
    expect(limiter.call(ALICE)).toBeNull();
    state.now -= 3_600_000;
    expect(limiter.call(ALICE)?.error.retryAfterSeconds).toBe(60);
    state.now += 3_600_000 + 60_000;
    expect(limiter.call(ALICE)).toBeNull();
  });

  it('a lowered limit applies at the next check, a raised one at once', () => {
    const { state, limiter } = limiterWith({ callsPerIdentityPerMinute: 100 });
    for (let i = 0; i < 10; i++) expect(limiter.call(ALICE)).toBeNull();
    state.limits = { ...state.limits, callsPerIdentityPerMinute: 5 };
    expect(limiter.call(ALICE)).toBeNull(); // the bucket is clamped to 5, one spent
    for (let i = 0; i < 4; i++) expect(limiter.call(ALICE)).toBeNull();
    expect(limiter.call(ALICE)?.error.data).toEqual({ limit: 'calls_per_identity_per_minute', value: 5 });
    state.limits = { ...state.limits, sessionsPerIdentity: 1 };
    limiter.openSession(ALICE);
    expect(() => limiter.openSession(ALICE)).toThrow(/sessions_per_identity \(1\)/);
    state.limits = { ...state.limits, sessionsPerIdentity: 2 };
    expect(() => limiter.openSession(ALICE)).not.toThrow();
  });

  it('client addresses are remembered up to the bound, the most recent first', () => {
    const { limiter } = limiterWith({ handshakesPerSourcePerMinute: 1 }, 100);
    expect(limiter.handshake('203.0.113.7')).toBeNull();
    expect(limiter.handshake('203.0.113.7')).not.toBeNull();
    // 98 others fill the table to its bound: the limited address is still remembered.
    for (let i = 0; i < 98; i++) limiter.handshake(`10.0.0.${i}`);
    expect(limiter.handshake('203.0.113.7')).not.toBeNull();
    // Past the bound, the oldest empty buckets go (an attacker needs that many addresses).
    for (let i = 0; i < 1000; i++) limiter.handshake(`10.1.${i >> 8}.${i & 255}`);
    expect(limiter.handshake('10.1.3.231')).not.toBeNull();
  });

  it('a released session lease is released once, however often release is called', () => {
    const { limiter } = limiterWith({ sessionsPerIdentity: 2 });
    const a = limiter.openSession(ALICE);
    limiter.openSession(ALICE);
    a.release();
    a.release();
    limiter.openSession(ALICE);
    expect(() => limiter.openSession(ALICE)).toThrow(/sessions_per_identity/);
  });
});
