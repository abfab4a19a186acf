/**
 * The gateway's limits as the policy sets them (`limits:` in the policy YAML), with defaults.
 * Each limit is named in errors by its YAML key, so a refused client learns which one it hit.
 */

/** The limits in force (a part of the policy snapshot). */
export interface Limits {
  /** Channel handshakes one client address may start per minute. */
  readonly handshakesPerSourcePerMinute: number;
  /** MCP sessions one identity may hold open at once, Streamable HTTP and channel together. */
  readonly sessionsPerIdentity: number;
  /** Requests one identity may send upstream per minute (tool calls, lists, reads …). */
  readonly callsPerIdentityPerMinute: number;
  /** Calls one identity may make to one tool per minute. */
  readonly callsPerToolPerMinute: number;
}

/** The YAML key of each limit, as errors and the console name it. */
export const LIMIT_KEYS = {
  handshakesPerSourcePerMinute: 'handshakes_per_source_per_minute',
  sessionsPerIdentity: 'sessions_per_identity',
  callsPerIdentityPerMinute: 'calls_per_identity_per_minute',
  callsPerToolPerMinute: 'calls_per_tool_per_minute',
} as const satisfies Record<keyof Limits, string>;

export type LimitKey = (typeof LIMIT_KEYS)[keyof typeof LIMIT_KEYS];

/**
 * Defaults: generous for an agent (100 requests a second), tight enough that one identity or
 * address cannot take the gateway for itself (a hybrid handshake costs the gateway ~20 ms of
 * CPU with the pure-JS provider; 600 a minute from one address is a fifth of a core).
 */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  handshakesPerSourcePerMinute: 600,
  sessionsPerIdentity: 64,
  callsPerIdentityPerMinute: 6000,
  callsPerToolPerMinute: 3000,
});

/** The largest value any limit takes (more would mean no limit at all). */
export const MAX_LIMIT = 10_000_000;

/** Reads the limits from a stored policy document's `limits` section; defaults fill what is missing or invalid. */
export function limitsFrom(section: unknown): Limits {
  const raw = (typeof section === 'object' && section !== null ? section : {}) as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [field, key] of Object.entries(LIMIT_KEYS) as [keyof Limits, LimitKey][]) {
    const v = raw[key];
    out[field] = typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_LIMIT ? v : DEFAULT_LIMITS[field];
  }
  return Object.freeze(out as unknown as Limits);
}
