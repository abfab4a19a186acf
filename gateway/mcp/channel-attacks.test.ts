/**
 * An active attacker between `pqgate connect` and the gateway (DESIGN §10, docs/security.md):
 * it forwards a tools/call record, drops the answer and forges another (a plain error, a
 * transient failure, a duplicate delivered first, a truncated or flipped answer), replays
 * captured records after a restart and to a second replica. The mutating tool
 * `inventory/reserve_stock` shows how often a call really ran: never more than once.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../channel';
import { openConnector, type Connector } from '../connector/connector';
import { isGatewayError } from '../errors';
import { serveNode, type NodeServer } from '../http/node-adapter';
import { createMcpGateway, type McpGateway } from './gateway';
import { ALICE, bearerClient, GATEWAY_KEYS, startFixture, type Fixture } from './testing/fixture';
import * as wire from '../channel/wire';

const KEY = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(61) });
const TRUSTED = GATEWAY_KEYS.map((k) => ({ algorithm: k.algorithm, publicKey: k.publicKey }));
const RESERVE = { sku: 'FS-2001', warehouse: 'HBR', quantity: 1, reference: 'ORDER-MITM' }; // 510 on hand

type Forge = (forward: () => Promise<Response>) => Promise<Response>;

interface Middle {
  next: Forge | undefined;
  readonly captured: Uint8Array[];
  readonly fetch: typeof fetch;
}

/** A man in the middle on the connector's channel POSTs; `next` rewrites the next /record exchange. */
function middle(target: () => string): Middle {
  const mitm: Middle = {
    next: undefined as Forge | undefined,
    captured: [] as Uint8Array[],
    fetch: (async (url: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      const to = `${target()}${path.slice(path.indexOf('/api/mcp'))}`;
      const body = new Uint8Array(init!.body as Uint8Array);
      const forward = () => fetch(to, { ...init, body });
      if (!path.endsWith('/record')) return forward();
      mitm.captured.push(body);
      const forge: Forge | undefined = mitm.next;
      mitm.next = undefined;
      return forge ? forge(forward) : forward();
    }) as typeof fetch,
  };
  return mitm;
}

const plainError = (status: number, code: string) => async (forward: () => Promise<Response>) => {
  await (await forward()).arrayBuffer(); // the gateway ran it; its answer is dropped
  return Response.json({ error: { code, message: 'forged' } }, { status });
};

