/**
 * Channel messages (docs/protocol.md §4): parsers check every field's length and range before
 * any cryptography runs; encoders produce the exact bytes the transcript covers.
 */
import { getSuiteById, type Suite } from '../../crypto';
import { HASH_LENGTHS, KEM_LENGTHS, SIGNATURE_LENGTHS } from '../../crypto/common';
import { GatewayError } from '../../errors';
import { Reader, Writer } from './codec';

/** The only protocol version this implementation speaks. */
export const PROTOCOL_VERSION = 1;

/** Size limits, checked before anything else is done with a body. */
export const LIMITS = Object.freeze({
  body: 1_200_000,
  offers: 8,
  kemPublicKey: 4096,
  cookie: 512,
  ticket: 512,
  sealedFinish: 8192,
  route: 255,
  payload: 1_048_576,
  clientHello: 16_384,
});

/** Message type codes (the second byte of every message). */
export const MessageType = Object.freeze({
  clientHello: 1,
  serverHello: 2,
  handshakeResponse: 3,
  clientFinish: 4,
  recordRequest: 5,
  recordResponse: 6,
  clientAlert: 7,
} as const);

/** Length of nonces, key ids and session ids. */
export const NONCE_LENGTH = 32;
/** Length of key ids (SHA-256 fingerprints). */
export const KEY_ID_LENGTH = 32;
/** Length of session ids. */
export const SESSION_ID_LENGTH = 16;

/** One suite offer: the suite code point and the client's KEM public key for it. */
export interface Offer {
  readonly suiteId: number;
  readonly kemPublicKey: Uint8Array;
}
/** First flight of the client (§4.1). */
export interface ClientHello {
  readonly type: 1;
  readonly clientNonce: Uint8Array;
  readonly minSuiteId: number;
  readonly offers: readonly Offer[];
}
/** The gateway's answer (§4.2); `suite` is resolved from the registry while parsing. */
export interface ServerHello {
  readonly type: 2;
  readonly serverNonce: Uint8Array;
  readonly suite: Suite;
  readonly echoMinSuiteId: number;
  readonly echoOfferIds: readonly number[];
  readonly kemCipherText: Uint8Array;
  readonly gatewayKeyId: Uint8Array;
  readonly policyEpoch: number;
  readonly signature: Uint8Array;
  readonly finished: Uint8Array;
}
/** Body of the /handshake answer: the ServerHello and the sealed cookie (§4.3). */
export interface HandshakeResponse {
  readonly type: 3;
  readonly serverHello: Uint8Array;
  readonly cookie: Uint8Array;
}
/** A protected application record. The route and header fields are bound as AEAD AAD. */
export interface RecordBody {
  readonly sessionId: Uint8Array;
  readonly seq: number;
  readonly route: string;
  readonly ciphertext: Uint8Array;
}
/** First /record request: cookie, sealed Finish and the first record (§4.5). */
export interface ClientFinish {
  readonly type: 4;
  readonly cookie: Uint8Array;
  readonly sealedFinish: Uint8Array;
  readonly record: RecordBody;
}
/** Later /record requests: ticket and record (§4.6). */
export interface RecordRequest {
  readonly type: 5;
  readonly ticket: Uint8Array;
  readonly record: RecordBody;
}
/** What a RecordResponse carries (§4.7): the handler's reply, or the gateway's refusal of the record. */
export const ReplyStatus = Object.freeze({ reply: 0, refusal: 1 } as const);
/** Length of the random salt of every server-to-client record. */
export const REPLY_SALT_LENGTH = 16;
/** Every /record answer (§4.7). */
export interface RecordResponse {
  readonly type: 6;
  /** Empty except on the response that establishes a session. */
  readonly ticket: Uint8Array;
  readonly ticketLifetimeSeconds: number;
  /** Bound into the record's key: flipping it makes the record fail authentication. */
  readonly status: (typeof ReplyStatus)[keyof typeof ReplyStatus];
  /** Fresh per answer: the record's key is derived from it, so no two answers share key and nonce. */
  readonly replySalt: Uint8Array;
  readonly record: RecordBody;
}
/** Downgrade report signed by the client identity (§4.8). */
export interface ClientAlert {
  readonly type: 7;
  readonly cookie: Uint8Array;
  readonly alert: 1;
  readonly clientHello: Uint8Array;
  readonly identityKeyId: Uint8Array;
  readonly signature: Uint8Array;
}
/** Plaintext of ClientFinish.sealedFinish. */
export interface FinishPlaintext {
  readonly identityKeyId: Uint8Array;
  readonly signature: Uint8Array;
  readonly finished: Uint8Array;
}
/** Any message the gateway endpoints accept on /record. */
export type RecordEndpointMessage = ClientFinish | RecordRequest | ClientAlert;

