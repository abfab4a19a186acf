/**
 * Negative tests: every field of every message tampered in transit fails with the right code;
 * downgrade attempts fail on both ends with a `downgrade` event; replays, unknown or wrong
 * identities, expired tickets and key-ring rotation behave as specified.
 */
import { describe, expect, it } from 'vitest';
import { getSuite } from '../crypto';
import { GatewayError, type GatewayErrorCode } from '../errors';
import { connect, type ConnectOptions } from './client';
import { createClientHello, processServerHello, respondToClientHello, verifyClientFinish, openClientFinish, createClientFinish } from './handshake';
import { loadKeyPair, type KeyPair } from './identity';
import { InMemoryTicketKeyRing } from './key-ring';
import { createHarness, dec, enc, testKey, URL_BASE, type HarnessOptions } from './test-harness';
import * as wire from './wire';

const flip = (b: Uint8Array, i = 0) => {
  const c = b.slice();
  c[i]! ^= 1;
  return c;
};
const ID65 = testKey('ML-DSA-65', 21);
const ID87 = testKey('ML-DSA-87', 22);

/** The error's code; for `outcome_unknown`, also the code of the answer that made it unknown. */
async function codeOf(p: Promise<unknown>): Promise<GatewayErrorCode | `outcome_unknown:${GatewayErrorCode}` | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    if (e.code === 'outcome_unknown' && e.cause instanceof GatewayError) return `outcome_unknown:${e.cause.code}`;
    return e.code;
  }
}

/** Connects and sends one request through a harness configured with `opts`. */
function run(opts: HarnessOptions, identity: KeyPair = ID65, extra: Partial<ConnectOptions> = {}) {
  const h = createHarness({ registered: [ID65, ID87], ...opts });
  const go = async () => {
    const s = await connect(URL_BASE, identity, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider, ...extra });
    return dec(await s.request('tools/call', enc('x')));
  };
  return { h, go };
}

/** Rewrites one message type on one endpoint. */
const onPath = (path: string, f: (b: Uint8Array) => Uint8Array) => (p: string, b: Uint8Array) => (p.endsWith(path) ? f(b) : b);
const onType = (type: number, f: (b: Uint8Array) => Uint8Array) => (p: string, b: Uint8Array) => (b[1] === type ? f(b) : b);

const ch = (f: (m: wire.ClientHello) => wire.ClientHello) => onPath('/handshake', (b) => wire.encodeClientHello(f(wire.parseClientHello(b))));
const sh = (f: (m: wire.ServerHello) => Partial<wire.ServerHello>) =>
  onPath('/handshake', (b) => {
    const r = wire.parseHandshakeResponse(b);
    const m = wire.parseServerHello(r.serverHello);
    return wire.encodeHandshakeResponse({ serverHello: wire.encodeServerHello({ ...m, ...f(m) }), cookie: r.cookie });
  });
const cf = (f: (m: wire.ClientFinish) => Partial<wire.ClientFinish>) =>
  onType(wire.MessageType.clientFinish, (b) => {
    const m = wire.parseRecordEndpointMessage(b) as wire.ClientFinish;
    return wire.encodeClientFinish({ ...m, ...f(m) });
  });
const rec = (f: (r: wire.RecordBody) => Partial<wire.RecordBody>) => (m: wire.ClientFinish) => ({ record: { ...m.record, ...f(m.record) } });

