import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditLeafHash } from './append-audit-event';
import { canonicalJson } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, so equal events hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ n: 10n, t: new Date('2026-01-01T00:00:00Z') })).toBe('{"n":"10","t":"2026-01-01T00:00:00.000Z"}');
  });
});

describe('auditLeafHash', () => {
  const time = new Date('2026-11-25T12:00:00Z');
  const entry = { actorType: 'user' as const, actorId: 'u1', action: 'users.create', targetType: 'user', targetId: 'u2' };

  it('is the RFC 9162 leaf hash SHA-256(0x00 || canonical event)', () => {
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(canonicalJson({ ...entry, details: {}, time }))])).digest();
    expect(Buffer.from(auditLeafHash(entry, time))).toEqual(expected);
  });

  it('changes when any field or the time changes', () => {
    const h = Buffer.from(auditLeafHash(entry, time)).toString('hex');
    expect(Buffer.from(auditLeafHash({ ...entry, targetId: 'u3' }, time)).toString('hex')).not.toBe(h);
    expect(Buffer.from(auditLeafHash(entry, new Date(time.getTime() + 1))).toString('hex')).not.toBe(h);
  });
});
