/**
 * The policy's `limits:` against clients that push past them: each limit is hit, answered with
 * 429 + Retry-After on HTTP and a JSON-RPC error naming the limit, its value and when to retry,
 * recovers once the injected clock has moved past the window, and binds only the identity or
 * address that hit it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { connect, generateKeyPair, keyIdOf } from '../channel';
import { serveNode, type NodeServer } from '../http/node-adapter';
import { DEFAULT_LIMITS, type Limits } from '../policy/limits';
import { startDemoUpstream } from '../../scripts/demo-upstreams/start-demo-upstream';
import { createMcpGateway, type McpGateway } from './gateway';
import { JSON_RPC } from './json-rpc-errors';
import { channelClient, GATEWAY_KEYS } from './testing/fixture';
import { MemoryGatewayStore } from './testing/memory-store';

const ALICE = { identityId: 'id-alice', identityName: 'alice' };
const BOB = { identityId: 'id-bob', identityName: 'bob' };
const ALICE_KEY = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(71) });
const T0 = Date.parse('2026-06-01T12:00:00Z');

let inventory: { url: string; close(): Promise<void> };
beforeAll(async () => {
  inventory = await startDemoUpstream('inventory', { port: 0 });
});
afterAll(() => inventory?.close());

let running: { gateway: McpGateway; http: NodeServer } | undefined;
afterEach(async () => {
  await running?.gateway.close();
  await running?.http.close();
  running = undefined;
});

/** A gateway with `limits`, a clock the test moves, and alice and bob as bearer identities. */
async function setup(limits: Partial<Limits>) {
  const clock = { now: T0 };
  const store = new MemoryGatewayStore(GATEWAY_KEYS)
    .addUpstream({ slug: 'inventory', transport: 'http', url: inventory.url, headers: {} })
    .addIdentity(ALICE.identityId, ALICE.identityName)
    .addIdentity(BOB.identityId, BOB.identityName)
    .addToken('pqg_alice', ALICE)
    .addToken('pqg_bob', BOB)
    .enrollKey(ALICE_KEY, ALICE)
    .setGlobal({ limits: { ...DEFAULT_LIMITS, ...limits } });
  const gateway = createMcpGateway({ store, clock: () => clock.now, options: { trafficIntervalMs: 20, sourceOf: (r) => r.headers.get('x-test-source') ?? 'unknown' } });
  const http = await serveNode((request) => gateway.handle(request, 'inventory'));
  running = { gateway, http };
  const url = `${http.origin}/api/mcp/inventory`;
  const post = (token: string, body: unknown, session?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(session ? { 'mcp-session-id': session } : {}) },
      body: JSON.stringify(body),
    });
  /** Opens a Streamable HTTP session; resolves with the response (its session id in the header). */
  const initialize = (token: string) => post(token, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'limits-test', version: '1' } } });
  const session = async (token: string) => {
    const res = await initialize(token);
    expect(res.status).toBe(200);
    await res.text();
    return res.headers.get('mcp-session-id')!;
  };
  let id = 1;
  const call = (token: string, sid: string, tool = 'get_stock') => post(token, { jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: tool, arguments: { sku: 'TL-1001' } } }, sid);
  return { clock, store, url, post, initialize, session, call };
}

/** Asserts a 429 whose JSON-RPC error names `limit` and `value` and says to retry after `retry` s. */
async function expectLimited(res: Response, limit: string, value: number, retry: number) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(retry));
  const body = (await res.json()) as { error: { code: number; message: string; data: Record<string, unknown> } };
  expect(body.error.code).toBe(JSON_RPC.rateLimited);
  expect(body.error.data).toMatchObject({ code: 'rate_limited', limit, value, retryAfterSeconds: retry });
  expect(body.error.message).toContain(`limit ${limit} (${value}) reached`);
  expect(body.error.message).toContain(`retry in ${retry} s`);
}

describe('calls per identity per minute', () => {
  it('refuses the call past the limit with 429 and Retry-After, spares other identities, and recovers after the window', async () => {
    const t = await setup({ callsPerIdentityPerMinute: 3 });
    const alice = await t.session('pqg_alice');
    const bob = await t.session('pqg_bob');
    for (let i = 0; i < 3; i++) expect((await t.call('pqg_alice', alice)).status).toBe(200);
    // One token comes back every 60 s / 3 = 20 s.
    await expectLimited(await t.call('pqg_alice', alice), 'calls_per_identity_per_minute', 3, 20);
    await expectLimited(await t.call('pqg_alice', alice), 'calls_per_identity_per_minute', 3, 20);
    expect((await t.call('pqg_bob', bob)).status).toBe(200);
    t.clock.now += 19_000;
    await expectLimited(await t.call('pqg_alice', alice), 'calls_per_identity_per_minute', 3, 1);
    t.clock.now += 1_000;
    const after = await t.call('pqg_alice', alice);
    expect(after.status).toBe(200);
    expect(JSON.stringify(await after.json())).toContain('TL-1001');
    // A run of refusals is recorded once, not once per refused call.
    await new Promise((r) => setTimeout(r, 60));
    expect(t.store.traffic.filter((e) => e.code === 'rate_limited')).toEqual([expect.objectContaining({ identityId: ALICE.identityId, decision: 'deny', rule: 'limits.calls_per_identity_per_minute', tool: 'get_stock' })]);
  });

  it('inside a channel session, the refusal is a JSON-RPC error naming the limit, its value and when to retry', async () => {
    const t = await setup({ callsPerIdentityPerMinute: 2 });
    const { client, connector } = await channelClient(t.url, ALICE_KEY);
    try {
      await client.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } });
      await client.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } });
      await expect(client.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } })).rejects.toMatchObject({
        code: JSON_RPC.rateLimited,
        message: expect.stringMatching(/limit calls_per_identity_per_minute \(2\) reached for identity alice; retry in 30 s/),
        data: { code: 'rate_limited', limit: 'calls_per_identity_per_minute', value: 2, retryAfterSeconds: 30 },
      });
      t.clock.now += 30_000;
      expect(JSON.stringify((await client.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } })).content)).toContain('TL-1001');
    } finally {
      await client.close();
      await connector.close();
    }
  });
});