function header(r: Reader, expected: readonly number[]): number {
  const version = r.u8('version');
  if (version !== PROTOCOL_VERSION) throw new GatewayError('unsupported_version', `protocol version ${version} is not supported (expected ${PROTOCOL_VERSION})`);
  const type = r.u8('type');
  if (!expected.includes(type)) throw new GatewayError('malformed_message', `unexpected message type ${type}`);
  return type;
}

/** Opens a bounded reader over a body (exported for the sealed-state formats). */
export function start(bytes: Uint8Array, what: string, max: number = LIMITS.body): Reader {
  if (!(bytes instanceof Uint8Array)) throw new GatewayError('malformed_message', `${what}: body must be bytes`);
  if (bytes.length > max) throw new GatewayError('message_too_large', `${what} is ${bytes.length} bytes, limit ${max}`);
  return new Reader(bytes, what);
}

/** A suite code that must be known here. */
export function knownSuite(id: number, what: string): Suite {
  const s = getSuiteById(id);
  if (!s) throw new GatewayError('malformed_message', `${what}: unknown suite id 0x${id.toString(16)}`);
  return s;
}

function readRecord(r: Reader): RecordBody {
  const sessionId = r.bytes(SESSION_ID_LENGTH, 'session id');
  const seq = r.u64('sequence number');
  const routeBytes = r.vec(1, 1, LIMITS.route, 'route');
  // Routes are printable ASCII so that what is authenticated is what is logged.
  for (const b of routeBytes) if (b < 0x21 || b > 0x7e) throw new GatewayError('malformed_message', 'route must be printable ASCII');
  const ciphertext = r.vec(4, 16, LIMITS.payload + 16, 'record ciphertext');
  return { sessionId, seq, route: String.fromCharCode(...routeBytes), ciphertext };
}

function writeRecord(w: Writer, rec: RecordBody): Writer {
  const route = new TextEncoder().encode(rec.route);
  return w.bytes(rec.sessionId, SESSION_ID_LENGTH).u64(rec.seq).vec(1, route).vec(4, rec.ciphertext);
}

const head = (type: number) => new Writer().u8(PROTOCOL_VERSION).u8(type);

/** Parses a ClientHello. Offers for unknown suites are kept (and later ignored); known ones are length-checked. */
export function parseClientHello(bytes: Uint8Array): ClientHello {
  const r = start(bytes, 'ClientHello', LIMITS.clientHello);
  header(r, [MessageType.clientHello]);
  const clientNonce = r.bytes(NONCE_LENGTH, 'client nonce');
  const minSuiteId = r.u16('minimum suite');
  const count = r.u8('offer count');
  if (count < 1 || count > LIMITS.offers) throw new GatewayError('malformed_message', `ClientHello: ${count} offers, expected 1..${LIMITS.offers}`);
  const offers: Offer[] = [];
  for (let i = 0; i < count; i++) {
    const suiteId = r.u16('offered suite');
    const kemPublicKey = r.vec(2, 1, LIMITS.kemPublicKey, 'KEM public key');
    const suite = getSuiteById(suiteId);
    if (suite && kemPublicKey.length !== KEM_LENGTHS[suite.kem].publicKey) {
      throw new GatewayError('malformed_message', `ClientHello: KEM public key for ${suite.name} has the wrong length`);
    }
    if (offers.some((o) => o.suiteId === suiteId)) throw new GatewayError('malformed_message', 'ClientHello: duplicate suite offer');
    offers.push({ suiteId, kemPublicKey });
  }
  r.end();
  return { type: 1, clientNonce, minSuiteId, offers };
}

/** Encodes a ClientHello. */
export function encodeClientHello(m: Omit<ClientHello, 'type'>): Uint8Array {
  const w = head(MessageType.clientHello).bytes(m.clientNonce, NONCE_LENGTH).u16(m.minSuiteId).u8(m.offers.length);
  for (const o of m.offers) w.u16(o.suiteId).vec(2, o.kemPublicKey);
  return w.finish();
}