describe('tampering with each field fails the handshake with the right code', () => {
  // A failure after the first record left the client is `outcome_unknown` for a request that is
  // not idempotent: the client cannot tell whether a copy of it ran, so it does not send it again.
  const cases: [string, HarnessOptions, Awaited<ReturnType<typeof codeOf>>][] = [
    ['ClientHello.version', { tamper: onPath('/handshake', (b) => Uint8Array.of(9, ...b.subarray(1))) }, 'unsupported_version'],
    ['ClientHello.type', { tamper: onPath('/handshake', (b) => Uint8Array.of(b[0]!, 5, ...b.subarray(2))) }, 'malformed_message'],
    ['ClientHello.clientNonce', { tamper: ch((m) => ({ ...m, clientNonce: flip(m.clientNonce) })) }, 'bad_signature'],
    ['ClientHello.minSuite', { tamper: ch((m) => ({ ...m, minSuiteId: 1 })) }, 'downgrade_detected'],
    ['ClientHello.offer count', { tamper: onPath('/handshake', (b) => flip(b, 36)) }, 'malformed_message'],
    ['ClientHello.offer suite id', { tamper: ch((m) => ({ ...m, offers: [{ ...m.offers[0]!, suiteId: 0x99 }] })) }, 'no_common_suite'],
    ['ClientHello.KEM public key', { tamper: ch((m) => ({ ...m, offers: [{ ...m.offers[0]!, kemPublicKey: flip(m.offers[0]!.kemPublicKey, 1200) }] })) }, 'bad_signature'],
    ['ServerHello.version', { tamperResponse: onPath('/handshake', (b) => { const r = wire.parseHandshakeResponse(b); return wire.encodeHandshakeResponse({ ...r, serverHello: Uint8Array.of(2, ...r.serverHello.subarray(1)) }); }) }, 'unsupported_version'],
    ['ServerHello.serverNonce', { tamperResponse: sh((m) => ({ serverNonce: flip(m.serverNonce) })) }, 'bad_signature'],
    ['ServerHello.suite', { tamperResponse: sh(() => ({ suite: getSuite('high') })) }, 'malformed_message'],
    ['ServerHello.echoed minimum', { tamperResponse: sh(() => ({ echoMinSuiteId: 1 })) }, 'bad_signature'],
    ['ServerHello.echoed offers', { tamperResponse: sh(() => ({ echoOfferIds: [2, 3] })) }, 'bad_signature'],
    ['ServerHello.KEM ciphertext', { tamperResponse: sh((m) => ({ kemCipherText: flip(m.kemCipherText, 1100) })) }, 'bad_signature'],
    ['ServerHello.gateway key id', { tamperResponse: sh((m) => ({ gatewayKeyId: flip(m.gatewayKeyId) })) }, 'untrusted_gateway_key'],
    ['ServerHello.policy epoch', { tamperResponse: sh((m) => ({ policyEpoch: m.policyEpoch + 1 })) }, 'bad_signature'],
    ['ServerHello.signature', { tamperResponse: sh((m) => ({ signature: flip(m.signature, 100) })) }, 'bad_signature'],
    ['ServerHello.finished', { tamperResponse: sh((m) => ({ finished: flip(m.finished) })) }, 'bad_finished'],
    ['HandshakeResponse.cookie', { tamperResponse: onPath('/handshake', (b) => { const r = wire.parseHandshakeResponse(b); return wire.encodeHandshakeResponse({ ...r, cookie: flip(r.cookie, 30) }); }) }, 'outcome_unknown:cookie_invalid'],
    ['ClientFinish.cookie', { tamper: cf((m) => ({ cookie: flip(m.cookie, 40) })) }, 'outcome_unknown:cookie_invalid'],
    ['ClientFinish.sealed finish', { tamper: cf((m) => ({ sealedFinish: flip(m.sealedFinish, 7) })) }, 'bad_finished'],
    ['ClientFinish.record session id', { tamper: cf(rec((r) => ({ sessionId: flip(r.sessionId) }))) }, 'outcome_unknown:bad_record'],
    ['ClientFinish.record sequence', { tamper: cf(rec((r) => ({ seq: r.seq + 1 }))) }, 'outcome_unknown:bad_record'],
    ['ClientFinish.record route', { tamper: cf(rec(() => ({ route: 'tools/list' }))) }, 'outcome_unknown:bad_record'],
    ['ClientFinish.record ciphertext', { tamper: cf(rec((r) => ({ ciphertext: flip(r.ciphertext, 3) }))) }, 'outcome_unknown:bad_record'],
    ['RecordResponse.record ciphertext', { tamperResponse: onPath('/record', (b) => { const m = wire.parseRecordResponse(b); return wire.encodeRecordResponse({ ...m, record: { ...m.record, ciphertext: flip(m.record.ciphertext) } }); }) }, 'outcome_unknown:bad_record'],
    ['RecordResponse.status', { tamperResponse: onPath('/record', (b) => { const m = wire.parseRecordResponse(b); return wire.encodeRecordResponse({ ...m, status: 1 }); }) }, 'outcome_unknown:bad_record'],
    ['RecordResponse.reply salt', { tamperResponse: onPath('/record', (b) => { const m = wire.parseRecordResponse(b); return wire.encodeRecordResponse({ ...m, replySalt: flip(m.replySalt) }); }) }, 'outcome_unknown:bad_record'],
    ['RecordResponse.record sequence', { tamperResponse: onPath('/record', (b) => { const m = wire.parseRecordResponse(b); return wire.encodeRecordResponse({ ...m, record: { ...m.record, seq: 9 } }); }) }, 'outcome_unknown:bad_record'],
  ];
  for (const [field, opts, code] of cases) {
    it(`${field} -> ${code}`, async () => {
      const { go } = run(opts);
      expect(await codeOf(go())).toBe(code);
    });
  }

  it('failures in either flight raise handshake_failed on the gateway; record failures do not', async () => {
    const finishTampered = run({ tamper: cf((m) => ({ sealedFinish: flip(m.sealedFinish, 7) })) });
    await codeOf(finishTampered.go());
    expect(finishTampered.h.events.filter((e) => e.type === 'handshake_failed').map((e) => [e.code, e.detail])).toEqual([['bad_finished', 'finish']]);
    const recordTampered = run({ tamper: cf(rec((r) => ({ ciphertext: flip(r.ciphertext, 3) }))) });
    await codeOf(recordTampered.go());
    expect(recordTampered.h.events.map((e) => e.type)).toEqual(['handshake_completed', 'bad_record']);
  });

  it('the untampered control succeeds', async () => {
    expect(await run({}).go()).toBe('echo:tools/call:x');
  });
});

