/**
 * Sealed-state formats (docs/protocol.md §6): the sealed box that carries cookies and tickets,
 * and the cookie and ticket plaintexts, parsed after the box opens.
 */
import type { Suite } from '../../crypto';
import { HASH_LENGTHS } from '../../crypto/common';
import { GatewayError } from '../../errors';
import { Reader, Writer } from './codec';
import { KEY_ID_LENGTH, knownSuite, LIMITS, NONCE_LENGTH, SESSION_ID_LENGTH, start } from './messages';

/** Sealed state (cookie or ticket): which kind, the ring key version, AEAD nonce and ciphertext. */
export interface SealedBox {
  readonly kind: 1 | 2;
  readonly keyVersion: number;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
}
/** Sealed-box kinds. */
export const SealedKind = Object.freeze({ cookie: 1, ticket: 2 } as const);

/** Parses a sealed box of the expected kind; another kind is `cookie_invalid` / `ticket_invalid`. */
export function parseSealedBox(bytes: Uint8Array, kind: 1 | 2): SealedBox {
  const what = kind === 1 ? 'cookie' : 'ticket';
  const r = start(bytes, what, kind === 1 ? LIMITS.cookie : LIMITS.ticket);
  const k = r.u8('kind');
  if (k !== kind) throw new GatewayError(kind === 1 ? 'cookie_invalid' : 'ticket_invalid', `not a ${what}`);
  const keyVersion = r.u32('key version');
  const nonce = r.bytes(12, 'nonce');
  const ciphertext = r.vec(2, 16, 400, 'sealed state');
  r.end();
  return { kind, keyVersion, nonce, ciphertext };
}

/** Encodes a sealed box. */
export function encodeSealedBox(b: SealedBox): Uint8Array {
  return new Writer().u8(b.kind).u32(b.keyVersion).bytes(b.nonce, 12).vec(2, b.ciphertext).finish();
}

/** What the gateway remembers between ServerHello and ClientFinish, inside the cookie. */
export interface CookieState {
  readonly suite: Suite;
  readonly createdAt: number;
  readonly policyEpoch: number;
  readonly serverNonce: Uint8Array;
  /** Hash of the ClientHello as the gateway received it (downgrade reports compare against it). */
  readonly clientHelloHash: Uint8Array;
  /** Transcript hash through the whole ServerHello. */
  readonly transcriptHash: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  readonly gatewayKeyId: Uint8Array;
}

/** Parses an opened cookie. */
export function parseCookieState(bytes: Uint8Array): CookieState {
  const r = new Reader(bytes, 'cookie state');
  const suite = knownSuite(r.u16('suite'), 'cookie');
  const h = HASH_LENGTHS[suite.hash];
  const s: CookieState = {
    suite,
    createdAt: r.u64('created at'),
    policyEpoch: r.u32('policy epoch'),
    serverNonce: r.bytes(NONCE_LENGTH, 'server nonce'),
    clientHelloHash: r.bytes(h, 'ClientHello hash'),
    transcriptHash: r.bytes(h, 'transcript hash'),
    handshakeSecret: r.bytes(h, 'handshake secret'),
    gatewayKeyId: r.bytes(KEY_ID_LENGTH, 'gateway key id'),
  };
  r.end();
  return s;
}

/** Encodes cookie state for sealing. */
export function encodeCookieState(s: CookieState): Uint8Array {
  const h = HASH_LENGTHS[s.suite.hash];
  return new Writer()
    .u16(s.suite.id)
    .u64(s.createdAt)
    .u32(s.policyEpoch)
    .bytes(s.serverNonce, NONCE_LENGTH)
    .bytes(s.clientHelloHash, h)
    .bytes(s.transcriptHash, h)
    .bytes(s.handshakeSecret, h)
    .bytes(s.gatewayKeyId, KEY_ID_LENGTH)
    .finish();
}

/** An established session, inside the ticket. */
export interface TicketState {
  readonly suite: Suite;
  readonly sessionId: Uint8Array;
  readonly identityKeyId: Uint8Array;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly policyEpoch: number;
  readonly applicationSecret: Uint8Array;
}

/** Parses an opened ticket. */
export function parseTicketState(bytes: Uint8Array): TicketState {
  const r = new Reader(bytes, 'ticket state');
  const suite = knownSuite(r.u16('suite'), 'ticket');
  const s: TicketState = {
    suite,
    sessionId: r.bytes(SESSION_ID_LENGTH, 'session id'),
    identityKeyId: r.bytes(KEY_ID_LENGTH, 'identity key id'),
    issuedAt: r.u64('issued at'),
    expiresAt: r.u64('expires at'),
    policyEpoch: r.u32('policy epoch'),
    applicationSecret: r.bytes(HASH_LENGTHS[suite.hash], 'application secret'),
  };
  r.end();
  return s;
}

/** Encodes ticket state for sealing. */
export function encodeTicketState(s: TicketState): Uint8Array {
  return new Writer()
    .u16(s.suite.id)
    .bytes(s.sessionId, SESSION_ID_LENGTH)
    .bytes(s.identityKeyId, KEY_ID_LENGTH)
    .u64(s.issuedAt)
    .u64(s.expiresAt)
    .u32(s.policyEpoch)
    .bytes(s.applicationSecret, HASH_LENGTHS[s.suite.hash])
    .finish();
}
