/**
 * `pqgate connect` as a real process against a real gateway over HTTP, through gateway key
 * rotations: the gateway's trust bundle is served beside it (as the console's
 * `/.well-known/pqgate/trust-bundle` route does) and changed between runs, while the gateway
 * signs handshakes with whichever key the scenario gives it, an attacker's choice included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startDemoUpstream } from '../../scripts/demo-upstreams/start-demo-upstream';
import { generateKeyPair, type KeyPair } from '../channel';
import { getCryptoProvider, toBase64Url, toHex } from '../crypto';
import { serveNode, type NodeServer } from '../http/node-adapter';
import { signKeyLink, signTrustBundle, TRUST_BUNDLE_VALIDITY_MS, trustBundleVersion, type TrustBundle, type TrustBundleKey, type TrustBundleStatus } from '../keys';
import { createMcpGateway, type McpGateway } from '../mcp/gateway';
import { MemoryGatewayStore } from '../mcp/testing/memory-store';
import { writeIdentityFile } from './identity-file';

const PQGATE = 'bin/pqgate.mjs';
const provider = getCryptoProvider();
const signer = (k: KeyPair) => provider.signature(k.algorithm).importSigner(k.seed);
const OTHER_KEYS = [generateKeyPair('Ed25519'), generateKeyPair('ML-DSA-87')];
// The gateway's ML-DSA-65 chain: v1, then v2 after the rotation.
const K1 = generateKeyPair('ML-DSA-65');
const K2 = generateKeyPair('ML-DSA-65');

let upstream: { url: string; close(): Promise<void> };
let store: MemoryGatewayStore;
let gateway: McpGateway;
let http: NodeServer;
let dir: string;
let url: string;
let served: TrustBundle | null = null;

function entry(k: KeyPair, version: number, status: TrustBundleStatus, previous?: KeyPair): TrustBundleKey {
  return {
    algorithm: k.algorithm,
    version,
    status,
    keyId: toHex(k.keyId),
    publicKey: toBase64Url(k.publicKey),
    ...(previous ? { previousSignature: toBase64Url(signKeyLink(signer(previous), { algorithm: k.algorithm, version, publicKey: k.publicKey })) } : {}),
  };
}

/** The bundle the gateway would publish: signed by `by`, issued `ageMs` ago. */
function publish(keys: TrustBundleKey[], by: KeyPair, ageMs = 0, version = trustBundleVersion(keys)): TrustBundle {
  const issuedAt = Date.now() - ageMs;
  return signTrustBundle({ version, issuedAt: new Date(issuedAt).toISOString(), expires: new Date(issuedAt + TRUST_BUNDLE_VALIDITY_MS).toISOString(), keys }, [signer(by)]);
}

/** Which ML-DSA-65 key the gateway signs handshakes with (the store's key set, replaced as a rotation does). */
function gatewaySignsWith(k: KeyPair): void {
  (store.channel as { gatewayKeys: readonly Pick<KeyPair, 'algorithm' | 'seed'>[] }).gatewayKeys = [...OTHER_KEYS, k];
}

const bundleBefore = () => publish([entry(K1, 1, 'active')], K1);
const bundleRotated = (old: TrustBundleStatus) => publish([entry(K1, 1, old), entry(K2, 2, 'active', K1)], K2);

/** Connects a real MCP client through the connector and calls a tool: the tool's text and the connector's stderr. */
async function callThrough(trust: string, state: string): Promise<{ text: string; stderr: string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [PQGATE, 'connect', url, '--identity', join(dir, 'id.json'), '--trust', trust, '--trust-state', state], stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'trust-test', version: '1.0.0' });
  try {
    await client.connect(transport);
    const result = (await client.callTool({ name: 'get_stock', arguments: { sku: 'TL-1001' } })) as { content: { text?: string }[] };
    return { text: result.content.map((c) => c.text ?? '').join(''), stderr };
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Runs the connector without a client: for refusals, which happen before it serves anything. */
function refused(trust: string, state: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PQGATE, 'connect', url, '--identity', join(dir, 'id.json'), '--trust', trust, '--trust-state', state], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  upstream = await startDemoUpstream('inventory', { port: 0 });
  store = new MemoryGatewayStore([...OTHER_KEYS, K1]).addUpstream({ slug: 'inventory', transport: 'http', url: upstream.url, headers: {} });
  dir = mkdtempSync(join(tmpdir(), 'pqgate-connect-trust-'));
  const identity = generateKeyPair('ML-DSA-65');
  writeIdentityFile(join(dir, 'id.json'), identity, false);
  store.addIdentity('id-desk', 'desktop').enrollKey(identity, { identityId: 'id-desk', identityName: 'desktop' });
  gateway = createMcpGateway({ store });
  http = await serveNode(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/.well-known/pqgate/trust-bundle') return served ? Response.json(served) : new Response('not found', { status: 404 });
    return gateway.handle(request, decodeURIComponent(path.split('/')[3] ?? ''));
  });
  url = `${http.origin}/api/mcp/inventory`;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await http?.close();
  await upstream?.close();
});

