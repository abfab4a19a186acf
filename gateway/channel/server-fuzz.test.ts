/**
 * The gateway endpoint under fuzzing: random bodies and mutations of real messages only ever
 * produce 200 or a typed 400/401/403 JSON error, never a 500 or an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GATEWAY_ERRORS } from '../errors';
import { connect } from './client';
import { createHarness, enc, testKey, URL_BASE } from './test-harness';

const ID = testKey('Ed25519', 31);

async function capture() {
  const h = createHarness({ registered: [ID] });
  const bodies: { path: string; body: Uint8Array }[] = [];
  const f = (async (u: string, i: RequestInit) => {
    bodies.push({ path: new URL(u).pathname, body: new Uint8Array(i.body as Uint8Array) });
    return h.fetch(u, i);
  }) as typeof fetch;
  const s = await connect(URL_BASE, ID, { trustedGatewayKeys: h.trusted, fetch: f, provider: h.provider, minSuite: 'classical' });
  await s.request('tools/call', enc('one'));
  await s.request('tools/call', enc('two'));
  return { h, bodies };
}

async function check(h: Awaited<ReturnType<typeof capture>>['h'], path: string, body: Uint8Array): Promise<void> {
  const res = await h.server.handle(new Request(`https://gateway.test${path}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer> }), async (b) => b);
  if (res.status === 200) return;
  expect([400, 401, 403]).toContain(res.status);
  const j = (await res.json()) as { error: { code: string } };
  expect(Object.keys(GATEWAY_ERRORS)).toContain(j.error.code);
}

const mutated = (base: Uint8Array) =>
  fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 }), fc.boolean()).map(([at, x, cut]) => {
    const b = base.slice();
    b[at]! ^= x;
    return cut ? b.subarray(0, at + 1) : b;
  });

describe('gateway endpoint fuzzing', () => {
  it('random bodies on both endpoints', async () => {
    const { h } = await capture();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/pq/handshake', '/pq/record'), fc.uint8Array({ maxLength: 300 }), (path, body) => check(h, path, body)),
      { numRuns: 500 },
    );
  });

  it('mutated ClientHello, ClientFinish and RecordRequest bodies', async () => {
    const { h, bodies } = await capture();
    expect(bodies.map((b) => [b.path, b.body[1]])).toEqual([
      ['/pq/handshake', 1],
      ['/pq/record', 4],
      ['/pq/record', 5],
    ]);
    for (const { path, body } of bodies) {
      await fc.assert(fc.asyncProperty(mutated(body), (b) => check(h, path, b)), { numRuns: 300 });
    }
  });
});
