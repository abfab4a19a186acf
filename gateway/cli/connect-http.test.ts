/**
 * `pqgate connect --http` as a real process: the official SDK client over Streamable HTTP to the
 * local bridge, which relays over the PQ channel to a real gateway in front of the relay test
 * upstream (gateway/mcp/testing/relay-upstream.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { displayKeyId, generateKeyPair } from '../channel';
import { GATEWAY_KEYS, startFixture, type Fixture } from '../mcp/testing/fixture';
import { startRelayUpstream, type RelayUpstream } from '../mcp/testing/relay-upstream';
import { writeIdentityFile } from './identity-file';

const PQGATE = 'bin/pqgate.mjs';
const ID = { identityId: 'id-http', identityName: 'http-only-client' };

let f: Fixture;
let upstream: RelayUpstream;
let dir: string;
let bridge: ChildProcess;
let url: string;
let stdout = '';
let stderr = '';
const clients: Client[] = [];
/** Bridges a test started itself: killed at the end even when the test failed half-way. */
const spawned: ChildProcess[] = [];

const connectArgs = (server: string, extra: string[]) => [PQGATE, 'connect', `${f.base}/${server}`, '--identity', join(dir, 'id.json'), '--trust', displayKeyId(GATEWAY_KEYS[1]!.keyId), ...extra];

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (status) => resolve({ status, stdout: out, stderr: err }));
  });
}

async function client(): Promise<Client & { sampled: string[] }> {
  const c = new Client({ name: 'http-only-client', version: '1.0.0' }, { capabilities: { sampling: {} } }) as Client & { sampled: string[] };
  c.sampled = [];
  c.setRequestHandler(CreateMessageRequestSchema, async (r) => {
    const text = (r.params.messages[0]!.content as { text?: string }).text ?? '';
    c.sampled.push(text);
    return { role: 'assistant', model: 'test-model', content: { type: 'text', text: `echo ${text}` } };
  });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(c);
  return c;
}

/** A raw request with a Host header of our choosing (fetch cannot set one). */
function raw(headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

beforeAll(async () => {
  upstream = await startRelayUpstream();
  f = await startFixture({}, (s) => s.addUpstream({ slug: 'relay', transport: 'http', url: upstream.url, headers: {} }).addIdentity(ID.identityId, ID.identityName));
  dir = mkdtempSync(join(tmpdir(), 'pqgate-connect-http-'));
  const key = generateKeyPair('ML-DSA-65');
  writeIdentityFile(join(dir, 'id.json'), key, false);
  f.store.enrollKey(key, ID);
  bridge = spawn(process.execPath, connectArgs('relay', ['--http', '127.0.0.1:0']), { stdio: ['ignore', 'pipe', 'pipe'] });
  bridge.stdout!.on('data', (d: Buffer) => (stdout += d));
  bridge.stderr!.on('data', (d: Buffer) => (stderr += d));
  url = await new Promise<string>((resolve, reject) => {
    bridge.stderr!.on('data', () => {
      const m = /serving MCP Streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)\n/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    bridge.once('exit', (code) => reject(new Error(`pqgate connect --http exited ${code}: ${stderr}`)));
  });
}, 60_000);
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (bridge && bridge.exitCode === null) {
    const exited = new Promise((r) => bridge.once('exit', r));
    bridge.kill('SIGTERM');
    await exited;
  }
  await f?.close();
  await upstream?.close();
});

