/**
 * Key schedule of the channel: HKDF (RFC 5869) over the suite's hash with a distinct label per
 * direction and purpose, in the TLS 1.3 HKDF-Expand-Label style (RFC 8446 §7.1).
 */
import { concatBytes, hkdfExpand, hkdfExtract, utf8, type CryptoProvider, type Hash, type Suite } from '../crypto';

/** Prefix of every label, so keys of this protocol can never collide with another's. */
export const LABEL_PREFIX = 'pqgate/1 ';

/** ML-DSA / Ed25519 context strings per role (FIPS 204 §5.2 ctx). */
export const SIGNATURE_CONTEXT = Object.freeze({
  server: utf8('pqgate/1 server handshake'),
  client: utf8('pqgate/1 client handshake'),
  alert: utf8('pqgate/1 client alert'),
});

/** AEAD additional-data labels. */
export const AAD_LABEL = Object.freeze({
  finish: utf8('pqgate/1 finish'),
  record: utf8('pqgate/1 record'),
  cookie: utf8('pqgate/1 cookie'),
  ticket: utf8('pqgate/1 ticket'),
});

/** Every HKDF label in use; listed once so docs/protocol.md and the KAT can name them. */
export const LABELS = Object.freeze({
  serverFinished: 's finished',
  clientFinished: 'c finished',
  clientHandshakeKey: 'c hs key',
  clientHandshakeIv: 'c hs iv',
  applicationSecret: 'app secret',
  sessionId: 'session id',
  c2sKey: 'c2s key',
  c2sIv: 'c2s iv',
  s2cKey: 's2c key',
  s2cIv: 's2c iv',
  replyKey: 'reply key',
  cookieKey: 'cookie key',
  ticketKey: 'ticket key',
});

/** HKDF-Expand-Label(secret, label, context, length) with info = u16 length || vec8(prefix+label) || vec8(context). */
export function expandLabel(hash: Hash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const l = utf8(LABEL_PREFIX + label);
  const info = concatBytes(Uint8Array.of(length >> 8, length & 0xff, l.length), l, Uint8Array.of(context.length), context);
  return hkdfExpand(hash, secret, info, length);
}

/** Everything derived from one handshake, named by purpose. */
export interface HandshakeKeys {
  readonly serverFinishedKey: Uint8Array;
  readonly clientFinishedKey: Uint8Array;
  readonly clientHandshakeKey: Uint8Array;
  readonly clientHandshakeIv: Uint8Array;
}

/** The transcript hash function of a suite. */
export function transcriptHash(provider: CryptoProvider, suite: Suite, ...parts: Uint8Array[]): Uint8Array {
  return provider.hash(suite.hash).digest(concatBytes(...parts));
}

/** handshake_secret = HKDF-Extract(salt = client_nonce || server_nonce, ikm = KEM shared secret). */
export function deriveHandshakeSecret(provider: CryptoProvider, suite: Suite, sharedSecret: Uint8Array, clientNonce: Uint8Array, serverNonce: Uint8Array): Uint8Array {
  return hkdfExtract(provider.hash(suite.hash), concatBytes(clientNonce, serverNonce), sharedSecret);
}

/** Finished MAC key of one side: depends only on the handshake secret (the MAC covers the transcript). */
export function deriveFinishedKey(provider: CryptoProvider, suite: Suite, hs: Uint8Array, side: 'server' | 'client'): Uint8Array {
  const h = provider.hash(suite.hash);
  return expandLabel(h, hs, side === 'server' ? LABELS.serverFinished : LABELS.clientFinished, new Uint8Array(0), h.outputLength);
}

/** The client's handshake AEAD key and IV (for the sealed Finish), bound to the transcript through the full ServerHello. */
export function deriveClientHandshakeKey(provider: CryptoProvider, suite: Suite, hs: Uint8Array, thServerHello: Uint8Array): { key: Uint8Array; iv: Uint8Array } {
  const h = provider.hash(suite.hash);
  return { key: expandLabel(h, hs, LABELS.clientHandshakeKey, thServerHello, 32), iv: expandLabel(h, hs, LABELS.clientHandshakeIv, thServerHello, 12) };
}