/** Field lengths of a ServerHello for `suite`, used to split it at the signature and finished. */
export function serverHelloLayout(suite: Suite): { signature: number; finished: number } {
  return { signature: SIGNATURE_LENGTHS[suite.signature].signature, finished: HASH_LENGTHS[suite.hash] };
}

/** Parses a ServerHello; every length is checked against the chosen suite. */
export function parseServerHello(bytes: Uint8Array): ServerHello {
  const r = start(bytes, 'ServerHello', LIMITS.clientHello);
  header(r, [MessageType.serverHello]);
  const serverNonce = r.bytes(NONCE_LENGTH, 'server nonce');
  const suite = knownSuite(r.u16('suite'), 'ServerHello');
  const echoMinSuiteId = r.u16('echoed minimum');
  const n = r.u8('echoed offer count');
  if (n < 1 || n > LIMITS.offers) throw new GatewayError('malformed_message', 'ServerHello: bad echoed offer count');
  const echoOfferIds: number[] = [];
  for (let i = 0; i < n; i++) echoOfferIds.push(r.u16('echoed offer'));
  const ctLen = KEM_LENGTHS[suite.kem].cipherText;
  const kemCipherText = r.vec(2, ctLen, ctLen, 'KEM ciphertext');
  const gatewayKeyId = r.bytes(KEY_ID_LENGTH, 'gateway key id');
  const policyEpoch = r.u32('policy epoch');
  const L = serverHelloLayout(suite);
  const signature = r.vec(2, L.signature, L.signature, 'server signature');
  const finished = r.bytes(L.finished, 'server finished');
  r.end();
  return { type: 2, serverNonce, suite, echoMinSuiteId, echoOfferIds, kemCipherText, gatewayKeyId, policyEpoch, signature, finished };
}

/** Encodes a ServerHello; pass empty signature/finished to get the prefix that is signed. */
export function encodeServerHello(m: Omit<ServerHello, 'type'>): Uint8Array {
  const w = head(MessageType.serverHello).bytes(m.serverNonce, NONCE_LENGTH).u16(m.suite.id).u16(m.echoMinSuiteId).u8(m.echoOfferIds.length);
  for (const id of m.echoOfferIds) w.u16(id);
  w.vec(2, m.kemCipherText).bytes(m.gatewayKeyId, KEY_ID_LENGTH).u32(m.policyEpoch);
  if (m.signature.length) w.vec(2, m.signature);
  return w.bytes(m.finished).finish();
}

/** Parses the /handshake answer. */
export function parseHandshakeResponse(bytes: Uint8Array): HandshakeResponse {
  const r = start(bytes, 'HandshakeResponse');
  header(r, [MessageType.handshakeResponse]);
  const serverHello = r.vec(2, 1, LIMITS.clientHello, 'ServerHello');
  const cookie = r.vec(2, 1, LIMITS.cookie, 'cookie');
  r.end();
  return { type: 3, serverHello, cookie };
}

/** Encodes the /handshake answer. */
export function encodeHandshakeResponse(m: Omit<HandshakeResponse, 'type'>): Uint8Array {
  return head(MessageType.handshakeResponse).vec(2, m.serverHello).vec(2, m.cookie).finish();
}

/** Parses any message accepted on the /record endpoint. */
export function parseRecordEndpointMessage(bytes: Uint8Array): RecordEndpointMessage {
  const r = start(bytes, 'record message');
  const type = header(r, [MessageType.clientFinish, MessageType.recordRequest, MessageType.clientAlert]);
  if (type === MessageType.clientFinish) {
    const cookie = r.vec(2, 1, LIMITS.cookie, 'cookie');
    const sealedFinish = r.vec(2, 16, LIMITS.sealedFinish, 'sealed finish');
    const record = readRecord(r);
    r.end();
    return { type: 4, cookie, sealedFinish, record };
  }
  if (type === MessageType.recordRequest) {
    const ticket = r.vec(2, 1, LIMITS.ticket, 'ticket');
    const record = readRecord(r);
    r.end();
    return { type: 5, ticket, record };
  }
  const cookie = r.vec(2, 1, LIMITS.cookie, 'cookie');
  const alert = r.u8('alert');
  if (alert !== 1) throw new GatewayError('malformed_message', `unknown alert ${alert}`);
  const clientHello = r.vec(2, 1, LIMITS.clientHello, 'original ClientHello');
  const identityKeyId = r.bytes(KEY_ID_LENGTH, 'identity key id');
  const signature = r.vec(2, 1, 8192, 'alert signature');
  r.end();
  return { type: 7, cookie, alert: 1, clientHello, identityKeyId, signature };
}

