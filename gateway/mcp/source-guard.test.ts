/**
 * The gateway's source hooks: channel events carry the source of the request that raised them
 * (a real stripped-offer downgrade through the channel client), unknown bearer tokens are
 * reported, and a blocked source is refused before any handshake or MCP work.
 */
import { describe, expect, it } from 'vitest';
import { connect, generateKeyPair, keyIdOf, type PublicKeyRecord } from '../channel';
import * as wire from '../channel/wire';
import { createMcpGateway } from './gateway';
import type { SourcedChannelEvent } from './source-guard';
import { GATEWAY_KEYS } from './testing/fixture';
import { MemoryGatewayStore } from './testing/memory-store';

const BASE = 'http://gateway.test/api/mcp/inventory';
/** The Host a client of http://gateway.test sends (an in-process Request carries none). */
const HOST = { host: 'gateway.test' };
const ID = generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(61) });

function setup(blocked: Set<string> = new Set()) {
  const events: SourcedChannelEvent[] = [];
  const store = new MemoryGatewayStore(GATEWAY_KEYS)
    .addUpstream({ slug: 'inventory', transport: 'http', url: 'http://127.0.0.1:9/never-reached', headers: {} })
    .addIdentity('id-1', 'one')
    .enrollKey(ID, { identityId: 'id-1', identityName: 'one' });
  const gateway = createMcpGateway({
    store,
    options: { channelEvents: (e) => events.push(e), sourceOf: (r) => r.headers.get('x-test-source') ?? 'unknown', isBlocked: (s) => blocked.has(s), publicOrigins: ['http://gateway.test'] },
  });
  const trusted: PublicKeyRecord[] = GATEWAY_KEYS.map((k) => ({ algorithm: k.algorithm, publicKey: k.publicKey, keyId: keyIdOf(k.publicKey) }));
  /** A fetch from `source`; strips the post-quantum offers from the ClientHello when `strip`. */
  const fetchFrom = (source: string, strip = false) =>
    (async (url: string | URL | Request, init?: RequestInit) => {
      let body = new Uint8Array(init!.body as Uint8Array);
      if (strip && String(url).endsWith('/handshake')) {
        const hello = wire.parseClientHello(body);
        body = wire.encodeClientHello({ ...hello, offers: hello.offers.filter((o) => o.suiteId === 1) }) as Uint8Array<ArrayBuffer>;
      }
      return gateway.handle(new Request(String(url), { ...init, body, headers: { ...(init?.headers as Record<string, string>), ...HOST, 'x-test-source': source } }), 'inventory');
    }) as typeof fetch;
  return { gateway, events, trusted, fetchFrom };
}

describe('source hooks of the gateway core', () => {
  it('a stripped offer is reported as a downgrade carrying the source and the identity key', async () => {
    const { gateway, events, trusted, fetchFrom } = setup();
    const attempt = connect(`${BASE}/pq`, ID, { trustedGatewayKeys: trusted, fetch: fetchFrom('203.0.113.7', true), offer: ['hybrid-xwing-mldsa65', 'classical-x25519-ed25519'], minSuite: 'classical' });
    await expect(attempt).rejects.toMatchObject({ code: 'downgrade_detected' });
    expect(events.find((e) => e.type === 'downgrade')).toMatchObject({ source: '203.0.113.7', suite: 'classical-x25519-ed25519' });
    await gateway.close();
  });

  it('an unknown bearer token is reported with its source; a missing header is not', async () => {
    const { gateway, events } = setup();
    const post = (headers: Record<string, string>) => gateway.handle(new Request(BASE, { method: 'POST', headers: { 'content-type': 'application/json', ...HOST, 'x-test-source': '198.51.100.4', ...headers }, body: '{}' }), 'inventory');
    expect((await post({ authorization: 'Bearer pqg_nope' })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    expect(events).toEqual([expect.objectContaining({ type: 'unknown_identity', code: 'unauthenticated', source: '198.51.100.4' })]);
    await gateway.close();
  });

  it('a blocked source is refused before the handshake and before MCP; other sources are not', async () => {
    const { gateway, events, trusted, fetchFrom } = setup(new Set(['203.0.113.7']));
    await expect(connect(`${BASE}/pq`, ID, { trustedGatewayKeys: trusted, fetch: fetchFrom('203.0.113.7') })).rejects.toMatchObject({ code: 'downgrade_detected' });
    const mcp = await gateway.handle(new Request(BASE, { method: 'POST', headers: { ...HOST, 'x-test-source': '203.0.113.7', authorization: 'Bearer pqg_x' }, body: '{}' }), 'inventory');
    expect(mcp.status).toBe(403);
    expect(events).toEqual([]); // refused before any work: no handshake ran, no token was looked up
    const session = await connect(`${BASE}/pq`, ID, { trustedGatewayKeys: trusted, fetch: fetchFrom('198.51.100.5') });
    expect(session.info().suite).toBe('hybrid-xwing-mldsa65');
    expect(events.filter((e) => e.type === 'downgrade')).toEqual([]);
    await gateway.close();
  });
});