/**
 * All four handshake keys at once (the known-answer vector lists them). The hot paths derive
 * only the one they need: each label costs an HMAC.
 */
export function deriveHandshakeKeys(provider: CryptoProvider, suite: Suite, hs: Uint8Array, thServerHello: Uint8Array): HandshakeKeys {
  const c = deriveClientHandshakeKey(provider, suite, hs, thServerHello);
  return {
    serverFinishedKey: deriveFinishedKey(provider, suite, hs, 'server'),
    clientFinishedKey: deriveFinishedKey(provider, suite, hs, 'client'),
    clientHandshakeKey: c.key,
    clientHandshakeIv: c.iv,
  };
}

/** application_secret and session id, both bound to the transcript through the full ServerHello. */
export function deriveSession(provider: CryptoProvider, suite: Suite, hs: Uint8Array, thServerHello: Uint8Array): { applicationSecret: Uint8Array; sessionId: Uint8Array } {
  const h = provider.hash(suite.hash);
  return {
    applicationSecret: expandLabel(h, hs, LABELS.applicationSecret, thServerHello, h.outputLength),
    sessionId: expandLabel(h, hs, LABELS.sessionId, thServerHello, 16),
  };
}

/**
 * Record keys per direction: c2s (client to server) and s2c. The s2c `key` is a secret of the
 * hash's length that no record is sealed under directly: each answer gets its own key from it
 * and a fresh salt ({@link deriveReplyKey}).
 */
export interface TrafficKeys {
  readonly c2s: { key: Uint8Array; iv: Uint8Array };
  readonly s2c: { key: Uint8Array; iv: Uint8Array };
}

/** Record keys and IVs of both directions from the application secret. */
export function deriveTrafficKeys(provider: CryptoProvider, suite: Suite, applicationSecret: Uint8Array): TrafficKeys {
  const h = provider.hash(suite.hash);
  const none = new Uint8Array(0);
  return {
    c2s: { key: expandLabel(h, applicationSecret, LABELS.c2sKey, none, 32), iv: expandLabel(h, applicationSecret, LABELS.c2sIv, none, 12) },
    s2c: { key: expandLabel(h, applicationSecret, LABELS.s2cKey, none, h.outputLength), iv: expandLabel(h, applicationSecret, LABELS.s2cIv, none, 12) },
  };
}

/**
 * The key of one server-to-client record: `ExpandLabel(s2c_key, "reply key", u8(status) ||
 * reply_salt || Hash(ticket), 32)`, the hash only when the answer carries a ticket. A fresh salt
 * per answer means two answers never share key and nonce, even if a request were processed
 * twice; status and ticket are bound so a refusal cannot pass as a reply and a ticket handed
 * out cannot be swapped in transit.
 */
export function deriveReplyKey(provider: CryptoProvider, suite: Suite, s2c: { key: Uint8Array; iv: Uint8Array }, status: number, salt: Uint8Array, ticket: Uint8Array = new Uint8Array(0)): { key: Uint8Array; iv: Uint8Array } {
  const h = provider.hash(suite.hash);
  const context = concatBytes(Uint8Array.of(status), salt, ticket.length ? h.digest(ticket) : new Uint8Array(0));
  return { key: expandLabel(h, s2c.key, LABELS.replyKey, context, 32), iv: s2c.iv };
}
/** Per-purpose subkey of a ring key: cookies and tickets never share an AEAD key. */
export function deriveRingSubkey(provider: CryptoProvider, ringKey: Uint8Array, purpose: 'cookie' | 'ticket'): Uint8Array {
  const h = provider.hash('SHA-384');
  const prk = hkdfExtract(h, new Uint8Array(0), ringKey);
  return expandLabel(h, prk, purpose === 'cookie' ? LABELS.cookieKey : LABELS.ticketKey, new Uint8Array(0), 32);
}

/** TLS 1.3 nonce construction: iv XOR (0^4 || seq as u64 big-endian). */
export function recordNonce(iv: Uint8Array, seq: number): Uint8Array {
  const n = iv.slice();
  let x = seq;
  for (let i = 11; i >= 4; i--) {
    n[i]! ^= x % 256;
    x = Math.floor(x / 256);
  }
  return n;
}