/** Encodes a ClientFinish. */
export function encodeClientFinish(m: Omit<ClientFinish, 'type'>): Uint8Array {
  return writeRecord(head(MessageType.clientFinish).vec(2, m.cookie).vec(2, m.sealedFinish), m.record).finish();
}

/** Encodes a RecordRequest. */
export function encodeRecordRequest(m: Omit<RecordRequest, 'type'>): Uint8Array {
  return writeRecord(head(MessageType.recordRequest).vec(2, m.ticket), m.record).finish();
}

/** Encodes a ClientAlert. */
export function encodeClientAlert(m: Omit<ClientAlert, 'type'>): Uint8Array {
  return head(MessageType.clientAlert).vec(2, m.cookie).u8(m.alert).vec(2, m.clientHello).bytes(m.identityKeyId, KEY_ID_LENGTH).vec(2, m.signature).finish();
}

/** Parses a RecordResponse (client side). */
export function parseRecordResponse(bytes: Uint8Array): RecordResponse {
  const r = start(bytes, 'RecordResponse');
  header(r, [MessageType.recordResponse]);
  const ticket = r.vec(2, 0, LIMITS.ticket, 'ticket');
  const ticketLifetimeSeconds = r.u32('ticket lifetime');
  const status = r.u8('reply status');
  if (status !== ReplyStatus.reply && status !== ReplyStatus.refusal) throw new GatewayError('malformed_message', `unknown reply status ${status}`);
  const replySalt = r.bytes(REPLY_SALT_LENGTH, 'reply salt');
  const record = readRecord(r);
  r.end();
  return { type: 6, ticket, ticketLifetimeSeconds, status, replySalt, record };
}

/** Encodes a RecordResponse. */
export function encodeRecordResponse(m: Omit<RecordResponse, 'type'>): Uint8Array {
  return writeRecord(head(MessageType.recordResponse).vec(2, m.ticket).u32(m.ticketLifetimeSeconds).u8(m.status).bytes(m.replySalt, REPLY_SALT_LENGTH), m.record).finish();
}

/**
 * Parses the decrypted Finish. The identity's scheme may differ from the suite's, so the
 * signature must have the length of one of the known schemes; the MAC has the suite's hash length.
 */
export function parseFinishPlaintext(bytes: Uint8Array, suite: Suite): FinishPlaintext {
  const r = start(bytes, 'Finish', LIMITS.sealedFinish);
  const identityKeyId = r.bytes(KEY_ID_LENGTH, 'identity key id');
  const signature = r.vec(2, 1, LIMITS.sealedFinish, 'client signature');
  if (!Object.values(SIGNATURE_LENGTHS).some((l) => l.signature === signature.length)) {
    throw new GatewayError('malformed_message', 'Finish: client signature has no known length');
  }
  const finished = r.bytes(HASH_LENGTHS[suite.hash], 'client finished');
  r.end();
  return { identityKeyId, signature, finished };
}

/** Encodes the Finish plaintext; with an empty `finished` it is the prefix the client MAC covers. */
export function encodeFinishPlaintext(m: FinishPlaintext): Uint8Array {
  return new Writer().bytes(m.identityKeyId, KEY_ID_LENGTH).vec(2, m.signature).bytes(m.finished).finish();
}

/** Encodes the record header that is authenticated as AEAD additional data. */
export function recordAad(label: Uint8Array, direction: 1 | 2, rec: Omit<RecordBody, 'ciphertext'>): Uint8Array {
  const route = new TextEncoder().encode(rec.route);
  return new Writer().vec(1, label).u8(PROTOCOL_VERSION).u8(direction).bytes(rec.sessionId, SESSION_ID_LENGTH).u64(rec.seq).vec(1, route).finish();
}
