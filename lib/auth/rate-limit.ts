import { db } from '../db';
import { env } from '../env';

/**
 * Sign-in throttling that an attacker cannot turn against the account's owner: failures count
 * per (account, source) pair and per source, never per account alone, so failing from one
 * source delays that source and nobody else. Past the free failures each further attempt waits
 * twice as long as the one before (15 s, 30 s, 1 min … up to the window) instead of a hard lock.
 * Kept in the database so every replica sees the same count (docs/security.md, "Sign-in lockout").
 */
export interface SignInLimits {
  /** Failures of one account from one source before delays start. */
  freeFailuresPerPair: number;
  /** Failures from one source, across accounts, before delays start (password spraying). */
  freeFailuresPerSource: number;
  /** Failures older than this are forgotten; also the longest delay. */
  windowSeconds: number;
}

export function signInLimits(): SignInLimits {
  const e = env();
  return {
    freeFailuresPerPair: e.PQGATE_SIGNIN_MAX_FAILURES_PER_ACCOUNT,
    freeFailuresPerSource: e.PQGATE_SIGNIN_MAX_FAILURES_PER_IP,
    windowSeconds: e.PQGATE_SIGNIN_WINDOW_SECONDS,
  };
}

/** The limits and the clock (ms since the epoch) a check runs with; tests move the clock. */
export interface SignInLimiterOptions {
  limits?: SignInLimits;
  clock?: () => number;
}

/** Whether an attempt may go ahead now, and if not which count delays it and for how long. */
export type SignInVerdict = { allowed: true } | { allowed: false; scope: 'account_source' | 'source'; retryAfterSeconds: number };

/** The first delay, in seconds: long enough that a guesser gains little, short enough for a typo. */
export const FIRST_DELAY_SECONDS = 15;

/** Seconds to wait after the `failures`-th failure: none while free, then doubling up to `capSeconds`. */
export function delayAfter(failures: number, free: number, capSeconds: number): number {
  return failures < free ? 0 : Math.min(capSeconds, FIRST_DELAY_SECONDS * 2 ** Math.min(failures - free, 20));
}

function resolve(options: SignInLimiterOptions) {
  return { limits: options.limits ?? signInLimits(), now: (options.clock ?? Date.now)() };
}

/** When the next attempt may be made after `count` failures, the last at `last`; ms since the epoch. */
function nextAllowed(count: number, last: Date | null, free: number, windowSeconds: number): number {
  const delay = delayAfter(count, free, windowSeconds);
  return delay === 0 || !last ? 0 : last.getTime() + delay * 1000;
}

/** Decides whether `source` may try to sign in to `email` now. */
export async function checkSignIn(email: string, source: string, options: SignInLimiterOptions = {}): Promise<SignInVerdict> {
  const { limits, now } = resolve(options);
  const since = new Date(now - limits.windowSeconds * 1000);
  const failure = { success: false, createdAt: { gte: since, lte: new Date(now) } };
  const [pair, bySource] = await Promise.all([
    db.signInAttempt.aggregate({ where: { ...failure, email, ip: source, clearedAt: null }, _count: { _all: true }, _max: { createdAt: true } }),
    db.signInAttempt.aggregate({ where: { ...failure, ip: source }, _count: { _all: true }, _max: { createdAt: true } }),
  ]);
  const pairAt = nextAllowed(pair._count._all, pair._max.createdAt, limits.freeFailuresPerPair, limits.windowSeconds);
  const sourceAt = nextAllowed(bySource._count._all, bySource._max.createdAt, limits.freeFailuresPerSource, limits.windowSeconds);
  const at = Math.max(pairAt, sourceAt);
  if (at <= now) return { allowed: true };
  return { allowed: false, scope: pairAt >= sourceAt ? 'account_source' : 'source', retryAfterSeconds: Math.ceil((at - now) / 1000) };
}

/**
 * Records an attempt. A success clears its pair's failures (the owner typed the password after
 * a few typos), never the source's: a sprayer who knows one password is still slowed on the rest.
 */
export async function recordSignInAttempt(email: string, source: string, success: boolean, clock: () => number = Date.now): Promise<void> {
  const at = new Date(clock());
  if (success) await db.signInAttempt.updateMany({ where: { email, ip: source, success: false, clearedAt: null }, data: { clearedAt: at } });
  await db.signInAttempt.create({ data: { email, ip: source, success, createdAt: at } });
}

/** An account whose sign-ins are delayed from at least one source. */
export interface SignInDelay {
  email: string;
  /** Sources whose failures on this account reached the free count. */
  sources: number;
  failures: number;
  /** The latest time one of those sources must wait for. */
  until: Date;
}

/** Accounts among `emails` with delays in force now (the Settings page shows them). */
export async function listSignInDelays(emails: string[], options: SignInLimiterOptions = {}): Promise<SignInDelay[]> {
  const { limits, now } = resolve(options);
  if (emails.length === 0) return [];
  const pairs = await db.signInAttempt.groupBy({
    by: ['email', 'ip'],
    where: { email: { in: emails }, success: false, clearedAt: null, createdAt: { gte: new Date(now - limits.windowSeconds * 1000) } },
    _count: { _all: true },
    _max: { createdAt: true },
    having: { id: { _count: { gte: limits.freeFailuresPerPair } } },
  });
  const byEmail = new Map<string, SignInDelay>();
  for (const p of pairs) {
    const until = nextAllowed(p._count._all, p._max.createdAt, limits.freeFailuresPerPair, limits.windowSeconds);
    const d = byEmail.get(p.email) ?? { email: p.email, sources: 0, failures: 0, until: new Date(0) };
    d.sources += 1;
    d.failures += p._count._all;
    if (until > d.until.getTime()) d.until = new Date(until);
    byEmail.set(p.email, d);
  }
  return [...byEmail.values()].sort((a, b) => a.email.localeCompare(b.email));
}

/**
 * Lifts the delays of an account from every source (an admin's unlock): its failures stop
 * counting against their pairs. Per-source counts stay, so an unlock never frees a sprayer.
 * @returns how many failures were cleared.
 */
export async function unlockSignIn(email: string, clock: () => number = Date.now): Promise<number> {
  const { count } = await db.signInAttempt.updateMany({ where: { email, success: false, clearedAt: null }, data: { clearedAt: new Date(clock()) } });
  return count;
}
