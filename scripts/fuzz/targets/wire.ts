/**
 * The channel's wire parser (gateway/channel/wire): every message, cookie and ticket parser, fed
 * mutated valid messages of every kind (and each other's), plus random bytes. The module's own
 * error is a GatewayError; a parse that succeeds must re-encode to the very bytes it was given.
 */
import { getSuite, SUITES } from '../../../gateway/crypto';
import { KEM_LENGTHS, SIGNATURE_LENGTHS } from '../../../gateway/crypto/common';
import { GatewayError } from '../../../gateway/errors';
import * as wire from '../../../gateway/channel/wire';
import { mutateBytes, type Rng } from '../mutate';
import { InvariantBroken, outcomeOf, type FuzzTarget } from '../target';

const fill = (n: number, v = 7) => new Uint8Array(n).fill(v);
const hybrid = getSuite('hybrid');
const record = (route = 'mcp', n = 40): wire.RecordBody => ({ sessionId: fill(16, 1), seq: 5, route, ciphertext: fill(n, 2) });

const serverHello = (suite = hybrid) =>
  wire.encodeServerHello({
    serverNonce: fill(32, 3),
    suite,
    echoMinSuiteId: 2,
    echoOfferIds: SUITES.map((s) => s.id),
    kemCipherText: fill(KEM_LENGTHS[suite.kem].cipherText),
    gatewayKeyId: fill(32, 4),
    policyEpoch: 9,
    signature: fill(SIGNATURE_LENGTHS[suite.signature].signature, 5),
    finished: fill(wire.serverHelloLayout(suite).finished, 6),
  });

type Parser = { readonly name: string; readonly parse: (b: Uint8Array) => unknown; readonly encode?: (m: never) => Uint8Array; readonly seeds: readonly Uint8Array[] };

const enc = <T>(f: (m: T) => Uint8Array) => f as unknown as (m: never) => Uint8Array;

const PARSERS: readonly Parser[] = [
  {
    name: 'ClientHello',
    parse: wire.parseClientHello,
    encode: enc(wire.encodeClientHello),
    seeds: [
      wire.encodeClientHello({ clientNonce: fill(32), minSuiteId: 2, offers: SUITES.map((s) => ({ suiteId: s.id, kemPublicKey: fill(KEM_LENGTHS[s.kem].publicKey) })) }),
      wire.encodeClientHello({ clientNonce: fill(32), minSuiteId: 1, offers: [{ suiteId: 0x7777, kemPublicKey: fill(3) }] }),
    ],
  },
  { name: 'ServerHello', parse: wire.parseServerHello, encode: enc(wire.encodeServerHello), seeds: SUITES.map((s) => serverHello(s)) },
  { name: 'HandshakeResponse', parse: wire.parseHandshakeResponse, encode: enc(wire.encodeHandshakeResponse), seeds: [wire.encodeHandshakeResponse({ serverHello: serverHello(), cookie: fill(100) })] },
  {
    name: 'RecordEndpoint',
    parse: wire.parseRecordEndpointMessage,
    seeds: [
      wire.encodeClientFinish({ cookie: fill(100), sealedFinish: fill(200), record: record() }),
      wire.encodeRecordRequest({ ticket: fill(150), record: record('mcp-poll', 16) }),
      wire.encodeClientAlert({ cookie: fill(100), alert: 1, clientHello: fill(60), identityKeyId: fill(32), signature: fill(64) }),
    ],
  },
  {
    name: 'RecordResponse',
    parse: wire.parseRecordResponse,
    encode: enc(wire.encodeRecordResponse),
    seeds: [
      wire.encodeRecordResponse({ ticket: fill(150), ticketLifetimeSeconds: 3600, status: wire.ReplyStatus.reply, replySalt: fill(wire.REPLY_SALT_LENGTH, 8), record: record() }),
      wire.encodeRecordResponse({ ticket: new Uint8Array(0), ticketLifetimeSeconds: 0, status: wire.ReplyStatus.refusal, replySalt: fill(wire.REPLY_SALT_LENGTH, 9), record: record() }),
    ],
  },
  { name: 'Finish', parse: (b) => wire.parseFinishPlaintext(b, hybrid), seeds: [wire.encodeFinishPlaintext({ identityKeyId: fill(32), signature: fill(SIGNATURE_LENGTHS['ML-DSA-65'].signature), finished: fill(48) })] },
  { name: 'SealedCookie', parse: (b) => wire.parseSealedBox(b, 1), seeds: [wire.encodeSealedBox({ kind: 1, keyVersion: 3, nonce: fill(12), ciphertext: fill(200) })] },
  { name: 'SealedTicket', parse: (b) => wire.parseSealedBox(b, 2), seeds: [wire.encodeSealedBox({ kind: 2, keyVersion: 3, nonce: fill(12), ciphertext: fill(120) })] },
  {
    name: 'CookieState',
    parse: wire.parseCookieState,
    seeds: [wire.encodeCookieState({ suite: hybrid, createdAt: 1, policyEpoch: 2, serverNonce: fill(32), clientHelloHash: fill(48), transcriptHash: fill(48), handshakeSecret: fill(48), gatewayKeyId: fill(32) })],
  },
  {
    name: 'TicketState',
    parse: wire.parseTicketState,
    seeds: [wire.encodeTicketState({ suite: hybrid, sessionId: fill(16), identityKeyId: fill(32), issuedAt: 1, expiresAt: 2, policyEpoch: 3, applicationSecret: fill(48) })],
  },
];
const BY_NAME = new Map(PARSERS.map((p) => [p.name, p]));
const ALL_SEEDS = PARSERS.flatMap((p) => p.seeds);

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export const wireTarget: FuzzTarget = {
  name: 'channel wire',
  count: 700_000,
  sliceCount: 5_000,
  input(rng: Rng) {
    const parser = rng.pick(PARSERS);
    // Mostly its own messages, sometimes another parser's, sometimes noise.
    const roll = rng.below(20);
    let bytes = roll === 0 ? rng.bytes(rng.below(600)) : roll === 1 ? rng.pick(ALL_SEEDS) : rng.pick(parser.seeds);
    for (let k = 1 + rng.below(3); k > 0; k--) bytes = mutateBytes(bytes, rng, ALL_SEEDS);
    return { variant: parser.name, bytes };
  },
  run({ variant, bytes }) {
    const parser = BY_NAME.get(variant)!;
    let parsed: unknown;
    try {
      parsed = parser.parse(bytes);
    } catch (e) {
      if (e instanceof GatewayError) return outcomeOf(e.code, e.message);
      throw e;
    }
    if (parser.encode) {
      const { type: _type, ...fields } = parsed as { type: number };
      if (!same(parser.encode(fields as never), bytes)) throw new InvariantBroken(`${variant}: a parsed message does not re-encode to its bytes`);
    }
    return 'ok';
  },
};
