/** End-to-end behaviour of the channel over the Request -> Response core. */
import { describe, expect, it } from 'vitest';
import { PROVIDER_CASES } from '../crypto/test-providers';
import { connect } from './client';
import { InMemoryTicketKeyRing } from './key-ring';
import { createHarness, dec, enc, testKey, URL_BASE } from './test-harness';

describe('channel', () => {
  it('connects with the hybrid suite, round-trips requests and tells the handler who is calling', async () => {
    const id = testKey('ML-DSA-65', 1);
    const h = createHarness({ registered: [id] });
    const s = await connect(URL_BASE, id, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider, clock: () => h.time.now });
    expect(dec(await s.request('tools/call', enc('hello')))).toBe('echo:tools/call:hello');
    expect(dec(await s.request('tools/list', enc('again')))).toBe('echo:tools/list:again');
    expect(s.info().suite).toBe('hybrid-xwing-mldsa65');
    expect(h.seen[0]).toMatchObject({ suite: 'hybrid-xwing-mldsa65', quantumSafe: true, identityKeyId: Buffer.from(id.keyId).toString('hex'), route: 'tools/call' });
    expect(h.seen[1]!.sessionId).toBe(h.seen[0]!.sessionId);
    expect(s.handshakes()).toBe(1);
    expect(h.events.map((e) => e.type)).toEqual(['handshake_completed']);
  });

  for (const [alg, suite] of [
    ['Ed25519', 'classical-x25519-ed25519'],
    ['ML-DSA-87', 'cnsa2-mlkem1024-mldsa87'],
  ] as const) {
    it(`negotiates ${suite} for an ${alg} identity`, async () => {
      const id = testKey(alg, 2);
      const h = createHarness({ registered: [id] });
      const s = await connect(URL_BASE, id, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider, minSuite: 'classical' });
      expect(dec(await s.request('r', enc('x')))).toBe('echo:r:x');
      expect(s.info().suite).toBe(suite);
    });
  }

  it('refuses a bad route or an oversized body before sending anything', async () => {
    const id = testKey('ML-DSA-65', 5);
    const h = createHarness({ registered: [id] });
    const s = await connect(URL_BASE, id, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider });
    const sent = h.requests.length;
    await expect(s.request('tools/cäll', enc('x'))).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(s.request('', enc('x'))).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(s.request('r', new Uint8Array(1_048_577))).rejects.toMatchObject({ code: 'message_too_large' });
    expect(h.requests.length).toBe(sent);
  });

  it('two gateway instances sharing one key ring serve the same session', async () => {
    const id = testKey('ML-DSA-65', 3);
    const ring = new InMemoryTicketKeyRing();
    const a = createHarness({ registered: [id], keyRing: ring });
    const b = createHarness({ registered: [id], keyRing: ring });
    let n = 0;
    const alternate = ((u: string, i: RequestInit) => (n++ % 2 ? b.fetch(u, i) : a.fetch(u, i))) as typeof fetch;
    const s = await connect(URL_BASE, id, { trustedGatewayKeys: a.trusted, fetch: alternate, provider: a.provider });
    for (let i = 0; i < 4; i++) expect(dec(await s.request('r', enc(String(i))))).toBe(`echo:r:${i}`);
    expect(a.seen.length + b.seen.length).toBe(4);
    expect(a.seen.length).toBeGreaterThan(0);
    expect(b.seen.length).toBeGreaterThan(0);
    expect(new Set([...a.seen, ...b.seen].map((x) => x.sessionId)).size).toBe(1);
    expect(s.handshakes()).toBe(1);
  });
});

describe('channel server HTTP surface', () => {
  const h = createHarness();
  const post = (path: string, body: Uint8Array, headers: Record<string, string> = {}) =>
    h.server.handle(new Request(`${URL_BASE}${path}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers }), async (b) => b);

  it('answers 404 off its paths and 405 to other methods', async () => {
    expect((await post('/other', new Uint8Array(1))).status).toBe(404);
    expect((await h.server.handle(new Request(`${URL_BASE}/handshake`), async (b) => b)).status).toBe(405);
  });

  it('maps errors to a status and a JSON body with a stable code and advice', async () => {
    const res = await post('/handshake', Uint8Array.of(1, 1, 0));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    const j = (await res.json()) as { error: { code: string; message: string } };
    expect(j.error.code).toBe('malformed_message');
    expect(j.error.message).toMatch(/truncated at client nonce/);
  });

  it('tags the events of a request with the source its caller names, and only then', async () => {
    const g = createHarness();
    const bad = () => new Request(`${URL_BASE}/handshake`, { method: 'POST', body: Uint8Array.of(1, 1, 0) });
    await g.server.handle(bad(), async (b) => b, { source: '203.0.113.9' });
    await g.server.handle(bad(), async (b) => b);
    expect(g.events.map((e) => [e.type, e.source])).toEqual([
      ['handshake_failed', '203.0.113.9'],
      ['handshake_failed', undefined],
    ]);
    expect('source' in g.events[1]!).toBe(false);
  });

  it('refuses an oversized body from its declared length before reading it', async () => {
    const res = await post('/record', new Uint8Array(10), { 'content-length': String(5_000_000) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('message_too_large');
  });

  it('hides the message of a handler failure that is not a GatewayError', async () => {
    const id = testKey('ML-DSA-65', 4);
    const g = createHarness({ registered: [id] });
    const f = ((u: string, i: RequestInit) =>
      g.server.handle(new Request(u, i), async () => {
        throw new Error('database password is hunter2');
      })) as typeof fetch;
    const s = await connect(URL_BASE, id, { trustedGatewayKeys: g.trusted, fetch: f, provider: g.provider });
    const err = await s.request('r', enc('x')).catch((e: unknown) => e as Error);
    expect(String(err)).not.toMatch(/hunter2/);
    expect(err).toMatchObject({ code: 'internal_error' });
  });
});

describe.skipIf(PROVIDER_CASES[1]!.skip)(PROVIDER_CASES[1]!.skip ? `mixed providers (skipped: ${PROVIDER_CASES[1]!.skip})` : 'mixed providers', () => {
  for (const [client, gateway] of [
    ['noble', 'native'],
    ['native', 'noble'],
  ] as const) {
    it(`a ${client} client and a ${gateway} gateway complete every suite`, async () => {
      const cp = PROVIDER_CASES.find((c) => c.name === client)!.get();
      const gp = PROVIDER_CASES.find((c) => c.name === gateway)!.get();
      for (const alg of ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'] as const) {
        const id = testKey(alg, 6, cp);
        const h = createHarness({ registered: [id], provider: gp });
        const s = await connect(URL_BASE, id, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: cp, minSuite: 'classical' });
        expect(dec(await s.request('r', enc(alg)))).toBe(`echo:r:${alg}`);
        expect(dec(await s.request('r', enc('again')))).toBe('echo:r:again');
      }
    });
  }
});
