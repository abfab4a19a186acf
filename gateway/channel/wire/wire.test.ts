/**
 * The wire parser under property-based fuzzing: thousands of random and mutated inputs, and
 * nothing but typed GatewayErrors (or a successful parse that re-encodes to the same bytes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getSuite, SUITES } from '../../crypto';
import { KEM_LENGTHS, SIGNATURE_LENGTHS } from '../../crypto/common';
import { GatewayError, isGatewayError } from '../../errors';
import * as wire from '.';

const PARSE_CODES = new Set(['malformed_message', 'unsupported_version', 'message_too_large', 'cookie_invalid', 'ticket_invalid']);
const fill = (n: number, v = 7) => new Uint8Array(n).fill(v);
const hybrid = getSuite('hybrid');

const record = (): wire.RecordBody => ({ sessionId: fill(16, 1), seq: 5, route: 'tools/call', ciphertext: fill(40, 2) });
const serverHello = () =>
  wire.encodeServerHello({
    serverNonce: fill(32, 3),
    suite: hybrid,
    echoMinSuiteId: 2,
    echoOfferIds: [2, 3],
    kemCipherText: fill(KEM_LENGTHS['X-Wing'].cipherText),
    gatewayKeyId: fill(32, 4),
    policyEpoch: 9,
    signature: fill(SIGNATURE_LENGTHS['ML-DSA-65'].signature, 5),
    finished: fill(48, 6),
  });

/** One valid sample per parser, with the parser and its re-encoder. */
const SAMPLES: { name: string; bytes: Uint8Array; parse: (b: Uint8Array) => unknown; encode?: (m: never) => Uint8Array }[] = [
  {
    name: 'ClientHello',
    bytes: wire.encodeClientHello({
      clientNonce: fill(32),
      minSuiteId: 2,
      offers: SUITES.map((s) => ({ suiteId: s.id, kemPublicKey: fill(KEM_LENGTHS[s.kem].publicKey) })),
    }),
    parse: wire.parseClientHello,
    encode: wire.encodeClientHello as (m: never) => Uint8Array,
  },
  { name: 'ServerHello', bytes: serverHello(), parse: wire.parseServerHello, encode: wire.encodeServerHello as (m: never) => Uint8Array },
  {
    name: 'HandshakeResponse',
    bytes: wire.encodeHandshakeResponse({ serverHello: serverHello(), cookie: fill(100) }),
    parse: wire.parseHandshakeResponse,
    encode: wire.encodeHandshakeResponse as (m: never) => Uint8Array,
  },
  {
    name: 'ClientFinish',
    bytes: wire.encodeClientFinish({ cookie: fill(100), sealedFinish: fill(200), record: record() }),
    parse: wire.parseRecordEndpointMessage,
    encode: wire.encodeClientFinish as (m: never) => Uint8Array,
  },
  {
    name: 'RecordRequest',
    bytes: wire.encodeRecordRequest({ ticket: fill(150), record: record() }),
    parse: wire.parseRecordEndpointMessage,
    encode: wire.encodeRecordRequest as (m: never) => Uint8Array,
  },
  {
    name: 'ClientAlert',
    bytes: wire.encodeClientAlert({ cookie: fill(100), alert: 1, clientHello: fill(60), identityKeyId: fill(32), signature: fill(64) }),
    parse: wire.parseRecordEndpointMessage,
    encode: wire.encodeClientAlert as (m: never) => Uint8Array,
  },
  {
    name: 'RecordResponse',
    bytes: wire.encodeRecordResponse({ ticket: new Uint8Array(0), ticketLifetimeSeconds: 0, status: 1, replySalt: fill(16), record: record() }),
    parse: wire.parseRecordResponse,
    encode: wire.encodeRecordResponse as (m: never) => Uint8Array,
  },
  {
    name: 'Finish',
    bytes: wire.encodeFinishPlaintext({ identityKeyId: fill(32), signature: fill(3309), finished: fill(48) }),
    parse: (b) => wire.parseFinishPlaintext(b, hybrid),
  },
  {
    name: 'SealedBox',
    bytes: wire.encodeSealedBox({ kind: 2, keyVersion: 3, nonce: fill(12), ciphertext: fill(120) }),
    parse: (b) => wire.parseSealedBox(b, 2),
  },
  {
    name: 'CookieState',
    bytes: wire.encodeCookieState({
      suite: hybrid,
      createdAt: 1,
      policyEpoch: 2,
      serverNonce: fill(32),
      clientHelloHash: fill(48),
      transcriptHash: fill(48),
      handshakeSecret: fill(48),
      gatewayKeyId: fill(32),
    }),
    parse: wire.parseCookieState,
  },
  {
    name: 'TicketState',
    bytes: wire.encodeTicketState({
      suite: hybrid,
      sessionId: fill(16),
      identityKeyId: fill(32),
      issuedAt: 1,
      expiresAt: 2,
      policyEpoch: 3,
      applicationSecret: fill(48),
    }),
    parse: wire.parseTicketState,
  },
];