describe('Finish contents, checked by the gateway', () => {
  const provider = run({}).h.provider;
  const hybrid = getSuite('hybrid');
  const gw = loadKeyPair(provider, testKey('ML-DSA-65', 12, provider));
  const setup = (identity: KeyPair) => {
    const state = createClientHello(provider, [hybrid], hybrid, provider.randomBytes);
    const { serverHello, cookie } = respondToClientHello(provider, { helloBytes: state.helloBytes, gatewayKeys: [gw], suites: [hybrid], minSuite: hybrid, policyEpoch: 0, now: 0, random: provider.randomBytes });
    const result = processServerHello(provider, state, serverHello, [{ algorithm: 'ML-DSA-65', publicKey: gw.signer.publicKey }]);
    const fin = openClientFinish(provider, cookie, createClientFinish(provider, result, loadKeyPair(provider, identity)));
    return { cookie, fin };
  };
  const record = (k: KeyPair) => ({ algorithm: k.algorithm, publicKey: k.publicKey });

  it('a flipped signature is bad_signature, a flipped MAC or key id is bad_finished', () => {
    const { cookie, fin } = setup(ID65);
    expect(verifyClientFinish(provider, cookie, fin, record(ID65)).sessionId.length).toBe(16);
    expect(() => verifyClientFinish(provider, cookie, { ...fin, signature: flip(fin.signature, 50) }, record(ID65))).toThrow(expect.objectContaining({ code: 'bad_signature' }));
    expect(() => verifyClientFinish(provider, cookie, { ...fin, finished: flip(fin.finished) }, record(ID65))).toThrow(expect.objectContaining({ code: 'bad_finished' }));
    expect(() => verifyClientFinish(provider, cookie, { ...fin, identityKeyId: flip(fin.identityKeyId) }, record(ID65))).toThrow(expect.objectContaining({ code: 'bad_finished' }));
  });

  it('an identity registered with another key is bad_signature; too weak a scheme is identity_mismatch', () => {
    const { cookie, fin } = setup(ID65);
    expect(() => verifyClientFinish(provider, cookie, fin, record(testKey('ML-DSA-65', 99)))).toThrow(expect.objectContaining({ code: 'bad_signature' }));
    expect(() => verifyClientFinish(provider, cookie, fin, record(testKey('Ed25519', 99)))).toThrow(expect.objectContaining({ code: 'identity_mismatch' }));
  });

  it('the client refuses a suite below its own minimum', () => {
    const classical = getSuite('classical');
    const ed = loadKeyPair(provider, testKey('Ed25519', 11, provider));
    const state = createClientHello(provider, [classical], classical, provider.randomBytes);
    const { serverHello } = respondToClientHello(provider, { helloBytes: state.helloBytes, gatewayKeys: [ed], suites: [classical], minSuite: classical, policyEpoch: 0, now: 0, random: provider.randomBytes });
    // The client's policy minimum is stricter than what a misconfigured caller put on the wire.
    expect(() => processServerHello(provider, { ...state, minSuite: hybrid }, serverHello, [{ algorithm: 'Ed25519', publicKey: ed.signer.publicKey }])).toThrow(
      expect.objectContaining({ code: 'suite_below_minimum' }),
    );
  });
});

