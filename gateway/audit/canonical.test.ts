import { describe, expect, it } from 'vitest';
import { canonicalJson as libCanonicalJson } from '../../lib/audit/canonical';
import { canonicalJson } from './canonical';

const samples: unknown[] = [
  { b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é' } },
  { time: new Date('2026-01-02T03:04:05.006Z'), n: 12345678901234567890n, details: {} },
  { '10': 1, '2': 2, b: 3, __proto__x: 4 },
  [undefined, 1, 'two'],
  'plain',
  null,
];

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

  it('gives the same bytes as the console’s current definition', () => {
    for (const s of samples) expect(canonicalJson(s)).toBe(libCanonicalJson(s));
  });
});
