/**
 * The gateway's entry point for client addresses, and the stamp the product's server gives
 * Next.js: the same `requestSource` names the client on both sides (the console's side through
 * Auth.js is in lib/auth/authorize-credentials.test.ts). Loopback 127.0.0.1 is an untrusted
 * peer here and 127.0.0.2 a trusted proxy (Linux routes all of 127/8 to loopback).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-source-'));
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
process.env.PQGATE_TRUSTED_PROXIES = '127.0.0.2';

const { serveNode } = await import('@/gateway/http/node-adapter');
const { createMcpGateway } = await import('@/gateway/mcp/gateway');
const { GATEWAY_KEYS } = await import('@/gateway/mcp/testing/fixture');
const { MemoryGatewayStore } = await import('@/gateway/mcp/testing/memory-store');
const { PEER_HEADER, peerOf, requestSource, stampPeer } = await import('./client-source');

/** POSTs from local address `from` and resolves with the status and body. */
function post(url: string, from: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end('{}');
  });
}

const servers: { close(): unknown }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway names clients with requestSource', () => {
  const seen: string[] = [];
  const blocked = new Set(['127.0.0.1']);
  const store = new MemoryGatewayStore(GATEWAY_KEYS).addUpstream({ slug: 'inventory', transport: 'http', url: 'http://127.0.0.1:9/never-reached', headers: {} });
  const gateway = createMcpGateway({ store, options: { sourceOf: requestSource, isBlocked: (s) => blocked.has(s), channelEvents: (e) => void seen.push(e.source) } });
  const started = serveNode((request) => gateway.handle(request, 'inventory')).then((s) => (servers.push(s, { close: () => gateway.close() }), s));

  it('a blocked client cannot escape its block by forging X-Forwarded-For', async () => {
    const { origin } = await started;
    const answer = await post(`${origin}/api/mcp/inventory`, '127.0.0.1', { 'x-forwarded-for': '198.51.100.9', 'x-real-ip': '198.51.100.9', [PEER_HEADER]: '198.51.100.9', authorization: 'Bearer pqg_x' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.data.code).toBe('downgrade_detected');
  });

  it('a trusted proxy names the real client; the peer is named when it is not a proxy', async () => {
    const { origin } = await started;
    seen.length = 0;
    expect((await post(`${origin}/api/mcp/inventory`, '127.0.0.2', { 'x-forwarded-for': '192.0.2.50, 203.0.113.7', authorization: 'Bearer pqg_unknown' })).status).toBe(401);
    blocked.clear();
    expect((await post(`${origin}/api/mcp/inventory`, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7', authorization: 'Bearer pqg_unknown' })).status).toBe(401);
    expect(seen).toEqual(['203.0.113.7', '127.0.0.1']);
  });
});

describe('stampPeer: what Next.js is handed', () => {
  it('carries the TCP peer whatever the client wrote in the header, and requestSource reads it', async () => {
    const server: Server = createServer(
      stampPeer((req, res) => {
        const request = new Request('http://console.test/', { headers: Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]) });
        res.end(JSON.stringify({ header: req.headers[PEER_HEADER], source: requestSource(request) }));
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise((r) => server.close(r)) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const forged = await post(url, '127.0.0.1', { [PEER_HEADER]: '10.0.0.1', 'x-forwarded-for': '192.0.2.1' });
    expect(JSON.parse(forged.body)).toEqual({ header: '127.0.0.1', source: '127.0.0.1' });
    const proxied = await post(url, '127.0.0.2', { [PEER_HEADER]: '10.0.0.1', 'x-forwarded-for': '192.0.2.1' });
    expect(JSON.parse(proxied.body)).toEqual({ header: '127.0.0.2', source: '192.0.2.1' });
  });

  it('the node adapter Request names its socket peer and ignores the header', () => {
    const lazy = Object.assign(new Request('http://x.test/', { headers: { [PEER_HEADER]: '10.0.0.1' } }), { peer: '::ffff:127.0.0.1' });
    expect(peerOf(lazy)).toBe('::ffff:127.0.0.1');
    expect(requestSource(lazy)).toBe('127.0.0.1');
  });
});
