/** Unauthorised access and malformed input at the bearer endpoint, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerClient, startFixture, TOKEN, type Fixture } from './testing/fixture';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ maxBodyBytes: 64 * 1024 }, (s) => s.addIdentity('id-bob', 'bob').addToken('pqg_bob', { identityId: 'id-bob', identityName: 'bob' }));
});
afterAll(() => f?.close());

const headers = (extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...extra,
});
const post = (path: string, body: string, extra?: Record<string, string>) => fetch(`${f.base}/${path}`, { method: 'POST', headers: headers(extra), body });
const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

describe('authentication', () => {
  it('no bearer token: 401 saying how to authenticate', async () => {
    const res = await fetch(`${f.base}/inventory`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: initialize });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.message).toMatch(/Authorization: Bearer.*console.*pqgate connect/);
  });

  it('an unknown token: 401', async () => {
    expect((await post('inventory', initialize, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('a revoked identity: its token stops working and its open session is refused', async () => {
    const bob = await bearerClient(`${f.base}/inventory`, 'pqg_bob');
    expect((await bob.listTools()).tools.length).toBeGreaterThan(0);
    f.store.setIdentityStatus('id-bob', 'revoked');
    await expect(bob.listTools()).rejects.toThrow(/unknown, expired or revoked/);
    expect((await post('inventory', initialize, { authorization: 'Bearer pqg_bob' })).status).toBe(401);
    await bob.close().catch(() => undefined);
  });

  it("another identity cannot use a session it did not open", async () => {
    const res = await post('inventory', initialize);
    const sid = res.headers.get('mcp-session-id')!;
    await res.body?.cancel();
    f.store.addIdentity('id-carol', 'carol').addToken('pqg_carol', { identityId: 'id-carol', identityName: 'carol' });
    const other = await post('inventory', JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), { authorization: 'Bearer pqg_carol', 'mcp-session-id': sid });
    expect(other.status).toBe(404);
  });
});

describe('bad input', () => {
  it('an unknown server: 404', async () => {
    const res = await post('no-such-server', initialize);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('no-such-server');
  });

  it('an oversized body: 413 before parsing', async () => {
    const res = await post('inventory', 'x'.repeat(70 * 1024));
    expect(res.status).toBe(413);
  });

  it('a chunked oversized body without content-length: 413', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(10 * 1024).fill(32));
        c.close();
      },
    });
    const res = await fetch(`${f.base}/inventory`, { method: 'POST', headers: headers(), body: chunks, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('invalid JSON: -32700', async () => {
    const res = await post('inventory', '{"jsonrpc":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it.each([
    ['not an object', '42'],
    ['wrong version', '{"jsonrpc":"1.0","id":1,"method":"ping"}'],
    ['no method', '{"jsonrpc":"2.0","id":1}'],
    ['empty batch', '[]'],
    ['method not a string', '{"jsonrpc":"2.0","id":1,"method":7}'],
  ])('an invalid JSON-RPC request (%s): -32600', async (_name, body) => {
    const res = await post('inventory', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });

  it('a request without a session that is not initialize: 400', async () => {
    const res = await post('inventory', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(res.status).toBe(400);
  });

  it('an unknown session id: 404', async () => {
    const res = await post('inventory', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { 'mcp-session-id': 'deadbeef' });
    expect(res.status).toBe(404);
  });

  it('GET and DELETE work on a session, DELETE ends it', async () => {
    const res = await post('inventory', initialize);
    const sid = res.headers.get('mcp-session-id')!;
    await res.body?.cancel();
    const get = await fetch(`${f.base}/inventory`, { headers: { ...headers({ 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' }), accept: 'text/event-stream' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('text/event-stream');
    await get.body?.cancel();
    const del = await fetch(`${f.base}/inventory`, { method: 'DELETE', headers: headers({ 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' }) });
    expect(del.status).toBe(200);
    const after = await post('inventory', JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }), { 'mcp-session-id': sid });
    expect(after.status).toBe(404);
  });

  it('tools/call without a tool name: invalid params', async () => {
    const c = await bearerClient(`${f.base}/inventory`);
    await expect(c.request({ method: 'tools/call', params: {} as { name: string } }, (await import('@modelcontextprotocol/sdk/types.js')).CallToolResultSchema)).rejects.toThrow(/params.name/);
    await c.close();
  });

  it('keeps caller secrets out of traffic events', async () => {
    await f.gateway.close().catch(() => undefined);
    const dump = JSON.stringify(f.store.traffic);
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toContain('secret-not-logged');
    expect(f.store.traffic.some((e) => e.identityId === 'id-bob')).toBe(true);
  });
});
