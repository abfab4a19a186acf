/**
 * The allow/deny matrix of suites × floors through the real channel (connector library, real
 * HTTP, real handshakes) and through the bearer endpoint, against the inventory demo upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { generateKeyPair, type KeyPair } from '../channel';
import type { SignatureId } from '../crypto';
import type { FloorName } from '../policy/floors';
import { bearerClient, channelClient, startFixture, type Fixture } from './testing/fixture';

const TOOLS: Record<FloorName, string> = { 'classical-ok': 'search_products', 'ML-KEM-768': 'get_stock', 'ML-KEM-1024': 'price_quote' };
// Which floors each session meets (DESIGN §4): bearer and classical only classical-ok.
const SESSIONS: { name: string; alg?: SignatureId; minSuite?: string; meets: FloorName[] }[] = [
  { name: 'classical-bearer', meets: ['classical-ok'] },
  { name: 'classical-x25519-ed25519', alg: 'Ed25519', minSuite: 'classical', meets: ['classical-ok'] },
  { name: 'hybrid-xwing-mldsa65', alg: 'ML-DSA-65', meets: ['classical-ok', 'ML-KEM-768'] },
  { name: 'cnsa2-mlkem1024-mldsa87', alg: 'ML-DSA-87', meets: ['classical-ok', 'ML-KEM-768', 'ML-KEM-1024'] },
];

let f: Fixture;
const clients = new Map<string, Client>();

beforeAll(async () => {
  f = await startFixture();
  const warm = await bearerClient(`${f.base}/inventory`); // discovery, so floors can name tools
  await warm.close();
  for (const [floor, tool] of Object.entries(TOOLS)) f.store.setToolFloor('inventory', tool, floor as FloorName);
  for (const s of SESSIONS) {
    if (!s.alg) {
      clients.set(s.name, await bearerClient(`${f.base}/inventory`));
      continue;
    }
    const key: KeyPair = generateKeyPair(s.alg);
    f.store.addIdentity(`id-${s.name}`, s.name).enrollKey(key, { identityId: `id-${s.name}`, identityName: s.name });
    const { client, connector } = await channelClient(`${f.base}/inventory`, key, s.minSuite ? { minSuite: s.minSuite } : {});
    expect(connector.channel.info().suite).toBe(s.name);
    clients.set(s.name, client);
  }
});
afterAll(async () => {
  for (const c of clients.values()) await c.close().catch(() => undefined);
  await f?.close();
});

const ARGS: Record<string, Record<string, unknown>> = {
  search_products: { query: 'bolt' },
  get_stock: { sku: 'TL-1001' },
  price_quote: { items: [{ sku: 'TL-1001', quantity: 3 }] },
};

describe('suites × floors', () => {
  for (const s of SESSIONS) {
    for (const [floor, tool] of Object.entries(TOOLS) as [FloorName, string][]) {
      const allowed = s.meets.includes(floor);
      it(`${s.name} → ${floor}: ${allowed ? 'allow' : 'deny'}`, async () => {
        const call = clients.get(s.name)!.callTool({ name: tool, arguments: ARGS[tool] });
        if (allowed) expect((await call).isError).toBeFalsy();
        else await expect(call).rejects.toThrow(new RegExp(`tool inventory/${tool} requires ${floor}.*negotiated ${s.name}`));
      });
    }
    it(`${s.name}: tools/list shows exactly the tools it may call`, async () => {
      const names = (await clients.get(s.name)!.listTools()).tools.map((t) => t.name);
      for (const [floor, tool] of Object.entries(TOOLS) as [FloorName, string][]) expect(names.includes(tool)).toBe(s.meets.includes(floor));
    });
  }

  it('traffic events name the negotiated suite and transport', async () => {
    await new Promise((r) => setTimeout(r, 120));
    const ev = f.store.traffic.filter((e) => e.tool === 'price_quote');
    expect(ev.find((e) => e.suite === 'cnsa2-mlkem1024-mldsa87')).toMatchObject({ transport: 'pq', decision: 'allow' });
    expect(ev.find((e) => e.suite === 'hybrid-xwing-mldsa65')).toMatchObject({ transport: 'pq', decision: 'deny', code: 'below_floor' });
  });
});
