/**
 * The policy's `limits:` enforced in memory, per process: token buckets for handshakes per
 * client address and calls per identity and per (identity, tool), and a count of open MCP
 * sessions per identity shared by the Streamable HTTP and channel sides. Limits are read from
 * the policy snapshot on every check, so a saved policy applies to the very next request; no
 * database is touched. A refusal is a `rate_limited` GatewayError naming the limit, its value
 * and when to retry (HTTP 429 + Retry-After, or JSON-RPC error -32015 with the same data).
 */
import { GatewayError } from '../errors';
import { LIMIT_KEYS, type LimitKey, type Limits } from '../policy/limits';
import type { Caller } from './store';

/** A refusal, and whether it is the first since its bucket last had room (worth recording once). */
export interface LimitRefusal {
  readonly error: GatewayError;
  readonly first: boolean;
  readonly limit: LimitKey;
}

/** An open session's place in its identity's count; `release` is idempotent. */
export interface SessionLease {
  release(): void;
}

export interface Limiter {
  /** Before a channel handshake from `source`. */
  handshake(source: string): LimitRefusal | null;
  /** Before every request an identity sends upstream. */
  call(caller: Caller): LimitRefusal | null;
  /** Before a `tools/call` the policy allowed. */
  toolCall(caller: Caller, upstream: string, tool: string): LimitRefusal | null;
  /**
   * Takes a place for a new MCP session of `caller`.
   * @throws GatewayError `rate_limited` when the identity holds `sessions_per_identity` already.
   */
  openSession(caller: Caller): SessionLease;
}

export interface LimiterDeps {
  readonly limits: () => Limits;
  readonly clock: () => number;
  /** Keys kept per bucket table at most (client addresses are many); full buckets go first. */
  readonly maxKeys?: number;
}

const MINUTE_MS = 60_000;
/** A session refused for the per-identity cap is told to retry after this (or after closing one). */
const SESSION_RETRY_SECONDS = 60;

interface Bucket {
  tokens: number;
  at: number;
  refused: boolean;
}

/** Token buckets of `perMinute` tokens refilled evenly over a minute: bursts up to the limit. */
function createBuckets(maxKeys: number) {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, perMinute: number, now: number) => Math.min(perMinute, b.tokens + ((now - b.at) * perMinute) / MINUTE_MS);

  function evict(now: number, perMinute: number): void {
    // A bucket that refilled is indistinguishable from no bucket: those go first, then the oldest.
    for (const [key, b] of buckets) if (refill(b, perMinute, now) >= perMinute) buckets.delete(key);
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys * 0.9) break;
      buckets.delete(key);
    }
  }

  /** Spends one token of `key`: 0 when there was one, else the milliseconds until there is. */
  return (key: string, perMinute: number, now: number): { waitMs: number; first: boolean } => {
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size >= maxKeys) evict(now, perMinute);
      buckets.set(key, (b = { tokens: perMinute, at: now, refused: false }));
    }
    // A clock that went back never mints tokens.
    b.tokens = refill(b, perMinute, Math.max(now, b.at));
    b.at = Math.max(now, b.at);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.refused = false;
      return { waitMs: 0, first: false };
    }
    const first = !b.refused;
    b.refused = true;
    return { waitMs: ((1 - b.tokens) * MINUTE_MS) / perMinute, first };
  };
}

/** Whole seconds to wait, rounded up (a hair of float error never adds a second). */
function retrySeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000 - 1e-9));
}

function refusal(limit: LimitKey, value: number, who: string, retryAfterSeconds: number, first: boolean, advice: string): LimitRefusal {
  const error = new GatewayError('rate_limited', `limit ${limit} (${value}) reached for ${who}; ${advice}retry in ${retryAfterSeconds} s`, { retryAfterSeconds, data: { limit, value } });
  return { error, first, limit };
}

/** Creates the limiter of one gateway. */
export function createLimiter(deps: LimiterDeps): Limiter {
  const maxKeys = deps.maxKeys ?? 100_000;
  const handshakes = createBuckets(maxKeys);
  const calls = createBuckets(maxKeys);
  const toolCalls = createBuckets(maxKeys);
  const sessions = new Map<string, number>();

  function rate(take: ReturnType<typeof createBuckets>, field: keyof Limits, key: string, who: string): LimitRefusal | null {
    const value = deps.limits()[field];
    const { waitMs, first } = take(key, value, deps.clock());
    return waitMs === 0 ? null : refusal(LIMIT_KEYS[field], value, who, retrySeconds(waitMs), first, '');
  }

  return {
    handshake: (source) => rate(handshakes, 'handshakesPerSourcePerMinute', source, `client address ${source.slice(0, 64)}`),
    call: (caller) => rate(calls, 'callsPerIdentityPerMinute', caller.identityId, `identity ${caller.identityName}`),
    toolCall: (caller, upstream, tool) => rate(toolCalls, 'callsPerToolPerMinute', `${caller.identityId}\0${upstream}\0${tool}`, `identity ${caller.identityName} on tool ${upstream}/${tool.slice(0, 64)}`),
    openSession(caller) {
      const value = deps.limits().sessionsPerIdentity;
      const open = sessions.get(caller.identityId) ?? 0;
      if (open >= value) {
        throw refusal(LIMIT_KEYS.sessionsPerIdentity, value, `identity ${caller.identityName}`, SESSION_RETRY_SECONDS, true, 'close a session (DELETE it, or let it idle out) or ').error;
      }
      sessions.set(caller.identityId, open + 1);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          const left = (sessions.get(caller.identityId) ?? 1) - 1;
          if (left <= 0) sessions.delete(caller.identityId);
          else sessions.set(caller.identityId, left);
        },
      };
    },
  };
}
