/**
 * Checkpoints (c2sp.org/tlog-checkpoint): the signed note text
 *
 *     <origin>\n<tree size in decimal>\n<base64 root hash>\n[extension lines]
 *
 * signed with the gateway's ML-DSA key under the key name = origin (the spec's SHOULD).
 */
import { assertBytes, getCryptoProvider, type CryptoProvider } from '../crypto';
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { HASH_SIZE } from './merkle-hash';
import { formatNote, isValidKeyName } from './note';
import { openNote, type NoteSigner, type NoteVerifierKey } from './note-key';
import { assertSize } from './tree-math';

/** A tree head: the log's origin, its size and its RFC 9162 root hash. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque, NOT RECOMMENDED by the spec; pqgate writes none but parses them. */
  readonly extensions?: readonly string[];
}

/** A verified checkpoint and the trusted keys that signed it. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly verifiedBy: readonly NoteVerifierKey[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * The note text of a checkpoint.
 * @throws GatewayError `invalid_argument` for a bad origin, size or root length.
 */
export function formatCheckpoint(cp: Checkpoint): string {
  // Origin doubles as the key name, so it obeys the key-name rules (no spaces, no "+").
  if (!isValidKeyName(cp.origin)) throw new GatewayError('invalid_argument', 'checkpoint origin must be non-empty, without spaces or "+" (for example pqgate.example/audit)');
  assertSize(cp.size, 'checkpoint size');
  assertBytes(cp.rootHash, HASH_SIZE, 'checkpoint root hash');
  const ext = cp.extensions ?? [];
  if (ext.some((l) => typeof l !== 'string' || l === '' || /[\u0000-\u001f]/.test(l))) throw new GatewayError('invalid_argument', 'extension lines are non-empty, single lines');
  return [cp.origin, String(cp.size), toBase64(cp.rootHash), ...ext].join('\n') + '\n';
}

/**
 * Parses a checkpoint note text (already verified by the caller).
 * @throws GatewayError `malformed_message` when it is not a checkpoint.
 */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : [];
  if (lines.length < 3 || lines.some((l) => l === '')) throw new GatewayError('malformed_message', 'a checkpoint is origin, size and root hash on non-empty lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  const size = DECIMAL.test(sizeText) ? Number(sizeText) : NaN;
  if (!Number.isSafeInteger(size)) throw new GatewayError('malformed_message', 'checkpoint tree size is not a decimal without leading zeros (below 2^53)');
  const rootHash = fromBase64(rootText, 'checkpoint root hash');
  if (rootHash.length !== HASH_SIZE) throw new GatewayError('malformed_message', 'checkpoint root hash is not 32 bytes');
  return { origin, size, rootHash, extensions };
}

/** Signs a checkpoint with one or more note signers; returns the signed note. */
export function signCheckpoint(cp: Checkpoint, signers: readonly NoteSigner[]): string {
  const text = formatCheckpoint(cp);
  return formatNote({ text, signatures: signers.map((s) => s.sign(text)) });
}

/**
 * Verifies a signed checkpoint against trusted keys and parses it. When `origin` is given the
 * checkpoint must name it, so a checkpoint of another log cannot be passed off as this one's.
 * @throws GatewayError `malformed_message`, `bad_signature` or `untrusted_gateway_key`.
 */
export function openCheckpoint(note: string, trusted: readonly NoteVerifierKey[], options: { origin?: string; provider?: CryptoProvider } = {}): OpenedCheckpoint {
  const opened = openNote(note, trusted, options.provider ?? getCryptoProvider());
  const checkpoint = parseCheckpoint(opened.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new GatewayError('malformed_message', `checkpoint origin "${checkpoint.origin.slice(0, 64)}" is not this log's "${options.origin}"`);
  }
  return { checkpoint, verifiedBy: opened.verifiedBy };
}
