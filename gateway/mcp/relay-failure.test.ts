/**
 * Failure isolation (issue 20): a request that fails upstream (its SSE stream ends without a
 * response, it times out, the upstream answers a JSON-RPC error) fails alone, with a message
 * naming the server; the upstream is not marked down, and other clients' new sessions are not
 * refused. A server request the server's switch forbids is refused upstream, naming the switch,
 * even from an upstream that asks a client which never declared the capability.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { bearerClient, startFixture, type Fixture } from './testing/fixture';
import { startRawUpstream, type RawUpstream } from './testing/raw-upstream';

const BOB = { identityId: 'id-bob', identityName: 'bob' };
const BOB_TOKEN = 'pqg_test_token_bob';

let f: Fixture;
let raw: RawUpstream;

beforeAll(async () => {
  raw = await startRawUpstream();
  // A long backoff: were the upstream marked down, every new session would be refused for 10 s.
  f = await startFixture({ requestTimeoutMs: 300, backoffInitialMs: 10_000 }, (s) =>
    s
      .addUpstream({ slug: 'raw', transport: 'http', url: raw.url, headers: {} })
      .addUpstream({ slug: 'raw-locked', transport: 'http', url: raw.url, headers: {}, allowSampling: false })
      .addUpstream({ slug: 'nowhere', transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} })
      .addIdentity(BOB.identityId, BOB.identityName)
      .addToken(BOB_TOKEN, BOB),
  );
});
afterAll(async () => {
  await f?.close();
  await raw?.close();
});

const status = (slug: string) => f.gateway.upstreams().find((u) => u.slug === slug);
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

describe('one failed request fails alone', () => {
  it('an SSE reply that ends without a response: that call fails naming the server; the upstream stays up; another client opens a session at once', async () => {
    const alice = await bearerClient(`${f.base}/raw`);
    await expect(alice.callTool({ name: 'cut', arguments: {} })).rejects.toThrow(/upstream raw is unavailable \(stream ended without a response\)/);
    expect(status('raw')).toMatchObject({ state: 'ready', consecutiveFailures: 0 });
    const bob = await bearerClient(`${f.base}/raw`, BOB_TOKEN);
    expect(text(await bob.callTool({ name: 'echo', arguments: {} }))).toBe('echo');
    expect(text(await alice.callTool({ name: 'echo', arguments: {} }))).toBe('echo');
    await Promise.all([alice.close(), bob.close()]);
  });

  it('a timeout fails that call naming the server and the timeout; the session goes on', async () => {
    const c = await bearerClient(`${f.base}/raw`);
    await expect(c.callTool({ name: 'hang', arguments: {} })).rejects.toThrow(/upstream raw did not answer within 300 ms/);
    expect(text(await c.callTool({ name: 'echo', arguments: {} }))).toBe('echo');
    expect(status('raw')).toMatchObject({ state: 'ready', consecutiveFailures: 0 });
    await c.close();
  });

  it("the upstream's own JSON-RPC error passes through unchanged", async () => {
    const c = await bearerClient(`${f.base}/raw`);
    await expect(c.callTool({ name: 'fail', arguments: {} })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('raw says no') });
    expect(text(await c.callTool({ name: 'echo', arguments: {} }))).toBe('echo');
    await c.close();
  });

  it('an upstream that cannot be reached refuses its own sessions, naming it, and no other server’s', async () => {
    await expect(bearerClient(`${f.base}/nowhere`)).rejects.toThrow(/upstream nowhere is unavailable/);
    expect(status('nowhere')).toMatchObject({ state: 'down' });
    const c = await bearerClient(`${f.base}/raw`, BOB_TOKEN);
    expect(text(await c.callTool({ name: 'echo', arguments: {} }))).toBe('echo');
    await c.close();
  });
});

describe("the server's switches", () => {
  it('a sampling request the switch forbids is refused upstream naming allowSampling, and recorded; the client is never asked', async () => {
    const c = await bearerClient(`${f.base}/raw-locked`, undefined, { sampling: {} });
    let asked = 0;
    c.setRequestHandler(CreateMessageRequestSchema, async () => (asked++, { role: 'assistant', model: 'm', content: { type: 'text', text: 'leak' } }));
    const answer = text(await c.callTool({ name: 'rogue_sample', arguments: {} }));
    expect(asked).toBe(0);
    expect(answer).toMatch(/sampling\/createMessage from upstream raw-locked refused: allowSampling is off/);
    await new Promise((r) => setTimeout(r, 120));
    expect(f.store.traffic.find((e) => e.upstream === 'raw-locked' && e.method === 'sampling/createMessage')).toMatchObject({ decision: 'deny', rule: 'allowSampling: false' });
    await c.close();
  });

  it('with the switch on, the same request reaches the client and its answer goes back', async () => {
    const c = await bearerClient(`${f.base}/raw`, undefined, { sampling: {} });
    c.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'from-client' } }));
    expect(text(await c.callTool({ name: 'rogue_sample', arguments: {} }))).toContain('from-client');
    await c.close();
  });
});
