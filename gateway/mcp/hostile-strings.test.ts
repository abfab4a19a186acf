/**
 * Hostile JSON at the bearer endpoint, over real HTTP (docs/security.md, "Bounded input"): a
 * depth bomb, lone surrogates and U+0000 in names are refused at the boundary with -32600 naming
 * the field, before they reach a session, the upstream or the traffic log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, TOKEN, type Fixture } from './testing/fixture';

let f: Fixture;
let session: string;
const headers = (extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
  ...extra,
});
const post = (body: string, extra?: Record<string, string>) => fetch(`${f.base}/inventory`, { method: 'POST', headers: headers(extra), body });

beforeAll(async () => {
  f = await startFixture();
  const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
  session = res.headers.get('mcp-session-id')!;
  await res.body?.cancel();
  (await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { 'mcp-session-id': session })).body?.cancel();
});
afterAll(() => f?.close());

/** Posts `text` (raw JSON, so escapes reach the gateway as sent) on the session. */
async function send(text: string): Promise<{ status: number; error?: { code: number; message: string }; result?: unknown }> {
  const res = await post(text, { 'mcp-session-id': session });
  return { status: res.status, ...((await res.json()) as object) };
}
const toolCall = (params: string) => `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${params}}`;

describe('the bearer endpoint refuses hostile JSON at the boundary', () => {
  it('a nesting depth bomb: -32600 naming the depth limit, the gateway still serving', async () => {
    const bomb = toolCall(`{"name":"search_products","arguments":{"query":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`);
    const r = await send(bomb);
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe(-32600);
    expect(r.error?.message).toMatch(/nested more than 64 deep/);
    expect((await send(toolCall('{"name":"search_products","arguments":{"query":"drill"}}'))).result).toBeDefined();
  });

  it.each([
    ['the tool name', toolCall('{"name":"search_products\\ud800","arguments":{}}'), /params\.name contains a lone UTF-16 surrogate/],
    ['an argument', toolCall('{"name":"search_products","arguments":{"query":"\\udfff drill"}}'), /params\.arguments\.query contains a lone UTF-16 surrogate/],
    ['the method', '{"jsonrpc":"2.0","id":7,"method":"tools/list\\ud800"}', /method contains a lone UTF-16 surrogate/],
    ['a resource URI', '{"jsonrpc":"2.0","id":7,"method":"resources/read","params":{"uri":"inventory://x\\udc00"}}', /params\.uri contains a lone/],
    ['a prompt name', '{"jsonrpc":"2.0","id":7,"method":"prompts/get","params":{"name":"p\\ud800"}}', /params\.name contains a lone/],
  ])('a lone surrogate in %s: -32600 naming the field and what to do', async (_what, text, field) => {
    const r = await send(text);
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe(-32600);
    expect(r.error?.message).toMatch(field);
    expect(r.error?.message).toMatch(/send well-formed Unicode/);
  });

  it.each([
    ['the tool name', toolCall('{"name":"search_products\\u0000","arguments":{}}'), /params\.name contains U\+0000/],
    ['the method', '{"jsonrpc":"2.0","id":7,"method":"tools/list\\u0000"}', /method contains U\+0000/],
    ['a resource URI', '{"jsonrpc":"2.0","id":7,"method":"resources/read","params":{"uri":"inventory://\\u0000"}}', /params\.uri contains U\+0000/],
  ])('U+0000 in %s: -32600 naming the field', async (_what, text, field) => {
    const r = await send(text);
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe(-32600);
    expect(r.error?.message).toMatch(field);
  });

  it('U+0000 in an argument goes through to the upstream', async () => {
    const r = await send(toolCall('{"name":"search_products","arguments":{"query":"dr\\u0000ill"}}'));
    expect(r.status).toBe(200);
    expect(r.error).toBeUndefined();
    expect(r.result).toBeDefined();
  });

  it('in a batch, one hostile message refuses the batch, naming the field', async () => {
    const r = await send(`[${toolCall('{"name":"search_products","arguments":{}}')},${toolCall('{"name":"x\\ud800"}')}]`);
    expect(r.status).toBe(400);
    expect(r.error?.message).toMatch(/params\.name contains a lone/);
  });
});