describe('downgrade resistance', () => {
  const strip = ch((m) => ({ ...m, offers: m.offers.slice(1) }));
  const reorder = ch((m) => ({ ...m, offers: [...m.offers].reverse() }));
  for (const [name, tamper] of [
    ['stripped', strip],
    ['reordered', reorder],
  ] as const) {
    it(`a ${name} offer fails on both ends and raises a downgrade event on both`, async () => {
      const clientEvents: string[] = [];
      const { h, go } = run({ tamper }, ID87, { minSuite: 'hybrid', events: (e) => clientEvents.push(e.type) });
      expect(await codeOf(go())).toBe('downgrade_detected');
      expect(clientEvents).toContain('downgrade');
      expect(h.events.find((e) => e.type === 'downgrade')).toMatchObject({ code: 'downgrade_detected', suite: 'hybrid-xwing-mldsa65' });
      expect(h.seen).toHaveLength(0);
    });
  }

  it('an unsigned downgrade alert is refused as bad_signature, not logged as a downgrade', async () => {
    const { h, go } = run({ tamper: (p, b) => (b[1] === wire.MessageType.clientAlert ? (() => { const m = wire.parseRecordEndpointMessage(b) as wire.ClientAlert; return wire.encodeClientAlert({ ...m, signature: flip(m.signature, 9) }); })() : strip(p, b)) }, ID87, { minSuite: 'hybrid' });
    expect(await codeOf(go())).toBe('downgrade_detected');
    expect(h.events.map((e) => e.type)).toContain('bad_signature');
    expect(h.events.map((e) => e.type)).not.toContain('downgrade');
  });

  it('a gateway whose floor is above the client offer answers no_common_suite', async () => {
    const { go } = run({ minSuite: 'high' });
    expect(await codeOf(go())).toBe('no_common_suite');
  });
});

