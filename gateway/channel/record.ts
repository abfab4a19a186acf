/**
 * Record protection: AEAD per suite, nonce = per-direction IV XOR sequence number, AAD binding
 * protocol version, direction, session id, sequence number and route. Replay protection is a
 * sliding window per session, applied only after a record authenticates.
 */
import { equalBytes, toHex, type CryptoProvider, type Suite } from '../crypto';
import { GatewayError } from '../errors';
import { AAD_LABEL, recordNonce } from './key-schedule';
import { recordAad, type RecordBody } from './wire';

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

/** Decides whether a (session, sequence number) pair is fresh, and remembers it if so. */
export interface ReplayGuard {
  /** True when fresh (and now recorded); false for a replay or a record older than the window. */
  accept(sessionId: Uint8Array, seq: number): boolean;
}

/**
 * In-memory sliding window (RFC 4303 §3.4.3 style): the highest sequence number seen plus a
 * bitmap of the `window` numbers below it. Sessions are kept in LRU order up to `maxSessions`.
 * Replicas do not share it; a shared store can implement `ReplayGuard` for that.
 */
export class SlidingWindowReplayGuard implements ReplayGuard {
  private readonly sessions = new Map<string, { top: number; bits: bigint }>();

  constructor(
    readonly window = 64,
    private readonly maxSessions = 100_000,
  ) {}

  accept(sessionId: Uint8Array, seq: number): boolean {
    const id = toHex(sessionId);
    const s = this.sessions.get(id);
    const mask = (1n << BigInt(this.window)) - 1n;
    if (!s) {
      this.remember(id, { top: seq, bits: 1n });
      return true;
    }
    this.sessions.delete(id);
    if (seq > s.top) {
      const shift = seq - s.top;
      s.bits = shift >= this.window ? 1n : ((s.bits << BigInt(shift)) | 1n) & mask;
      s.top = seq;
      this.remember(id, s);
      return true;
    }
    const back = s.top - seq;
    this.remember(id, s);
    if (back >= this.window) return false;
    const bit = 1n << BigInt(back);
    if (s.bits & bit) return false;
    s.bits |= bit;
    return true;
  }

  private remember(id: string, s: { top: number; bits: bigint }): void {
    this.sessions.set(id, s);
    if (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
  }
}
