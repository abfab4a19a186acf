/**
 * No endpoint of the gateway reads a body without its bound (docs/security.md, "Bounded input"):
 * a client on a raw socket that streams a chunked body without end is answered and cut off near
 * the endpoint's limit, on the channel's two endpoints and on Streamable HTTP, authenticated or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../channel';
import { sendEndlessBody } from '../http/testing/send-endless-body';
import { startFixture, TOKEN, type Fixture } from './testing/fixture';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => f?.close());

/** Far more than any limit: a server that kept reading would take it all. */
const CAP = 512 * 1024 * 1024;

describe('a chunked body that never ends', () => {
  it.each([
    ['/pq/handshake', LIMITS.clientHello],
    ['/pq/record', LIMITS.body],
  ])('on the channel endpoint %s: refused and cut off at that endpoint\'s limit (%i bytes)', async (path, limit) => {
    const r = await sendEndlessBody(f.http.origin, `/api/mcp/inventory${path}`, { 'content-type': 'application/pqgate' }, CAP);
    expect(r.closedByServer).toBe(true);
    expect(r.written).toBeLessThan(limit + 32 * 1024 * 1024);
    expect(r.answer).toMatch(/^HTTP\/1.1 400 /);
    expect(r.answer).toMatch(/message_too_large/);
    expect(r.answer).toContain(`limit of ${limit} bytes`);
  });

  it('on Streamable HTTP with a valid token: 413 naming the limit, and cut off', async () => {
    const r = await sendEndlessBody(f.http.origin, '/api/mcp/inventory', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, CAP);
    expect(r.closedByServer).toBe(true);
    expect(r.written).toBeLessThan(64 * 1024 + 32 * 1024 * 1024);
    expect(r.answer).toMatch(/^HTTP\/1.1 413 /);
    expect(r.answer).toContain(`limit of ${64 * 1024} bytes`);
  });

  it('on Streamable HTTP without a token: refused without reading the body, and cut off', async () => {
    const r = await sendEndlessBody(f.http.origin, '/api/mcp/inventory', { 'content-type': 'application/json' }, CAP);
    expect(r.closedByServer).toBe(true);
    expect(r.written).toBeLessThan(32 * 1024 * 1024);
    expect(r.answer).toMatch(/^HTTP\/1.1 401 /);
  });
});
