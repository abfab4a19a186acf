/** End-to-end behaviour of the channel over the Request -> Response core. */
import { describe, expect, it } from 'vitest';
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
