/**
 * Upstream failures: an HTTP upstream killed mid-session, a slow upstream past the timeout, a
 * crashed stdio upstream restarted with backoff. The gateway answers with a JSON-RPC error that
 * names the server and keeps serving the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { bearerClient, startFixture, type Fixture } from './testing/fixture';

const EVERYTHING = ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'];

let f: Fixture;
let clinic: Client;
let inventory: Client;
let everything: Client;

beforeAll(async () => {
  f = await startFixture({ requestTimeoutMs: 400, backoffInitialMs: 100 }, (s) => s.addUpstream({ slug: 'everything', transport: 'stdio', command: process.execPath, args: EVERYTHING, env: {} }));
  [clinic, inventory, everything] = await Promise.all([bearerClient(`${f.base}/clinic-records`), bearerClient(`${f.base}/inventory`), bearerClient(`${f.base}/everything`)]);
});
afterAll(async () => {
  for (const c of [clinic, inventory, everything]) await c?.close().catch(() => undefined);
  await f?.close();
});

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('upstream failures', () => {
  it('a slow upstream gets a JSON-RPC error naming the server; the next call works', async () => {
    const slow = everything.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } });
    await expect(slow).rejects.toThrow(/upstream everything did not answer within 400 ms/);
    const res = await everything.callTool({ name: 'echo', arguments: { message: 'still here' } });
    expect(JSON.stringify(res.content)).toContain('still here');
  });

  it('a crashed stdio upstream is restarted with backoff and serves again', async () => {
    const before = f.gateway.upstreams().find((u) => u.slug === 'everything')!;
    expect(before).toMatchObject({ state: 'ready', restarts: 0 });
    process.kill(before.pid!, 'SIGKILL');
    await until(() => f.gateway.upstreams().find((u) => u.slug === 'everything')!.state === 'down');
    await until(() => {
      const u = f.gateway.upstreams().find((x) => x.slug === 'everything')!;
      return u.state === 'ready' && u.restarts === 1;
    });
    expect(f.gateway.upstreams().find((u) => u.slug === 'everything')!.pid).not.toBe(before.pid);
    const res = await everything.callTool({ name: 'echo', arguments: { message: 'after restart' } });
    expect(JSON.stringify(res.content)).toContain('after restart');
  });

  it('an HTTP upstream killed mid-session: error naming it, the other servers keep working', async () => {
    expect((await clinic.callTool({ name: 'search_patients', arguments: { query: 'ada' } })).isError).toBeFalsy();
    await f.upstreams['clinic-records']!.close();
    await expect(clinic.callTool({ name: 'search_patients', arguments: { query: 'ada' } })).rejects.toThrow(/upstream clinic-records is unavailable/);
    // Within the backoff window the gateway answers at once instead of retrying the dead server.
    await expect(clinic.callTool({ name: 'search_patients', arguments: { query: 'ada' } })).rejects.toThrow(/clinic-records/);
    const res = await inventory.callTool({ name: 'search_products', arguments: { query: 'bolt' } });
    expect(res.isError).toBeFalsy();
    await new Promise((r) => setTimeout(r, 120));
    expect(f.store.traffic.filter((e) => e.upstream === 'clinic-records').at(-1)?.upstreamError).toMatch(/clinic-records/);
  });

  it('an upstream that is down at initialize: the new session gets an error naming it', async () => {
    await expect(bearerClient(`${f.base}/clinic-records`)).rejects.toThrow(/clinic-records/);
  });
});
