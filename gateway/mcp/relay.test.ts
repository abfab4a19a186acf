/**
 * The faithful relay end to end (issue 20): the official SDK client, the gateway on a real
 * node:http server, and a real Streamable HTTP upstream (testing/relay-upstream.ts). Each client
 * session has an upstream session of its own, server requests and notifications reach the
 * client on both paths, the server's switches hold, and progress over the channel arrives as
 * it happens, not with the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { generateKeyPair } from '../channel';
import { ALICE, bearerClient, channelClient, startFixture, type Fixture } from './testing/fixture';
import { startRelayUpstream, type RelayUpstream } from './testing/relay-upstream';

const BOB = { identityId: 'id-bob', identityName: 'bob' };
const BOB_TOKEN = 'pqg_test_token_bob';
const KEY = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(77) });
const CAPS: ClientCapabilities = { sampling: {}, elicitation: {}, roots: { listChanged: true } };

let f: Fixture;
let upstream: RelayUpstream;
const opened: Client[] = [];

beforeAll(async () => {
  upstream = await startRelayUpstream();
  f = await startFixture({}, (s) =>
    s
      .addUpstream({ slug: 'relay', transport: 'http', url: upstream.url, headers: {} })
      .addUpstream({ slug: 'relay-locked', transport: 'http', url: upstream.url, headers: {}, allowSampling: false, allowElicitation: false })
      .addIdentity(BOB.identityId, BOB.identityName)
      .addToken(BOB_TOKEN, BOB)
      .enrollKey(KEY, ALICE),
  );
});
afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined);
  await f?.close();
  await upstream?.close();
});

/** A client of `server` on `path`, answering sampling, elicitation and roots like a host app would. */
async function client(path: 'bearer' | 'channel', server = 'relay', token?: string): Promise<Client & { asked: string[] }> {
  const c = (path === 'bearer' ? await bearerClient(`${f.base}/${server}`, token, CAPS) : (await channelClient(`${f.base}/${server}`, KEY, { capabilities: CAPS })).client) as Client & { asked: string[] };
  c.asked = [];
  c.setRequestHandler(CreateMessageRequestSchema, async (r) => {
    c.asked.push('sampling');
    const prompt = r.params.messages[0]!.content as { type: string; text?: string };
    return { role: 'assistant', model: 'test-model', content: { type: 'text', text: `echo ${prompt.text ?? ''}` } };
  });
  c.setRequestHandler(ElicitRequestSchema, async () => (c.asked.push('elicitation'), { action: 'accept', content: { name: 'Ada' } }));
  c.setRequestHandler(ListRootsRequestSchema, async () => (c.asked.push('roots'), { roots: [{ uri: 'file:///work' }] }));
  opened.push(c);
  return c;
}

const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

describe('one upstream session per client session', () => {
  it('state one identity keeps in its session is not seen by another identity, nor by its own second session', async () => {
    const alice = await client('bearer');
    const bob = await client('bearer', 'relay', BOB_TOKEN);
    const alice2 = await client('bearer');
    await alice.callTool({ name: 'remember', arguments: { value: 'alice-secret' } });
    expect(textOf(await alice.callTool({ name: 'recall', arguments: {} }))).toBe('recalled:alice-secret');
    expect(textOf(await bob.callTool({ name: 'recall', arguments: {} }))).toBe('recalled:');
    expect(textOf(await alice2.callTool({ name: 'recall', arguments: {} }))).toBe('recalled:');
  });

  it('a channel session has its own upstream session too', async () => {
    const pq = await client('channel');
    expect(textOf(await pq.callTool({ name: 'recall', arguments: {} }))).toBe('recalled:');
  });

  it('ending the client session (DELETE) ends its upstream session', async () => {
    const c = await client('bearer');
    await c.callTool({ name: 'recall', arguments: {} });
    const before = upstream.open();
    await (c.transport as StreamableHTTPClientTransport).terminateSession();
    const end = Date.now() + 3000;
    while (upstream.open() !== before - 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(upstream.open()).toBe(before - 1);
  });
});

for (const path of ['bearer', 'channel'] as const) {
  describe(`server requests and notifications reach the client (${path})`, () => {
    it('sampling/createMessage inside a tools/call is answered by the client', async () => {
      const c = await client(path);
      expect(textOf(await c.callTool({ name: 'ask_llm', arguments: { prompt: 'hi' } }))).toBe('llm:echo hi');
      expect(c.asked).toEqual(['sampling']);
    });

    it('elicitation/create and roots/list are answered by the client', async () => {
      const c = await client(path);
      expect(textOf(await c.callTool({ name: 'ask_user', arguments: {} }))).toBe('user:accept:{"name":"Ada"}');
      expect(textOf(await c.callTool({ name: 'list_roots', arguments: {} }))).toBe('roots:file:///work');
      expect(c.asked).toEqual(['elicitation', 'roots']);
    });

    it('log notifications sent during a call arrive before its result', async () => {
      const c = await client(path);
      const logs: unknown[] = [];
      c.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
      await c.callTool({ name: 'log_twice', arguments: {} });
      expect(logs).toEqual(['one', 'two']);
    });

    it('with allowSampling and allowElicitation off, the client is never asked and the refusal is recorded', async () => {
      const c = await client(path, 'relay-locked');
      // The capabilities were taken out of the forwarded initialize, so the upstream cannot ask.
      await expect(c.callTool({ name: 'ask_llm', arguments: { prompt: 'hi' } })).resolves.toMatchObject({ isError: true });
      await expect(c.callTool({ name: 'ask_user', arguments: {} })).resolves.toMatchObject({ isError: true });
      expect(c.asked).toEqual([]);
    });
  });
}

describe('server requests are traffic events', () => {
  it('a relayed sampling request is recorded with its latency', async () => {
    const c = await client('bearer');
    await c.callTool({ name: 'ask_llm', arguments: { prompt: 'audit me' } });
    await new Promise((r) => setTimeout(r, 120));
    expect(f.store.traffic.find((e) => e.upstream === 'relay' && e.method === 'sampling/createMessage')).toMatchObject({ decision: 'allow', rule: 'allowSampling: true', identityId: ALICE.identityId });
  });
});

describe('progress over the channel, live', () => {
  it('arrives within 100 ms of the upstream sending it, long before the result', async () => {
    const c = await client('channel');
    const arrived: number[] = [];
    upstream.progressSentAt.length = 0;
    const result = await c.callTool({ name: 'progress_then_wait', arguments: {} }, undefined, { onprogress: () => void arrived.push(Date.now()) });
    const done = Date.now();
    expect(textOf(result)).toBe('done');
    expect(arrived).toHaveLength(2);
    for (let i = 0; i < 2; i++) expect(arrived[i]! - upstream.progressSentAt[i]!).toBeLessThan(100);
    expect(done - arrived[1]!).toBeGreaterThan(300);
  });
});