describe('pqgate connect --http', () => {
  it('prints where it listens on stderr and nothing on stdout', () => {
    expect(stderr).toMatch(/pqgate connect: relay over hybrid-xwing-mldsa65/);
    expect(stdout).toBe('');
  });

  it('lists and calls tools for the SDK Streamable HTTP client', async () => {
    const c = await client();
    expect(c.getServerVersion()?.name).toBe('relay-upstream');
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['remember', 'recall', 'ask_llm', 'progress_then_wait']));
    expect(textOf(await c.callTool({ name: 'remember', arguments: { value: 'v' } }))).toBe('kept');
  });

  it('progress notifications arrive before the result, as they happen', async () => {
    const c = await client();
    const arrived: number[] = [];
    const result = await c.callTool({ name: 'progress_then_wait', arguments: {} }, undefined, { onprogress: () => void arrived.push(Date.now()) });
    const done = Date.now();
    expect(textOf(result)).toBe('done');
    expect(arrived).toHaveLength(2);
    expect(done - arrived[1]!).toBeGreaterThan(300);
  });

  it('a sampling request inside a call reaches the client and its answer goes back', async () => {
    const c = await client();
    expect(textOf(await c.callTool({ name: 'ask_llm', arguments: { prompt: 'hi' } }))).toBe('llm:echo hi');
    expect(c.sampled).toEqual(['hi']);
  });

  it('log lines of a call arrive before its result', async () => {
    const c = await client();
    await c.setLoggingLevel('debug');
    const logs: unknown[] = [];
    c.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    await c.callTool({ name: 'log_twice', arguments: {} });
    expect(logs).toEqual(['one', 'two']);
  });

  it('a call with a progress token is answered on its own SSE stream: progress first, then the result', async () => {
    const init = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INIT });
    const session = init.headers.get('mcp-session-id')!;
    expect(session).toMatch(/^[0-9a-f]{32}$/);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const call = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'progress_then_wait', arguments: {}, _meta: { progressToken: 'tok' } } }) });
    expect(call.headers.get('content-type')).toBe('text/event-stream');
    const events = (await call.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { method?: string; id?: number });
    expect(events.map((e) => e.method ?? `response ${e.id}`)).toEqual(['notifications/progress', 'notifications/progress', 'response 2']);
  });

  it('server requests of two calls in flight at once reach the client (on the GET stream) and both calls complete', async () => {
    const c = await client();
    const [a, b] = await Promise.all([c.callTool({ name: 'ask_llm', arguments: { prompt: 'one' } }), c.callTool({ name: 'ask_llm', arguments: { prompt: 'two' } })]);
    expect([textOf(a), textOf(b)]).toEqual(['llm:echo one', 'llm:echo two']);
    expect(c.sampled.sort()).toEqual(['one', 'two']);
  });

  it('a call whose POST the client abandons gets no late response on the GET stream', async () => {
    const init = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INIT });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-06-18' };
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const get = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': headers['mcp-session-id'] } });
    let seen = '';
    const reader = get.body!.getReader();
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        seen += new TextDecoder().decode(value);
      }
    })();
    const abort = new AbortController();
    const call = await fetch(url, { method: 'POST', headers, signal: abort.signal, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'progress_then_wait', arguments: {}, _meta: { progressToken: 'p' } } }) });
    expect(call.headers.get('content-type')).toBe('text/event-stream');
    abort.abort();
    await new Promise((r) => setTimeout(r, 800));
    await reader.cancel();
    expect(seen).not.toContain('"id":7');
  });

  it('two HTTP sessions are two MCP sessions at the gateway: state kept in one is not seen by the other', async () => {
    const [a, b] = [await client(), await client()];
    await a.callTool({ name: 'remember', arguments: { value: 'only-in-a' } });
    expect(textOf(await a.callTool({ name: 'recall', arguments: {} }))).toBe('recalled:only-in-a');
    expect(textOf(await b.callTool({ name: 'recall', arguments: {} }))).toBe('recalled:');
  });

  it('a session id is not accepted once deleted', async () => {
    const c = await client();
    const transport = c.transport as StreamableHTTPClientTransport;
    const id = transport.sessionId!;
    await transport.terminateSession();
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': id }, body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }) });
    expect(r.status).toBe(404);
  });

  it('a foreign Host or Origin gets 403 (DNS rebinding), naming the address to use', async () => {
    const port = new URL(url).port;
    const host = await raw({ host: `evil.example:${port}` }, INIT);
    expect(host.status).toBe(403);
    expect(host.body).toContain(`Host \\"evil.example:${port}\\" is not this bridge's address; call it as http://127.0.0.1:${port}/mcp`);
    const origin = await raw({ origin: 'http://evil.example' }, INIT);
    expect(origin.status).toBe(403);
    expect(origin.body).toContain('Origin \\"http://evil.example\\" is not this bridge');
    expect((await raw({ host: `localhost:${port}` }, INIT)).status).toBe(200);
  });

  it('only /mcp is served', async () => {
    const r = await fetch(new URL('/other', url), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INIT });
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('/mcp');
  });

  it('refuses a non-loopback address before any network traffic, unless --http-allow-remote', async () => {
    const r = await run(connectArgs('relay', ['--http', '192.0.2.1:0']));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--http 192\.0\.2\.1:0 is not a loopback address: anyone who reaches it would act as your identity at the gateway\. Use 127\.0\.0\.1, or add --http-allow-remote/);
    const wild = await run(connectArgs('relay', ['--http', '0.0.0.0:0', '--http-allow-remote']));
    expect(wild.status).toBe(2);
    expect(wild.stderr).toMatch(/wildcard address/);
    const bad = await run(connectArgs('relay', ['--http', '127.0.0.1']));
    expect(bad.stderr).toMatch(/is not host:port/);
  }, 30_000);

  it('serves any loopback address by its own name, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, connectArgs('relay', ['--http', '127.0.0.2:0']), { stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.push(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    await expect.poll(() => err, { timeout: 20_000 }).toMatch(/serving MCP Streamable HTTP at http:\/\/127\.0\.0\.2:\d+\/mcp/);
    const other = /at (\S+)/.exec(err)![1]!;
    const init = await fetch(other, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INIT });
    expect(init.status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