describe('a man in the middle between connector and gateway', () => {
  let f: Fixture;
  let reader: Client;
  let connector: Connector;
  const mitm = middle(() => f.http.origin);
  let id = 10;

  const reserved = async () => {
    const r = (await reader.callTool({ name: 'get_stock', arguments: { sku: RESERVE.sku, warehouse: RESERVE.warehouse } })) as { content: { text: string }[] };
    return (JSON.parse(r.content[0]!.text) as { levels: { reserved: number }[] }).levels[0]!.reserved;
  };
  const call = (name: string, args: Record<string, unknown>) => connector.send({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name, arguments: args } });
  /** Sends reserve_stock under `forge` and returns how many times it ran and how the connector ended. */
  const attempt = async (forge: Forge) => {
    const before = await reserved();
    mitm.next = forge;
    const outcome = await call('reserve_stock', RESERVE).then(
      () => 'answered',
      (e: unknown) => (isGatewayError(e, 'outcome_unknown') ? 'outcome_unknown' : `error: ${(e as Error).message}`),
    );
    return { ran: (await reserved()) - before, outcome };
  };

  beforeAll(async () => {
    f = await startFixture();
    f.store.enrollKey(KEY, ALICE);
    reader = await bearerClient(`${f.base}/inventory`);
    connector = await openConnector(`${f.http.origin}/api/mcp/inventory`, KEY, { trustedGatewayKeys: TRUSTED, fetch: mitm.fetch });
    await connector.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mitm-test', version: '1' } } });
    await connector.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });
  afterAll(async () => {
    await reader?.close();
    await f?.close();
  });

  it('the control: an untouched call runs once and is answered', async () => {
    expect(await attempt((forward) => forward())).toEqual({ ran: 1, outcome: 'answered' });
  });

  for (const [status, code] of [
    [401, 'replay'],
    [401, 'ticket_expired'],
    [401, 'ticket_invalid'],
    [401, 'cookie_expired'],
    [401, 'bad_record'],
  ] as const) {
    it(`a forged plain "${code}" after the call ran does not make it run again`, async () => {
      expect(await attempt(plainError(status, code))).toEqual({ ran: 1, outcome: 'outcome_unknown' });
      // The connector goes on, on a new session.
      expect(await attempt((forward) => forward())).toEqual({ ran: 1, outcome: 'answered' });
    });
  }

  it('a forged 503 or a cut connection: the same bytes are posted again and the gateway refuses them as a replay', async () => {
    expect(await attempt(plainError(503, 'store_unavailable'))).toEqual({ ran: 1, outcome: 'outcome_unknown' });
    expect(
      await attempt(async (forward) => {
        await (await forward()).arrayBuffer();
        throw new TypeError('fetch failed');
      }),
    ).toEqual({ ran: 1, outcome: 'outcome_unknown' });
  });

  it('a copy delivered first, its answer dropped: the original gets an authenticated refusal, not a second run', async () => {
    expect(
      await attempt(async (forward) => {
        await (await forward()).arrayBuffer();
        return forward();
      }),
    ).toEqual({ ran: 1, outcome: 'outcome_unknown' });
  });

  it('a truncated or bit-flipped answer is refused and not acted on', async () => {
    const truncated = await attempt(async (forward) => new Response((await (await forward()).arrayBuffer()).slice(0, 40), { status: 200 }));
    expect(truncated.ran).toBe(1);
    expect(truncated.outcome).toMatch(/^error: .*RecordResponse|outcome_unknown/);
    const flipped = await attempt(async (forward) => {
      const b = new Uint8Array(await (await forward()).arrayBuffer());
      b[b.length - 3]! ^= 0x40;
      return new Response(b, { status: 200 });
    });
    expect(flipped).toEqual({ ran: 1, outcome: 'outcome_unknown' });
  });

  it('an idempotent request is sent again under a new session when its answer is forged', async () => {
    mitm.next = plainError(401, 'ticket_invalid');
    const reply = await connector.send({ jsonrpc: '2.0', id: ++id, method: 'tools/list' });
    expect((reply.at(-1) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
  });

  it('captured records replayed after a restart, or to a second replica, run nothing', async () => {
    const before = await reserved();
    mitm.captured.length = 0;
    await call('reserve_stock', RESERVE);
    const record = mitm.captured.at(-1)!;
    expect((await reserved()) - before).toBe(1);
    // A second replica (same store, ring and ledger) and a restarted first one (a new gateway core).
    const replicas: { gateway: McpGateway; http: NodeServer }[] = [];
    for (let i = 0; i < 2; i++) {
      const gateway = createMcpGateway({ store: f.store, options: { trafficIntervalMs: 50 } });
      replicas.push({ gateway, http: await serveNode((request) => gateway.handle(request, 'inventory')) });
    }
    try {
      for (const target of [f.http.origin, ...replicas.map((r) => r.http.origin)]) {
        const res = await fetch(`${target}/api/mcp/inventory/pq/record`, { method: 'POST', headers: { 'content-type': 'application/pqgate' }, body: record as Uint8Array<ArrayBuffer> });
        expect(res.status).toBe(200);
        expect(wire.parseRecordResponse(new Uint8Array(await res.arrayBuffer())).status).toBe(wire.ReplyStatus.refusal);
      }
      expect((await reserved()) - before).toBe(1);
    } finally {
      for (const r of replicas) {
        await r.gateway.close();
        await r.http.close();
      }
    }
  });
});