const fp16 = (k: KeyPair) => toHex(k.keyId).slice(0, 16);

describe('pqgate connect: a pin follows gateway key rotations', () => {
  it('trusts the pinned key and says which on stderr; the state file is private', async () => {
    served = bundleBefore();
    gatewaySignsWith(K1);
    const state = join(dir, 'state-a.json');
    const run = await callThrough(fp16(K1), state);
    expect(run.text).toContain('TL-1001');
    expect(run.stderr).toMatch(/trusting gateway ML-DSA-65 key [0-9a-f:]{19} \(version 1, active\), the pinned key; trust bundle version 1/);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(state, 'utf8')).gateways[http.origin][toHex(K1.keyId)]).toMatchObject({ version: 1, head: { version: 1 } });
  }, 60_000);

  it('a fingerprint pin (16 or 64 digits) survives a rotation while the old key is retiring, and after it is retired', async () => {
    gatewaySignsWith(K2);
    served = bundleRotated('retiring');
    for (const pin of [fp16(K1), toHex(K1.keyId)]) {
      const run = await callThrough(pin, join(dir, 'state-a.json'));
      expect(run.text).toContain('TL-1001');
      expect(run.stderr).toMatch(/trusting gateway ML-DSA-65 key .* \(version 2, active\), followed by signed rotation from the pinned ML-DSA-65 key .* \(version 1, retiring\)/);
    }
    served = bundleRotated('retired');
    const run = await callThrough(fp16(K1), join(dir, 'state-a.json'));
    expect(run.text).toContain('TL-1001');
    expect(run.stderr).toContain('(version 1, retired)');
  }, 120_000);

  it('refuses a gateway that signs with the pinned key once the signed bundle revokes it', async () => {
    served = bundleRotated('revoked');
    // Whoever holds the revoked key's secret answers the handshake with it.
    gatewaySignsWith(K1);
    const run = await refused(fp16(K1), join(dir, 'state-a.json'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/WARNING: your pinned gateway key .* was revoked/);
    expect(run.stderr).toMatch(/gateway key for ML-DSA-65 is not in the trusted set/);
    expect(run.stdout).toBe('');
  }, 60_000);

  it('refuses an older bundle than the state file has seen, and an expired one', async () => {
    served = bundleBefore();
    gatewaySignsWith(K1);
    const rollback = await refused(fp16(K1), join(dir, 'state-a.json'));
    expect(rollback.status).not.toBe(0);
    expect(rollback.stderr).toMatch(/version 1 is older than version \d+ this connector accepted before/);

    served = publish([entry(K1, 1, 'active')], K1, TRUST_BUNDLE_VALIDITY_MS + 3_600_000);
    const stale = await refused(fp16(K1), join(dir, 'state-fresh.json'));
    expect(stale.status).not.toBe(0);
    expect(stale.stderr).toMatch(/the gateway's trust bundle expired on \d{4}-\d{2}-\d{2}T[0-9:.]+Z; ask your admin/);
    expect(stale.stdout).toBe('');
  }, 60_000);

  it('refuses a gateway that stops publishing a bundle it published before', async () => {
    served = null;
    const run = await refused(fp16(K1), join(dir, 'state-a.json'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/served a signed trust bundle before and now serves none/);
  }, 60_000);
});

describe('pqgate connect: a pq/keys file pin', () => {
  it('follows the chain the same way', async () => {
    const file = join(dir, 'gateway-keys.json');
    writeFileSync(file, JSON.stringify({ keys: [{ algorithm: 'ML-DSA-65', publicKey: toBase64Url(K1.publicKey) }] }));
    served = bundleRotated('retiring');
    gatewaySignsWith(K2);
    const run = await callThrough(file, join(dir, 'state-file.json'));
    expect(run.text).toContain('TL-1001');
    expect(run.stderr).toContain('followed by signed rotation');
  }, 60_000);
});
