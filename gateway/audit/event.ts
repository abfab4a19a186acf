/**
 * Audit events as leaves. An event's leaf is its canonical JSON — every field, its time included,
 * so that editing the time is detected like editing anything else — hashed as an RFC 9162 leaf:
 * SHA-256(0x00 || canonical JSON).
 */
import { GatewayError } from '../errors';
import { canonicalJson } from './canonical';
import { hashLeaf } from './merkle-hash';

/** The fields of an event exactly as they were hashed (JSON values; `time` as an ISO string or Date). */
export type AuditEventFields = Readonly<Record<string, unknown>>;

const encoder = new TextEncoder();

/** The canonical bytes an event's leaf hash covers. */
export function auditEventBytes(event: AuditEventFields): Uint8Array {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new GatewayError('invalid_argument', 'an audit event is a JSON object');
  return encoder.encode(canonicalJson(event));
}

/** The RFC 9162 leaf hash of an event: SHA-256(0x00 || canonical JSON). */
export function auditEventLeafHash(event: AuditEventFields): Uint8Array {
  return hashLeaf(auditEventBytes(event));
}

/**
 * The fields to export for a stored row: top-level `null` and `undefined` dropped (optional
 * columns that were absent when the event was hashed come back from the database as null) and
 * Dates as ISO strings, so that `auditEventLeafHash` of the result equals the stored hash.
 * Nulls inside nested values are kept: they were hashed as null.
 */
export function exportedEventFields(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null || v === undefined) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