describe('calls per tool per minute', () => {
  it('binds one identity on one tool: its other tools and other identities go on', async () => {
    const t = await setup({ callsPerToolPerMinute: 2 });
    const alice = await t.session('pqg_alice');
    const bob = await t.session('pqg_bob');
    expect((await t.call('pqg_alice', alice)).status).toBe(200);
    expect((await t.call('pqg_alice', alice)).status).toBe(200);
    await expectLimited(await t.call('pqg_alice', alice), 'calls_per_tool_per_minute', 2, 30);
    expect((await t.call('pqg_alice', alice, 'search_products')).status).toBe(200);
    expect((await t.call('pqg_bob', bob)).status).toBe(200);
    t.clock.now += 30_000;
    expect((await t.call('pqg_alice', alice)).status).toBe(200);
  });
});

describe('sessions per identity', () => {
  it('one identity at its cap cannot open more, on HTTP or the channel, while another identity can', async () => {
    const t = await setup({ sessionsPerIdentity: 2 });
    const first = await t.session('pqg_alice');
    await t.session('pqg_alice');
    await expectLimited(await t.initialize('pqg_alice'), 'sessions_per_identity', 2, 60);
    // The channel side counts against the same identity: inside the session, a JSON-RPC error.
    await expect(channelClient(t.url, ALICE_KEY)).rejects.toMatchObject({ code: JSON_RPC.rateLimited, message: expect.stringContaining('limit sessions_per_identity (2) reached for identity alice') });
    // Another identity is not stopped by alice's cap.
    await t.session('pqg_bob');
    await t.session('pqg_bob');
    // Closing a session frees its place.
    const closed = await fetch(t.url, { method: 'DELETE', headers: { authorization: 'Bearer pqg_alice', 'mcp-session-id': first } });
    expect(closed.status).toBe(200);
    await t.session('pqg_alice');
    await expectLimited(await t.initialize('pqg_alice'), 'sessions_per_identity', 2, 60);
  });

  it('a refused or failed initialize leaves no place taken', async () => {
    const t = await setup({ sessionsPerIdentity: 1 });
    // Not an initialize the transport accepts (wrong Accept): refused, and nothing is held.
    const refused = await fetch(t.url, { method: 'POST', headers: { authorization: 'Bearer pqg_alice', 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} }) });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).not.toBe(429);
    await t.session('pqg_alice');
  });
});

describe('handshakes per source per minute', () => {
  it('refuses the handshake past the limit with 429 and Retry-After, for that address only, until the window passes', async () => {
    const t = await setup({ handshakesPerSourcePerMinute: 2 });
    const trusted = GATEWAY_KEYS.map((k) => ({ algorithm: k.algorithm, publicKey: k.publicKey, keyId: keyIdOf(k.publicKey) }));
    const answers: Response[] = [];
    const from = (source: string) =>
      (async (url: string | URL | Request, init?: RequestInit) => {
        const res = await fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-test-source': source } });
        answers.push(res.clone());
        return res;
      }) as typeof fetch;
    const handshake = (source: string) => connect(`${t.url}/pq`, ALICE_KEY, { trustedGatewayKeys: trusted, fetch: from(source) });
    await handshake('203.0.113.7');
    await handshake('203.0.113.7');
    await expect(handshake('203.0.113.7')).rejects.toBeDefined();
    const refused = answers.at(-1)!;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toEqual({ error: expect.objectContaining({ code: 'rate_limited', limit: 'handshakes_per_source_per_minute', value: 2, retryAfterSeconds: 30, message: expect.stringContaining('limit handshakes_per_source_per_minute (2) reached for client address 203.0.113.7') }) });
    expect((await handshake('198.51.100.5')).info().suite).toBeDefined();
    t.clock.now += 30_000;
    expect((await handshake('203.0.113.7')).info().suite).toBeDefined();
  });

  it('an unattributable client is one source: limited like any other', async () => {
    const t = await setup({ handshakesPerSourcePerMinute: 1 });
    const hello = () => fetch(`${t.url}/pq/handshake`, { method: 'POST', body: new Uint8Array(8) });
    expect((await hello()).status).not.toBe(429);
    expect((await hello()).status).toBe(429);
  });
});
