import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: undefined, b: null } })).toBe('{"a":{"b":null,"d":1},"b":1}');
  });

  it('writes bigint as decimal and Date as ISO', () => {
    expect(canonicalJson({ t: new Date(0), n: 10n })).toBe('{"n":"10","t":"1970-01-01T00:00:00.000Z"}');
  });

  it('keeps a "__proto__" key as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  // Pinned outputs of the definition lib/audit/canonical.ts used when leaf hashes were first stored.
  it('keeps the bytes already-stored leaf hashes were computed over', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é' } })).toBe('{"a":{"c":"é","d":[3,{"x":null,"z":1}]},"b":1}');
    // JSON.stringify emits integer-like keys first, in numeric order, whatever the insertion order.
    expect(canonicalJson({ '10': 1, '2': 2, b: 3, a: 4 })).toBe('{"2":2,"10":1,"a":4,"b":3}');
    expect(canonicalJson([undefined, 1, 'two'])).toBe('[null,1,"two"]');
  });
});
