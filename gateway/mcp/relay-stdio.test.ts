/**
 * Stdio upstreams under the relay (issue 20): a process per client session, spawned at
 * initialize and stopped when the session ends; caps per server and per identity with an error
 * that names the cap and what to do; `shared: true` keeps one process for every session.
 * Real processes: `@modelcontextprotocol/server-everything` over stdio.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { bearerClient, startFixture, type Fixture } from './testing/fixture';

const EVERYTHING = ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'];
const BOB = { identityId: 'id-bob', identityName: 'bob' };
const BOB_TOKEN = 'pqg_test_token_bob';

let f: Fixture;
const clients: Client[] = [];

beforeAll(async () => {
  f = await startFixture({ stdioSessionsPerServer: 3, stdioSessionsPerIdentity: 2 }, (s) =>
    s
      .addUpstream({ slug: 'everything', transport: 'stdio', command: process.execPath, args: EVERYTHING, env: {} })
      .addUpstream({ slug: 'everything-shared', transport: 'stdio', command: process.execPath, args: EVERYTHING, env: {}, shared: true })
      .addIdentity(BOB.identityId, BOB.identityName)
      .addToken(BOB_TOKEN, BOB),
  );
}, 30_000);
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await f?.close();
});

/** Child processes of this process running server-everything. */
function everythingProcesses(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('server-everything')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

const open = async (server: string, token?: string) => {
  const c = await bearerClient(`${f.base}/${server}`, token);
  clients.push(c);
  return c;
};
const end = (c: Client) => (c.transport as StreamableHTTPClientTransport).terminateSession();
const until = async (check: () => boolean, ms = 5000) => {
  const stop = Date.now() + ms;
  while (!check()) {
    if (Date.now() > stop) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('a process per session', () => {
  it('each session gets a process of its own, beside the gateway’s own; ending the session stops it', async () => {
    const a = await open('everything');
    const base = everythingProcesses().length;
    const b = await open('everything', BOB_TOKEN);
    expect(everythingProcesses().length).toBe(base + 1);
    for (const c of [a, b]) expect(JSON.stringify((await c.callTool({ name: 'echo', arguments: { message: 'mine' } })).content)).toContain('mine');
    expect(f.gateway.upstreams().find((u) => u.slug === 'everything')).toMatchObject({ sessions: 2, state: 'ready' });
    await end(b);
    await until(() => everythingProcesses().length === base);
    await end(a);
    await until(() => everythingProcesses().length === base - 1);
    expect(f.gateway.upstreams().find((u) => u.slug === 'everything')).toMatchObject({ sessions: 0 });
  });

  it('the caps per identity and per server refuse a session with an error naming the cap and what to do', async () => {
    const a1 = await open('everything');
    await open('everything');
    await expect(open('everything')).rejects.toThrow(/identity alice holds 2 sessions of upstream everything \(stdioSessionsPerIdentity/);
    await open('everything', BOB_TOKEN);
    await expect(open('everything', BOB_TOKEN)).rejects.toThrow(/upstream everything runs one process per session and has 3 \(stdioSessionsPerServer\); close a session/);
    await end(a1);
    await until(() => f.gateway.upstreams().find((u) => u.slug === 'everything')!.sessions === 2);
    await expect(open('everything', BOB_TOKEN)).resolves.toBeDefined();
  });

  it('a session whose process dies fails its calls naming the server; a new session works', async () => {
    for (const c of clients.splice(0)) await end(c).catch(() => undefined);
    await until(() => f.gateway.upstreams().find((u) => u.slug === 'everything')!.sessions === 0);
    const before = new Set(everythingProcesses());
    const c = await open('everything');
    const mine = everythingProcesses().find((p) => !before.has(p))!;
    process.kill(mine, 'SIGKILL');
    await expect(c.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toThrow(/everything/);
    const fresh = await open('everything');
    expect(JSON.stringify((await fresh.callTool({ name: 'echo', arguments: { message: 'again' } })).content)).toContain('again');
  });
});

describe('the client’s own capabilities, on its own process', () => {
  it('a sampling client sees the tools server-everything offers only to sampling clients, and answers their requests', async () => {
    const c = await bearerClient(`${f.base}/everything`, undefined, { sampling: {} });
    clients.push(c);
    let asked = 0;
    c.setRequestHandler(CreateMessageRequestSchema, async () => (asked++, { role: 'assistant', model: 'm', content: { type: 'text', text: 'sampled-by-client' } }));
    expect((await c.listTools()).tools.map((t) => t.name)).toContain('trigger-sampling-request');
    const r = await c.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'p' } });
    expect(JSON.stringify(r.content)).toContain('sampled-by-client');
    expect(asked).toBe(1);
  });
});

describe('shared: true', () => {
  it('every session rides on one process', async () => {
    const a = await open('everything-shared');
    const base = everythingProcesses().length;
    const b = await open('everything-shared', BOB_TOKEN);
    expect(everythingProcesses().length).toBe(base);
    for (const c of [a, b]) expect(JSON.stringify((await c.callTool({ name: 'echo', arguments: { message: 'shared' } })).content)).toContain('shared');
  });
});

describe('shared: true, under attack', () => {
  it("a client cannot cancel another client's request on the shared process by naming its rewritten id", async () => {
    const victim = await open('everything-shared');
    const attacker = await open('everything-shared', BOB_TOKEN);
    const slow = victim.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.4, steps: 2 } });
    await new Promise((r) => setTimeout(r, 100));
    // Lane ids are pqgate-<lane>-<n>; try every plausible one. (The attacker's relay drops a
    // cancellation of anything it has not in flight, and its lane forwards only its own.)
    for (let lane = 1; lane <= 8; lane++) {
      for (let n = 1; n <= 8; n++) await attacker.notification({ method: 'notifications/cancelled', params: { requestId: `pqgate-${lane}-${n}`, reason: 'attack' } });
    }
    await expect(slow).resolves.toMatchObject({ content: expect.any(Array) });
  });
});