/** Runs a parser; returns 'ok' or the error code, failing the test on any untyped error. */
function outcome(parse: (b: Uint8Array) => unknown, bytes: Uint8Array): string {
  try {
    parse(bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof GatewayError) || !PARSE_CODES.has(e.code)) throw new Error(`untyped error escaped the parser: ${String(e)}`);
    return e.code;
  }
}

/** Mutations: flip a bit, overwrite a byte, truncate, insert, or splice random bytes. */
const mutation = (len: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(len - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(len - 1), v: fc.nat(255) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(len - 1) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(len), data: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  );

function mutate(b: Uint8Array, m: { kind: string; at: number; bit?: number; v?: number; data?: Uint8Array }): Uint8Array {
  const out = b.slice();
  if (m.kind === 'flip') out[m.at]! ^= 1 << m.bit!;
  else if (m.kind === 'set') out[m.at] = m.v!;
  else if (m.kind === 'truncate') return out.subarray(0, m.at);
  else return new Uint8Array([...b.subarray(0, m.at), ...m.data!, ...b.subarray(m.at)]);
  return out;
}

describe('wire parser', () => {
  for (const s of SAMPLES) {
    it(`${s.name}: valid sample parses and re-encodes byte for byte`, () => {
      const parsed = s.parse(s.bytes);
      if (s.encode) expect(s.encode(parsed as never)).toEqual(s.bytes);
    });

    it(`${s.name}: random and mutated inputs yield only typed errors`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
          outcome(s.parse, b);
        }),
        { numRuns: 1000 },
      );
      fc.assert(
        fc.property(fc.array(mutation(s.bytes.length), { minLength: 1, maxLength: 4 }), (ms) => {
          let b = s.bytes;
          for (const m of ms) b = b.length ? mutate(b, { ...m, at: Math.min(m.at, b.length - (m.kind === 'insert' ? 0 : 1)) }) : b;
          const r = outcome(s.parse, b);
          // A surviving mutation must still round-trip: the parser never accepts what it cannot re-encode.
          if (r === 'ok' && s.encode) expect(s.encode(s.parse(b) as never)).toEqual(b);
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('refuses unknown versions with unsupported_version, oversize bodies with message_too_large', () => {
    const ch = SAMPLES[0]!.bytes.slice();
    ch[0] = 2;
    expect(outcome(wire.parseClientHello, ch)).toBe('unsupported_version');
    expect(outcome(wire.parseRecordEndpointMessage, new Uint8Array(wire.LIMITS.body + 1))).toBe('message_too_large');
  });

  it('refuses truncation at every offset and trailing bytes', () => {
    for (const s of SAMPLES) {
      for (let i = 0; i < s.bytes.length; i += Math.max(1, Math.floor(s.bytes.length / 64))) {
        expect(outcome(s.parse, s.bytes.subarray(0, i)), `${s.name} cut at ${i}`).not.toBe('ok');
      }
      expect(outcome(s.parse, new Uint8Array([...s.bytes, 0])), s.name).not.toBe('ok');
    }
  });

  it('keeps offers of unknown suites (agility) but refuses a KEM key of the wrong length for a known suite, duplicate offers and non-ASCII routes', () => {
    const future = wire.encodeClientHello({ clientNonce: fill(32), minSuiteId: 2, offers: [{ suiteId: 0x0777, kemPublicKey: fill(5) }, { suiteId: 2, kemPublicKey: fill(1216) }] });
    expect(wire.parseClientHello(future).offers.map((o) => o.suiteId)).toEqual([0x0777, 2]);
    const bad = wire.encodeClientHello({ clientNonce: fill(32), minSuiteId: 2, offers: [{ suiteId: 2, kemPublicKey: fill(100) }] });
    expect(() => wire.parseClientHello(bad)).toThrow(/wrong length/);
    const dup = wire.encodeClientHello({ clientNonce: fill(32), minSuiteId: 2, offers: [{ suiteId: 9, kemPublicKey: fill(3) }, { suiteId: 9, kemPublicKey: fill(3) }] });
    expect(() => wire.parseClientHello(dup)).toThrow(/duplicate/);
    const rr = wire.encodeRecordRequest({ ticket: fill(10), record: { ...record(), route: 'tools/cäll' } });
    expect(isGatewayError((() => { try { wire.parseRecordEndpointMessage(rr); } catch (e) { return e; } })(), 'malformed_message')).toBe(true);
  });
});
