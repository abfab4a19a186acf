/**
 * The message-level path to an HTTP upstream (upstream-http.ts), against a real Streamable HTTP
 * server in its own process: a slow call times out with an error naming the server and the
 * connection keeps serving; a call the client cancels is cancelled upstream and recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { bearerClient, startFixture, type Fixture } from './testing/fixture';
import { fetchWithOwnSignal } from './testing/fetch-with-own-signal';

const EVERYTHING = 'node_modules/@modelcontextprotocol/server-everything/dist/index.js';

let f: Fixture;
let upstream: ChildProcess;
let client: Client;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  upstream = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server-everything did not start')), 15_000);
    upstream.stderr!.on('data', (d: Buffer) => {
      if (/listening on port/i.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  f = await startFixture({ requestTimeoutMs: 400 }, (s) => s.addUpstream({ slug: 'everything-http', transport: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} }));
  client = await bearerClient(`${f.base}/everything-http`);
}, 30_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await f?.close();
  upstream?.kill();
});

describe('message-level path to an HTTP upstream', () => {
  it('a slow call gets a JSON-RPC error naming the server; the next call works', async () => {
    const slow = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } });
    await expect(slow).rejects.toThrow(/upstream everything-http did not answer within 400 ms/);
    const res = await client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    expect(JSON.stringify(res.content)).toContain('still here');
    expect(f.gateway.upstreams().find((u) => u.slug === 'everything-http')).toMatchObject({ state: 'ready', consecutiveFailures: 0 });
  });

  it('a call the client cancels is cancelled upstream and recorded, and the upstream stays up', async () => {
    const aborter = new AbortController();
    const slow = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 1 } }, undefined, { signal: aborter.signal });
    await new Promise((r) => setTimeout(r, 100));
    aborter.abort();
    await expect(slow).rejects.toThrow();
    const end = Date.now() + 3000;
    const cancelled = () => f.store.traffic.find((e) => e.upstream === 'everything-http' && e.tool === 'trigger-long-running-operation' && e.upstreamError?.startsWith('upstream everything-http is unavailable (request cancelled)'));
    while (!cancelled() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(cancelled()).toBeDefined();
    const res = await client.callTool({ name: 'echo', arguments: { message: 'after cancel' } });
    expect(JSON.stringify(res.content)).toContain('after cancel');
    expect(f.gateway.upstreams().find((u) => u.slug === 'everything-http')).toMatchObject({ state: 'ready', consecutiveFailures: 0 });
  });
});

describe('fetchWithOwnSignal', () => {
  it('keeps one abort listener on a shared signal however many requests ran, and still aborts them', async () => {
    const server = createHttpServer((req, res) => (req.url === '/hang' ? undefined : res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const shared = new AbortController();
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 32 }, async () => (await fetchWithOwnSignal(`${url}/`, { signal: shared.signal })).text()));
    }
    expect(getEventListeners(shared.signal, 'abort').length).toBeLessThanOrEqual(1);
    const hanging = fetchWithOwnSignal(`${url}/hang`, { signal: shared.signal });
    shared.abort();
    await expect(hanging).rejects.toThrow();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