describe('records, identities and tickets', () => {
  it('a replayed record is refused with replay and a replay event; a fresh one still works', async () => {
    const h = createHarness({ registered: [ID65] });
    const bodies: Uint8Array[] = [];
    const capture = (async (u: string, i: RequestInit) => {
      if (String(u).endsWith('/record')) bodies.push(new Uint8Array(i.body as Uint8Array));
      return h.fetch(u, i);
    }) as typeof fetch;
    const s = await connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: capture, provider: h.provider });
    await s.request('r', enc('1'));
    await s.request('r', enc('2'));
    const seen = h.seen.length;
    for (const b of bodies) {
      // The refusal is sealed under the session's keys: only the gateway could have sent it.
      const res = await h.fetch(`${URL_BASE}/record`, { method: 'POST', body: b as Uint8Array<ArrayBuffer> });
      expect(res.status).toBe(200);
      expect(wire.parseRecordResponse(new Uint8Array(await res.arrayBuffer())).status).toBe(wire.ReplyStatus.refusal);
    }
    expect(h.seen.length).toBe(seen); // nothing ran again
    expect(h.events.filter((e) => e.type === 'replay')).toHaveLength(2);
    expect(dec(await s.request('r', enc('3')))).toBe('echo:r:3');
  });

  it('an unknown identity is refused with authentication_failed (401) and an unknown_identity event', async () => {
    const stranger = testKey('ML-DSA-65', 77);
    const h = createHarness({ registered: [ID65] });
    const code = await codeOf(connect(URL_BASE, stranger, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider }).then((s) => s.request('r', enc('x'))));
    expect(code).toBe('authentication_failed');
    expect(h.requests.at(-1)!.status).toBe(401);
    expect(h.events.map((e) => e.type)).toContain('unknown_identity');
    expect(h.events.find((e) => e.type === 'handshake_failed')?.code).toBe('unknown_identity');
  });

  it('an unknown key, a wrong signature and too weak a scheme look the same on the wire; the events tell them apart', async () => {
    const signer = testKey('ML-DSA-65', 78);
    const other = testKey('ML-DSA-65', 79);
    const weakened = testKey('ML-DSA-65', 80);
    // The gateway holds `other`'s public key under `signer`'s key id: the signature cannot verify;
    // and an Ed25519 key under `weakened`'s: too weak a scheme for the hybrid suite.
    const h = createHarness({ registered: [ID65, { ...other, keyId: signer.keyId }, { ...testKey('Ed25519', 82), keyId: weakened.keyId }] });
    const answers: { status: number; body: string }[] = [];
    const watch = (async (u: string, i: RequestInit) => {
      const res = await h.fetch(u, i);
      if (String(u).endsWith('/record')) answers.push({ status: res.status, body: await res.clone().text() });
      return res;
    }) as typeof fetch;
    const attempt = (k: KeyPair, extra: Partial<ConnectOptions> = {}) => codeOf(connect(URL_BASE, k, { trustedGatewayKeys: h.trusted, fetch: watch, provider: h.provider, ...extra }).then((s) => s.request('r', enc('x'))));
    expect(await attempt(testKey('ML-DSA-65', 81))).toBe('authentication_failed');
    expect(await attempt(signer)).toBe('authentication_failed');
    expect(await attempt(weakened)).toBe('authentication_failed');
    expect(answers).toHaveLength(3);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.body).not.toMatch(/[0-9a-f]{4}:[0-9a-f]{4}/); // no key id echoed
    expect(h.events.filter((e) => e.type === 'handshake_failed').map((e) => e.code)).toEqual(['unknown_identity', 'bad_signature', 'identity_mismatch']);
  });

  it('an untrusted gateway key is refused by the client', async () => {
    const h = createHarness({ registered: [ID65] });
    const other = testKey('ML-DSA-65', 55);
    const code = await codeOf(connect(URL_BASE, ID65, { trustedGatewayKeys: [{ algorithm: 'ML-DSA-65', publicKey: other.publicKey }], fetch: h.fetch, provider: h.provider }));
    expect(code).toBe('untrusted_gateway_key');
  });

  it('an expired ticket leads to a re-handshake, whether the client or only the gateway notices', async () => {
    const h = createHarness({ registered: [ID65], ticketLifetimeSeconds: 60 });
    const clientClock = { now: h.time.now };
    const s = await connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider, clock: () => clientClock.now });
    await s.request('r', enc('1'));
    const first = s.info().sessionId;
    h.time.now += 61_000; // only the gateway's clock moves: it refuses the ticket (authenticated), unprocessed
    const seen = h.seen.length;
    expect(await codeOf(s.request('r', enc('2')))).toBe('outcome_unknown:ticket_expired');
    expect(h.seen.length).toBe(seen);
    expect(h.events.find((e) => e.type === 'ticket_refused')?.code).toBe('ticket_expired');
    // An idempotent request is sent again, under a new session.
    h.time.now += 61_000;
    expect(dec(await s.request('r', enc('2'), { idempotent: true }))).toBe('echo:r:2');
    expect(s.handshakes()).toBe(2);
    clientClock.now = h.time.now + 61_000; // now the client knows its ticket is stale
    h.time.now = clientClock.now;
    expect(dec(await s.request('r', enc('3')))).toBe('echo:r:3');
    expect(s.handshakes()).toBe(3);
    expect(s.info().sessionId).not.toBe(first);
  });

  it('a stale handshake cookie costs one new handshake', async () => {
    const h = createHarness({ registered: [ID65] });
    const s = await connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider });
    h.time.now += 31_000;
    expect(dec(await s.request('r', enc('1'), { idempotent: true }))).toBe('echo:r:1');
    expect(s.handshakes()).toBe(2);
    h.time.now += 31_000; // the session is established: a cookie no longer matters
    expect(dec(await s.request('r', enc('2')))).toBe('echo:r:2');
  });

  it('after a ticket-key rotation a live session moves to the new key; an idle one is refused once the old key retires', async () => {
    const ring = new InMemoryTicketKeyRing();
    const h = createHarness({ registered: [ID65], keyRing: ring });
    const live = await connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider });
    const idle = await connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider });
    await live.request('r', enc('1'));
    await idle.request('r', enc('1'));
    ring.rotate();
    // The answer carries the same session's ticket sealed under the new ring key.
    expect(dec(await live.request('r', enc('2')))).toBe('echo:r:2');
    ring.raiseMinimum(2);
    expect(dec(await live.request('r', enc('3')))).toBe('echo:r:3');
    expect(live.handshakes()).toBe(1);
    // The idle session still holds a v1 ticket: unauthenticated ticket_invalid, so only an idempotent request goes again.
    expect(await codeOf(idle.request('r', enc('2')))).toBe('outcome_unknown:ticket_invalid');
    expect(h.events.find((e) => e.type === 'ticket_refused')?.code).toBe('ticket_invalid');
    expect(dec(await idle.request('r', enc('3'), { idempotent: true }))).toBe('echo:r:3');
    expect(idle.handshakes()).toBe(2);
  });

  it('a renewed ticket swapped in transit is refused by the client', async () => {
    const ring = new InMemoryTicketKeyRing();
    let swap = false;
    const h = createHarness({
      registered: [ID65],
      keyRing: ring,
      tamperResponse: onPath('/record', (b) => {
        const m = wire.parseRecordResponse(b);
        return swap && m.ticket.length ? wire.encodeRecordResponse({ ...m, ticket: flip(m.ticket, 20) }) : b;
      }),
    });
    const s = await connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: h.fetch, provider: h.provider });
    await s.request('r', enc('1'));
    ring.rotate();
    swap = true;
    expect(await codeOf(s.request('r', enc('2')))).toBe('outcome_unknown:bad_record');
  });

  it('a ticket from another key ring is refused and the client recovers', async () => {
    const a = createHarness({ registered: [ID65] });
    const b = createHarness({ registered: [ID65], keyRing: new InMemoryTicketKeyRing(new Uint8Array(32).fill(1)) });
    let useB = false;
    const f = ((u: string, i: RequestInit) => (useB ? b.fetch(u, i) : a.fetch(u, i))) as typeof fetch;
    const s = await connect(URL_BASE, ID65, { trustedGatewayKeys: a.trusted, fetch: f, provider: a.provider });
    await s.request('r', enc('1'));
    useB = true;
    // Unauthenticated and unprovable: a request that is not idempotent is not sent again.
    expect(await codeOf(s.request('r', enc('2')))).toBe('outcome_unknown:ticket_invalid');
    expect(b.seen).toHaveLength(0);
    expect(s.info().suite).toBe('hybrid-xwing-mldsa65'); // the lost session is still described until the next
    expect(dec(await s.request('r', enc('3')))).toBe('echo:r:3');
    expect(dec(await s.request('r', enc('4'), { idempotent: true }))).toBe('echo:r:4');
    expect(s.handshakes()).toBe(2);
  });

  it('a redirect is not followed: the client says where it points and to connect there', async () => {
    const h = createHarness({ registered: [ID65] });
    const moved = (async () => new Response(null, { status: 308, headers: { location: 'https://gateway.example/api/mcp/x/pq/handshake' } })) as unknown as typeof fetch;
    const attempt = connect(URL_BASE, ID65, { trustedGatewayKeys: h.trusted, fetch: moved, provider: h.provider });
    await expect(attempt).rejects.toThrow(/HTTP 308, a redirect to https:\/\/gateway\.example\/api\/mcp\/x\/pq\/handshake: connect to the gateway's URL itself/);
  });
});
