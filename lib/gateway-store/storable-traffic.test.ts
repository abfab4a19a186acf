import { describe, expect, it } from 'vitest';
import { storableString, storableTrafficEvent } from './storable-traffic';
import { clinicCall } from './traffic-test-data';

describe('storable traffic values', () => {
  it('replaces U+0000 and lone surrogates with U+FFFD and keeps surrogate pairs', () => {
    expect(storableString('a\u0000b', 10)).toBe('a\uFFFDb');
    expect(storableString('\uD800x\uDC00', 10)).toBe('\uFFFDx\uFFFD');
    expect(storableString('ok 😀', 10)).toBe('ok 😀');
  });

  it('caps an enormous string with a marker of the original length, never cutting a pair', () => {
    expect(storableString('x'.repeat(1000), 4)).toBe('xxxx…[+996 chars]');
    // The pair would straddle the cut: it goes whole into the marker.
    expect(storableString('abc😀def', 4)).toBe('abc…[+5 chars]');
  });

  it('names the fields it changed, and leaves a clean event as it was', () => {
    const clean = clinicCall('id-1', 'read_chart', 'allow', 1);
    expect(storableTrafficEvent(clean)).toBe(clean);
    const dirty = storableTrafficEvent({ ...clean, tool: 'a\u0000', upstreamError: 'e'.repeat(5000), latencyMs: Number.NaN });
    expect(dirty.sanitized).toEqual(['tool', 'upstreamError', 'latencyMs']);
    expect(dirty.tool).toBe('a\uFFFD');
    expect(dirty.latencyMs).toBeUndefined();
  });

  it('makes a field of the wrong type (data from a thread or a file) a string', () => {
    const e = storableTrafficEvent({ ...clinicCall('id-1', 'read_chart', 'allow', 1), tool: { evil: true } as unknown as string });
    expect(e.tool).toBe('{"evil":true}');
    expect(e.sanitized).toEqual(['tool']);
  });
});
