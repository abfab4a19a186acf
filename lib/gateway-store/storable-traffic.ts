/**
 * Makes a traffic event storable whatever the gateway was sent: PostgreSQL (and PGlite) refuse
 * U+0000 in `text` and `jsonb` and a lone UTF-16 surrogate in `jsonb`, and a btree index entry
 * larger than ~2.7 kB (the discovery edge's unique key holds the tool name). One such value
 * used to fail the whole batch it travelled in (docs/audit.md, "Hostile values").
 *
 * Every change is visible: the character becomes U+FFFD, an over-long value keeps its first
 * characters and ends with `…[+N chars]`, and the event lists the fields it changed in
 * `sanitized` (the audit event carries it in `details.sanitized`).
 */
import type { TrafficEvent } from '@/gateway/mcp/store';

/** A traffic event as it is stored, with the fields that had to be changed to store it. */
export type StorableTrafficEvent = TrafficEvent & { readonly sanitized?: readonly string[] };

/**
 * Longest value kept per field, in UTF-16 code units. The discovery edge's unique index holds
 * subject (identity), tool and suite: 128 + 512 + 128 units are at most 2,304 bytes of UTF-8,
 * under PostgreSQL's btree limit even with the truncation marker.
 */
const CAPS: Readonly<Record<string, number>> = { tool: 512, rule: 1024, upstreamError: 2048 };
const DEFAULT_CAP = 128;

const STRING_FIELDS = ['requestId', 'upstream', 'method', 'tool', 'identityId', 'suite', 'transport', 'decision', 'code', 'rule', 'upstreamError'] as const;
const NUMBER_FIELDS = ['time', 'epoch', 'latencyMs'] as const;

// U+0000, or a surrogate that is not half of a pair.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` made storable, or the same string when it already was. */
export function storableString(value: string, cap: number): string {
  let s = value.replace(UNSTORABLE, '\uFFFD');
  if (s.length > cap) {
    // Never cut a surrogate pair in half (that would be a lone surrogate again).
    const end = /[\uD800-\uDBFF]/.test(s[cap - 1] ?? '') ? cap - 1 : cap;
    s = `${s.slice(0, end)}…[+${value.length - end} chars]`;
  }
  return s;
}

/**
 * The event with every string field storable and every number finite; `sanitized` names what
 * changed (an event that needed nothing is returned as it is).
 */
export function storableTrafficEvent(event: TrafficEvent): StorableTrafficEvent {
  const changed: string[] = [];
  const out: Record<string, unknown> = { ...event };
  for (const field of STRING_FIELDS) {
    const v = out[field];
    if (v === undefined) continue;
    // Events crossed a thread or a file as data: a field of the wrong type is made a string too.
    const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
    const safe = storableString(s, CAPS[field] ?? DEFAULT_CAP);
    if (safe !== v) {
      out[field] = safe;
      changed.push(field);
    }
  }
  for (const field of NUMBER_FIELDS) {
    const v = out[field];
    if (v === undefined || (typeof v === 'number' && Number.isFinite(v))) continue;
    out[field] = field === 'latencyMs' ? undefined : field === 'time' ? Date.now() : 0;
    changed.push(field);
  }
  if (!changed.length) return event;
  const prior = (event as StorableTrafficEvent).sanitized ?? [];
  return { ...(out as unknown as TrafficEvent), sanitized: [...new Set([...prior, ...changed])] };
}
