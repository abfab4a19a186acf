/**
 * The official SDK client talking to `pqgate connect` spawned as a real process (stdio), which
 * relays over the PQ channel to the gateway, which fronts @modelcontextprotocol/server-everything
 * (a stdio upstream) and the clinic-records demo (Streamable HTTP).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { displayKeyId, generateKeyPair } from '../channel';
import { writeIdentityFile } from '../cli/identity-file';
import { GATEWAY_KEYS, startFixture, type Fixture } from './testing/fixture';

const EVERYTHING = ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'];
const PQGATE = 'bin/pqgate.mjs';

let f: Fixture;
let dir: string;
const stderr: string[] = [];

async function spawnConnector(server: string, extra: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [PQGATE, 'connect', `${f.base}/${server}`, '--identity', join(dir, 'id.json'), '--trust', displayKeyId(GATEWAY_KEYS[1]!.keyId), ...extra],
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let everything: Client;
let clinic: Client;

beforeAll(async () => {
  f = await startFixture({}, (store) => store.addUpstream({ slug: 'everything', transport: 'stdio', command: process.execPath, args: EVERYTHING, env: {} }));
  dir = mkdtempSync(join(tmpdir(), 'pqgate-connect-'));
  const key = generateKeyPair('ML-DSA-65');
  writeIdentityFile(join(dir, 'id.json'), key, false);
  f.store.addIdentity('id-desk', 'desktop').enrollKey(key, { identityId: 'id-desk', identityName: 'desktop' });
  [everything, clinic] = await Promise.all([spawnConnector('everything'), spawnConnector('clinic-records')]);
}, 60_000);
afterAll(async () => {
  await everything?.close();
  await clinic?.close();
  await f?.close();
});

describe('pqgate connect as a real process', () => {
  it('announces the negotiated suite on stderr, never on stdout', () => {
    expect(stderr.join('')).toMatch(/pqgate connect: everything over hybrid-xwing-mldsa65/);
  });

  it('initialize and tools/list look like server-everything', async () => {
    expect(everything.getServerVersion()?.name).toBe('mcp-servers/everything');
    const names = (await everything.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']));
  });

  it('tools/call', async () => {
    const res = await everything.callTool({ name: 'echo', arguments: { message: 'through the PQ channel' } });
    expect(JSON.stringify(res.content)).toContain('through the PQ channel');
  });

  it('progress notifications arrive before the result', async () => {
    const seen: number[] = [];
    const res = await everything.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, { onprogress: (p) => seen.push(p.progress) });
    expect(JSON.stringify(res.content)).toContain('completed');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('resources and prompts', async () => {
    const resources = await everything.listResources();
    expect(resources.resources.length).toBeGreaterThan(0);
    const read = await everything.readResource({ uri: resources.resources[0]!.uri });
    expect(read.contents.length).toBe(1);
    const prompts = await everything.listPrompts();
    const simple = prompts.prompts.find((p) => !p.arguments?.some((a) => a.required));
    expect(simple).toBeDefined();
    expect((await everything.getPrompt({ name: simple!.name })).messages.length).toBeGreaterThan(0);
  });

  it('the demo clinic through a second connector, with its progress', async () => {
    const seen: number[] = [];
    const res = await clinic.callTool({ name: 'export_chart', arguments: { mrn: 'MRN-1001' } }, undefined, { onprogress: (p) => seen.push(p.progress) });
    expect(JSON.stringify(res.content)).toContain('MRN-1001');
    expect(seen.length).toBeGreaterThan(1);
  });

  it('a refusal reaches the client as a JSON-RPC error with the decision message', async () => {
    f.store.setToolFloor('everything', 'get-sum', 'ML-KEM-1024');
    try {
      await expect(everything.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } })).rejects.toThrow(/everything\/get-sum requires ML-KEM-1024.*negotiated hybrid-xwing-mldsa65.*--min-suite ML-KEM-1024/);
    } finally {
      f.store.setToolFloor('everything', 'get-sum', undefined);
    }
  });

  it('an unknown gateway fingerprint makes connect fail on stderr with exit 1', async () => {
    // Asynchronous on purpose: the gateway answering the connector runs in this process.
    const r = await run([PQGATE, 'connect', `${f.base}/everything`, '--identity', join(dir, 'id.json'), '--trust', '0000000000000000']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no gateway key has fingerprint 0000000000000000; the gateway serves .*ML-DSA-65/);
  });

  it('exits 0 when the MCP client closes its stdin (Claude Desktop quitting)', async () => {
    const child = spawn(process.execPath, [PQGATE, 'connect', `${f.base}/clinic-records`, '--identity', join(dir, 'id.json'), '--trust', displayKeyId(GATEWAY_KEYS[1]!.keyId)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // Wait until the channel is up (the suite line on stderr), then hang up like a client does.
    await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/over hybrid/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.end();
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    if (code === 'hung') child.kill();
    expect(code).toBe(0);
  }, 30_000);
});
