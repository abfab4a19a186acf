/**
 * C2SP signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, then one
 * or more lines `— <key name> <base64(key ID (4 bytes, big-endian) || signature)>`. This module
 * only parses and formats; `note-key.ts` signs and verifies.
 */
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  /** uint32 key ID (the first four bytes of the decoded signature line). */
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A parsed note: its text (with the final newline) and its signature lines, in order. */
export interface Note {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** The spec says verifiers MUST accept at least 16 signatures; ML-DSA-87 lines are ~6.2 kB. */
export const NOTE_LIMITS = Object.freeze({ maxSignatures: 32, maxBytes: 256 * 1024 });

const SIGNATURE_PREFIX = '\u2014 ';
// No ASCII control characters but newline (signed-note §Format).
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
// A string with a lone surrogate has no UTF-8 encoding.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Key names: non-empty, no Unicode spaces, no plus.
const KEY_NAME = /^[^\s+]+$/u;

function malformed(why: string): GatewayError {
  return new GatewayError('malformed_message', `signed note: ${why}`);
}

/** Whether `name` may be a note key name. */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && KEY_NAME.test(name) && !CONTROL.test(name);
}

/**
 * Serialises a note.
 * @throws GatewayError `invalid_argument` for a text without its final newline, no signatures,
 * a bad key name or key ID.
 */
export function formatNote(note: Note): string {
  const { text, signatures } = note;
  if (typeof text !== 'string' || !text.endsWith('\n') || CONTROL.test(text)) throw new GatewayError('invalid_argument', 'note text must end in a newline and hold no control characters');
  if (!Array.isArray(signatures) || signatures.length === 0) throw new GatewayError('invalid_argument', 'a note needs at least one signature');
  const lines = signatures.map((s) => {
    if (!isValidKeyName(s.name)) throw new GatewayError('invalid_argument', 'note key names are non-empty, without spaces or "+"');
    if (!Number.isInteger(s.keyId) || s.keyId < 0 || s.keyId > 0xffffffff) throw new GatewayError('invalid_argument', 'note key ID must be a uint32');
    const blob = new Uint8Array(4 + s.signature.length);
    new DataView(blob.buffer).setUint32(0, s.keyId);
    blob.set(s.signature, 4);
    return `${SIGNATURE_PREFIX}${s.name} ${toBase64(blob)}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Parses a signed note without verifying it: callers must verify before trusting the text.
 * @throws GatewayError `malformed_message` for anything the spec does not allow.
 */
export function parseNote(serialized: string): Note {
  if (typeof serialized !== 'string') throw malformed('not a string');
  if (Buffer.byteLength(serialized, 'utf8') > NOTE_LIMITS.maxBytes) throw malformed(`larger than ${NOTE_LIMITS.maxBytes} bytes`);
  if (CONTROL.test(serialized)) throw malformed('holds a control character');
  if (LONE_SURROGATE.test(serialized)) throw malformed('not valid UTF-8 (lone surrogate)');
  if (!serialized.endsWith('\n')) throw malformed('does not end in a newline');
  // The text is separated from the signatures by the LAST blank line.
  const split = serialized.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = serialized.slice(0, split + 1);
  const lines = serialized.slice(split + 2, -1).split('\n');
  if (lines.length > NOTE_LIMITS.maxSignatures) throw malformed(`more than ${NOTE_LIMITS.maxSignatures} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line must start with an em dash and a space');
    const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (parts.length !== 2 || !isValidKeyName(parts[0])) throw malformed('a signature line is "— <key name> <base64>"');
    const blob = fromBase64(parts[1]!, 'note signature');
    if (blob.length < 5) throw malformed('a signature is a 4-byte key ID and at least one byte');
    return { name: parts[0], keyId: new DataView(blob.buffer, blob.byteOffset).getUint32(0), signature: blob.slice(4) };
  });
  return { text, signatures };
}
