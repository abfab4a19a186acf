import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-rate-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, ensureMigrated } = await import('../db');
const { checkSignIn, delayAfter, listSignInDelays, recordSignInAttempt, unlockSignIn } = await import('./rate-limit');

const limits = { freeFailuresPerPair: 3, freeFailuresPerSource: 6, windowSeconds: 600 };
const T0 = Date.parse('2026-06-01T12:00:00Z');

/** A clock each test moves by hand; every call gets its own start so tests never share failures. */
function clockAt(start: number) {
  const c = { now: start, tick: () => c.now, advance: (ms: number) => void (c.now += ms) };
  return c;
}

async function fail(clock: ReturnType<typeof clockAt>, email: string, source: string, times = 1) {
  for (let i = 0; i < times; i++) await recordSignInAttempt(email, source, false, clock.tick);
}

describe('sign-in throttling', () => {
  beforeAll(async () => {
    await ensureMigrated();
  });
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delays grow 15 s, 30 s, 1 min … past the free failures, up to the window', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20, 5000].map((n) => delayAfter(n, 3, 600))).toEqual([0, 0, 0, 15, 30, 60, 120, 600, 600]);
  });

  it('an attacker failing from one source cannot stop the owner signing in from another', async () => {
    const clock = clockAt(T0);
    await fail(clock, 'admin@example.test', '198.51.100.66', 30);
    const attacker = await checkSignIn('admin@example.test', '198.51.100.66', { limits, clock: clock.tick });
    expect(attacker).toMatchObject({ allowed: false, scope: 'account_source' });
    expect(await checkSignIn('admin@example.test', '192.0.2.1', { limits, clock: clock.tick })).toEqual({ allowed: true });
  });

  it('each further failure of a pair doubles the wait, and the wait ends when the clock passes it', async () => {
    const clock = clockAt(T0 + 3_600_000);
    const check = () => checkSignIn('ana@example.test', '203.0.113.4', { limits, clock: clock.tick });
    await fail(clock, 'ana@example.test', '203.0.113.4', 2);
    expect(await check()).toEqual({ allowed: true });
    await fail(clock, 'ana@example.test', '203.0.113.4');
    expect(await check()).toEqual({ allowed: false, scope: 'account_source', retryAfterSeconds: 15 });
    clock.advance(15_000);
    expect(await check()).toEqual({ allowed: true });
    await fail(clock, 'ana@example.test', '203.0.113.4');
    expect(await check()).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
    clock.advance(29_500);
    expect(await check()).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(await check()).toEqual({ allowed: true });
  });

  it('counts only failures inside the window', async () => {
    const clock = clockAt(T0 + 2 * 3_600_000);
    const check = () => checkSignIn('carol@example.test', '198.51.100.1', { limits, clock: clock.tick });
    await fail(clock, 'carol@example.test', '198.51.100.1', 2);
    clock.advance(450_000);
    await fail(clock, 'carol@example.test', '198.51.100.1');
    expect(await check()).toMatchObject({ allowed: false });
    // The first two age out of the 600 s window: one failure left, under the free three.
    clock.advance(160_000);
    expect(await check()).toEqual({ allowed: true });
    await fail(clock, 'carol@example.test', '198.51.100.1');
    expect(await check()).toEqual({ allowed: true });
    await fail(clock, 'carol@example.test', '198.51.100.1');
    // Three inside the window: the first delay again, not the third (as five failures would give).
    expect(await check()).toEqual({ allowed: false, scope: 'account_source', retryAfterSeconds: 15 });
  });

  it('slows a source spraying many accounts, for every account, and nobody else', async () => {
    const clock = clockAt(T0 + 3 * 3_600_000);
    for (let i = 0; i < 6; i++) await fail(clock, `user${i}@example.test`, '192.0.2.7');
    expect(await checkSignIn('fresh@example.test', '192.0.2.7', { limits, clock: clock.tick })).toEqual({ allowed: false, scope: 'source', retryAfterSeconds: 15 });
    expect(await checkSignIn('fresh@example.test', '192.0.2.8', { limits, clock: clock.tick })).toEqual({ allowed: true });
  });

  it('a success clears its own pair only; an unlock clears the account from every source but not a source count', async () => {
    const clock = clockAt(T0 + 4 * 3_600_000);
    const opts = { limits, clock: clock.tick };
    await fail(clock, 'dan@example.test', '203.0.113.20', 3);
    await fail(clock, 'dan@example.test', '203.0.113.21', 3);
    const lastFailure = clock.now;
    clock.advance(200);
    await recordSignInAttempt('dan@example.test', '203.0.113.20', true, clock.tick);
    await fail(clock, 'dan@example.test', '203.0.113.20');
    expect(await checkSignIn('dan@example.test', '203.0.113.20', opts)).toEqual({ allowed: true });
    expect(await checkSignIn('dan@example.test', '203.0.113.21', opts)).toMatchObject({ allowed: false });
    expect(await listSignInDelays(['dan@example.test', 'nobody@example.test'], opts)).toEqual([{ email: 'dan@example.test', sources: 1, failures: 3, until: new Date(lastFailure + 15_000) }]);

    await fail(clock, 'dan@example.test', '203.0.113.21', 3); // 6 from this source: its own count is at the limit too
    expect(await unlockSignIn('dan@example.test', clock.tick)).toBe(7);
    expect(await listSignInDelays(['dan@example.test'], opts)).toEqual([]);
    expect(await checkSignIn('dan@example.test', '203.0.113.21', opts)).toMatchObject({ allowed: false, scope: 'source' });
    expect(await checkSignIn('dan@example.test', '203.0.113.22', opts)).toEqual({ allowed: true });
  });
});
