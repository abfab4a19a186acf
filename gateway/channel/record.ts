/**
 * Record protection: AEAD per suite, nonce = per-direction IV XOR sequence number, AAD binding
 * protocol version, direction, session id, sequence number and route. Server-to-client records
 * are sealed under a key of their own per answer (`sealReply`). Replay protection
 * (`replay-guard.ts`) is applied only after a record authenticates.
 */
import { equalBytes, type CryptoProvider, type Suite } from '../crypto';
import { GatewayError } from '../errors';
import { AAD_LABEL, deriveReplyKey, recordNonce } from './key-schedule';
import { recordAad, REPLY_SALT_LENGTH, type RecordBody, type RecordResponse } from './wire';

/** Record direction: 1 client to server, 2 server to client. */
export type Direction = 1 | 2;
/** Client-to-server direction code. */
export const C2S: Direction = 1;
/** Server-to-client direction code. */
export const S2C: Direction = 2;

/** Encrypts one record. */
export function sealRecord(provider: CryptoProvider, suite: Suite, keys: { key: Uint8Array; iv: Uint8Array }, direction: Direction, header: Omit<RecordBody, 'ciphertext'>, plaintext: Uint8Array): RecordBody {
  const ciphertext = provider.aead(suite.aead).seal(keys.key, recordNonce(keys.iv, header.seq), plaintext, recordAad(AAD_LABEL.record, direction, header));
  return { ...header, ciphertext };
}

/**
 * Decrypts one record that must belong to `sessionId`.
 * @throws GatewayError `bad_record` on a foreign session or a failed tag.
 */
export function openRecord(provider: CryptoProvider, suite: Suite, keys: { key: Uint8Array; iv: Uint8Array }, direction: Direction, sessionId: Uint8Array, rec: RecordBody): Uint8Array {
  if (!equalBytes(rec.sessionId, sessionId)) throw new GatewayError('bad_record', 'record belongs to another session');
  const pt = provider.aead(suite.aead).open(keys.key, recordNonce(keys.iv, rec.seq), rec.ciphertext, recordAad(AAD_LABEL.record, direction, rec));
  if (!pt) throw new GatewayError('bad_record', 'record failed authentication');
  return pt;
}

/** One sealed answer: its status, salt and record, as a RecordResponse carries them. */
export type SealedReply = Pick<RecordResponse, 'status' | 'replySalt' | 'record'>;
/** A whole answer as the client checks it: the ticket it carries is bound into the key. */
export type ReplyToOpen = SealedReply & Pick<RecordResponse, 'ticket'>;

/**
 * Seals the gateway's answer to request `header.seq` under a key derived from a fresh salt (and
 * the ticket the answer hands out, if any).
 * @param random draws the 16-byte salt
 */
export function sealReply(provider: CryptoProvider, suite: Suite, s2c: { key: Uint8Array; iv: Uint8Array }, status: RecordResponse['status'], header: Omit<RecordBody, 'ciphertext'>, plaintext: Uint8Array, random: (n: number) => Uint8Array, ticket?: Uint8Array): SealedReply {
  const replySalt = random(REPLY_SALT_LENGTH);
  const keys = deriveReplyKey(provider, suite, s2c, status, replySalt, ticket);
  const record = sealRecord(provider, suite, keys, S2C, header, plaintext);
  keys.key.fill(0);
  return { status, replySalt, record };
}

/**
 * Opens an answer of the gateway (client side).
 * @throws GatewayError `bad_record` when it fails authentication (a flipped status included).
 */
export function openReply(provider: CryptoProvider, suite: Suite, s2c: { key: Uint8Array; iv: Uint8Array }, sessionId: Uint8Array, reply: ReplyToOpen): Uint8Array {
  const keys = deriveReplyKey(provider, suite, s2c, reply.status, reply.replySalt, reply.ticket);
  try {
    return openRecord(provider, suite, keys, S2C, sessionId, reply.record);
  } finally {
    keys.key.fill(0);
  }
}
