/**
 * Canonical JSON of an audit event: the one byte string its RFC 9162 leaf hash covers. The
 * console (when it appends) and the offline verifier (when it recomputes) share this definition,
 * so a hash computed on one side always matches the other.
 */

/**
 * JSON with object keys sorted (by UTF-16 code unit, `Array.prototype.sort`) at every level,
 * `undefined` members dropped, `bigint` as a decimal string and `Date` as its ISO string.
 * Arrays keep their order; `null` is kept.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Object.fromEntries defines own properties, so a "__proto__" key stays data, not a prototype.
    // (Integer-like keys are still emitted first by JSON.stringify: same on both sides, so stable.)
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((k) => record[k] !== undefined)
        .map((k) => [k, sortKeys(record[k])]),
    );
  }
  return value;
}
