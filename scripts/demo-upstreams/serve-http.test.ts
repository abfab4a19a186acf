import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryServer } from './inventory';
import { serveHttp, type RunningUpstream } from './serve-http';
import { connectHttp } from './test-client';

// Requests the SDK client never sends, checked at the HTTP edge.
describe('serveHttp routing', () => {
  let upstream: RunningUpstream;
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } };
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(upstream.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });

  beforeAll(async () => {
    upstream = await serveHttp(() => createInventoryServer(), { port: 0 });
  });
  afterAll(() => upstream?.close());

  it('answers 404 off the MCP path', async () => {
    expect((await fetch(new URL('/other', upstream.url))).status).toBe(404);
  });

  it('refuses GET without a session and requests for unknown sessions', async () => {
    expect((await fetch(upstream.url, { headers: { accept: 'text/event-stream' } })).status).toBe(400);
    expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': 'no-such-session' })).status).toBe(404);
  });

  it('opens a session only for an initialize request', async () => {
    expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).status).toBe(400);
    const opened = await post(initialize);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    await opened.body?.cancel();
  });

  it('rejects a non-loopback Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(upstream.url, { method: 'POST', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject).end();
    });
    expect(status).toBe(403);
  });
});

describe('serveHttp shutdown', () => {
  it('closes with a session and its SSE stream still open, then refuses connections', async () => {
    const upstream = await serveHttp(() => createInventoryServer(), { port: 0 });
    const { client } = await connectHttp(upstream.url);
    await client.listTools();
    await upstream.close();
    await expect(fetch(upstream.url)).rejects.toThrow();
    await client.close();
  });
});
