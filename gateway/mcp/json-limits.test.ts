/** The structural bounds on JSON text and the string checks on one JSON-RPC message. */
import { describe, expect, it } from 'vitest';
import { JSON_LIMITS, jsonTextProblem, unsafeStringProblem } from './json-limits';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('jsonTextProblem', () => {
  it('takes nesting up to the limit and refuses one level more', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(jsonTextProblem(bytes(nest(JSON_LIMITS.depth)))).toBeUndefined();
    expect(jsonTextProblem(bytes(nest(JSON_LIMITS.depth + 1)))).toMatch(/nested more than 64 deep/);
    expect(jsonTextProblem(bytes(`{"a":${'{"b":'.repeat(70)}1${'}'.repeat(71)}`))).toMatch(/nested/);
  });

  it('counts no bracket inside a string, escaped quotes included', () => {
    expect(jsonTextProblem(bytes(JSON.stringify({ s: '['.repeat(1000) + '"\\"[[[' })))).toBeUndefined();
  });

  it('refuses one string over the string limit, in bytes as sent', () => {
    const limits = { depth: 64, stringBytes: 8 };
    expect(jsonTextProblem(bytes('["12345678"]'), limits)).toBeUndefined();
    expect(jsonTextProblem(bytes('["123456789"]'), limits)).toMatch(/string of more than 8 bytes/);
    expect(jsonTextProblem(bytes('["\\u0041\\u0041"]'), limits)).toMatch(/string/);
  });
});

describe('unsafeStringProblem', () => {
  const call = (params: unknown, method = 'tools/call') => ({ jsonrpc: '2.0', id: 1, method, params });

  it('names the field that holds a lone surrogate, anywhere in the message', () => {
    expect(unsafeStringProblem(call({ name: 'a\ud800' }))).toMatch(/^params\.name contains a lone UTF-16 surrogate/);
    expect(unsafeStringProblem(call({ name: 'a', arguments: { list: ['ok', '\udc00'] } }))).toMatch(/^params\.arguments\.list\[1\] contains a lone/);
    expect(unsafeStringProblem(call({ name: 'a', arguments: { ['k\ud800']: 1 } }))).toMatch(/^a member name in params\.arguments contains a lone/);
    expect(unsafeStringProblem(call({ name: 'a', arguments: { pair: '\ud83d\ude00' } }))).toBeUndefined();
  });

  it('refuses U+0000 in a method, tool or prompt name or URI, but lets arguments carry it', () => {
    expect(unsafeStringProblem(call({ name: 'read\u0000chart' }))).toMatch(/^params\.name contains U\+0000/);
    expect(unsafeStringProblem(call({}, 'tools/\u0000call'))).toMatch(/^method contains U\+0000/);
    expect(unsafeStringProblem(call({ uri: 'file:///a\u0000' }, 'resources/read'))).toMatch(/^params\.uri contains U\+0000/);
    expect(unsafeStringProblem(call({ ref: { type: 'ref/prompt', name: 'p\u0000' } }, 'completion/complete'))).toMatch(/^params\.ref\.name/);
    expect(unsafeStringProblem(call({ name: 'a', arguments: { note: 'x\u0000y' } }))).toBeUndefined();
  });

  it('refuses a name over its length limit', () => {
    expect(unsafeStringProblem(call({ name: 'n'.repeat(JSON_LIMITS.name + 1) }))).toMatch(/params\.name is 257 characters long, over the limit of 256/);
  });
});
