/**
 * Test fixture: real demo upstreams over Streamable HTTP, the gateway core on a real `node:http`
 * server (port 0), an in-memory store with one bearer identity, and SDK clients to reach it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { openConnector, relay, type Connector } from '../../connector/connector';
import { generateKeyPair, type KeyPair, type PublicKeyRecord } from '../../channel';
import { serveNode, type NodeServer } from '../../http/node-adapter';
import { startDemoUpstream } from '../../../scripts/demo-upstreams/start-demo-upstream';
import { createMcpGateway, type McpGateway, type McpGatewayDeps, type McpGatewayOptions } from '../gateway';
import { MemoryGatewayStore } from './memory-store';

/** Deterministic gateway signing keys, one per scheme. */
export const GATEWAY_KEYS: readonly KeyPair[] = (['Ed25519', 'ML-DSA-65', 'ML-DSA-87'] as const).map((alg, i) => generateKeyPair(alg, { seed: new Uint8Array(32).fill(40 + i) }));

export const TOKEN = 'pqg_test_token_alice';
export const ALICE = { identityId: 'id-alice', identityName: 'alice' };

/** A running gateway with its upstreams. */
export interface Fixture {
  readonly store: MemoryGatewayStore;
  readonly gateway: McpGateway;
  readonly http: NodeServer;
  /** `<origin>/api/mcp` */
  readonly base: string;
  readonly upstreams: Record<string, { url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Starts clinic-records and inventory, a store that knows them, and the gateway. */
export async function startFixture(options: McpGatewayOptions = {}, configure?: (store: MemoryGatewayStore) => void, deps: Pick<McpGatewayDeps, 'journal'> = {}): Promise<Fixture> {
  const [clinic, inventory] = await Promise.all([startDemoUpstream('clinic-records', { port: 0 }), startDemoUpstream('inventory', { port: 0 })]);
  const store = new MemoryGatewayStore(GATEWAY_KEYS)
    .addUpstream({ slug: 'clinic-records', transport: 'http', url: clinic.url, headers: { 'x-upstream-credential': 'secret-not-logged' } })
    .addUpstream({ slug: 'inventory', transport: 'http', url: inventory.url, headers: {} })
    .addIdentity(ALICE.identityId, ALICE.identityName)
    .addToken(TOKEN, ALICE);
  configure?.(store);
  const gateway = createMcpGateway({ store, ...deps, options: { trafficIntervalMs: 50, ...options } });
  const http = await serveNode((request) => {
    const server = decodeURIComponent(new URL(request.url).pathname.split('/')[3] ?? '');
    return gateway.handle(request, server);
  });
  const upstreams = { 'clinic-records': clinic, inventory };
  return {
    store,
    gateway,
    http,
    base: `${http.origin}/api/mcp`,
    upstreams,
    async close() {
      await gateway.close();
      await http.close();
      await Promise.all(Object.values(upstreams).map((u) => u.close().catch(() => undefined)));
    },
  };
}

/** An SDK client through the plain bearer endpoint (declaring `capabilities`, none by default). */
export async function bearerClient(url: string, token = TOKEN, capabilities: ClientCapabilities = {}): Promise<Client> {
  const client = new Client({ name: 'test-bearer', version: '1.0.0' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

/** An SDK client reaching `url` through the connector library in-process (channel + relay). */
export async function channelClient(url: string, identity: KeyPair, options: { minSuite?: string; offer?: string[]; trustedGatewayKeys?: PublicKeyRecord[]; capabilities?: ClientCapabilities } = {}): Promise<{ client: Client; connector: Connector }> {
  const [local, remote] = InMemoryTransport.createLinkedPair();
  const trustedGatewayKeys = GATEWAY_KEYS.map((k) => ({ algorithm: k.algorithm, publicKey: k.publicKey }));
  const { capabilities = {}, ...connectOptions } = options;
  const connector = await openConnector(url, identity, { trustedGatewayKeys, ...connectOptions });
  void relay(connector, remote);
  const client = new Client({ name: 'test-pq', version: '1.0.0' }, { capabilities });
  await client.connect(local);
  return { client, connector };
}
