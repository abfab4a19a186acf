/**
 * Witness cosignatures (c2sp.org/tlog-cosignature, the Ed25519 `cosignature/v1` type): a note
 * signature line on a checkpoint whose signature is
 *
 *     timestamped_signature = u64 timestamp (big-endian, POSIX seconds) || Ed25519 signature (64)
 *
 * over the message `cosignature/v1\ntime <timestamp>\n` followed by the whole checkpoint note
 * text. The key ID is SHA-256(<name> || "\n" || 0x04 || public key)[:4], and the vkey is
 * `<name>+<hex key ID>+<base64(0x04 || public key)>`. Ed25519 is what public witnesses run
 * today; the spec's ML-DSA-44 type is the quantum-safe successor (see docs/audit.md).
 */
import { concatBytes, getCryptoProvider, plainEd25519PublicKey, plainEd25519Sign, plainEd25519Verify, utf8 } from '../crypto';
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { formatNote, isValidKeyName, parseNote, type NoteSignature } from './note';

/** The signed-note signature type of Ed25519 cosignature/v1. */
export const COSIGNATURE_V1_TYPE = 0x04;
const ED25519_PUBLIC_KEY = 32;
const ED25519_SIGNATURE = 64;

/** A witness (cosigner) public key: its name, key ID and Ed25519 public key. */
export interface CosignerKey {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
}

/** Signs cosignatures under one witness name. */
export interface Cosigner {
  readonly key: CosignerKey;
  /** The cosignature line of a checkpoint note text, at `timestamp` (POSIX seconds). */
  cosign(checkpointText: string, timestamp: number): NoteSignature;
}

function checkName(name: unknown): string {
  if (!isValidKeyName(name)) throw new GatewayError('invalid_argument', 'a witness name is non-empty, without spaces or "+" (for example witness.example/w1)');
  return name;
}

/** SHA-256(name || "\n" || 0x04 || public key)[:4], big-endian. */
export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  const digest = getCryptoProvider().hash('SHA-256').digest(concatBytes(utf8(checkName(name)), Uint8Array.of(0x0a, COSIGNATURE_V1_TYPE), publicKey));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/** The cosigner key of an Ed25519 public key under `name`. */
export function cosignerKey(name: string, publicKey: Uint8Array): CosignerKey {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY) throw new GatewayError('invalid_key', 'a witness public key is 32 bytes of Ed25519');
  return Object.freeze({ name: checkName(name), keyId: cosignerKeyId(name, publicKey), publicKey: publicKey.slice() });
}

/** The vkey text form of a witness key. */
export function formatCosignerKey(key: CosignerKey): string {
  return `${key.name}+${key.keyId.toString(16).padStart(8, '0')}+${toBase64(concatBytes(Uint8Array.of(COSIGNATURE_V1_TYPE), key.publicKey))}`;
}

/**
 * Parses a witness vkey (type 0x04) and checks its key ID.
 * @throws GatewayError `invalid_key` with what is wrong.
 */
export function parseCosignerKey(vkey: string): CosignerKey {
  const m = typeof vkey === 'string' ? /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(vkey.trim()) : null;
  if (!m) throw new GatewayError('invalid_key', 'a witness key reads <name>+<8 hex digits>+<base64(0x04 || Ed25519 public key)>');
  let blob: Uint8Array;
  try {
    blob = fromBase64(m[3]!, 'witness key');
  } catch {
    throw new GatewayError('invalid_key', 'the witness key is not standard base64 after its second "+"');
  }
  if (blob.length !== 1 + ED25519_PUBLIC_KEY || blob[0] !== COSIGNATURE_V1_TYPE) throw new GatewayError('invalid_key', 'the witness key is not an Ed25519 cosignature/v1 key (type 0x04 and 32 bytes)');
  const key = cosignerKey(m[1]!, blob.subarray(1));
  if (key.keyId !== parseInt(m[2]!, 16)) throw new GatewayError('invalid_key', 'the witness key ID does not match its name and public key');
  return key;
}

/** The message a cosignature/v1 signs. */
export function cosignedMessage(checkpointText: string, timestamp: number): Uint8Array {
  return utf8(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

/** A cosigner from a 32-byte Ed25519 seed. */
export function createCosigner(name: string, seed: Uint8Array): Cosigner {
  const key = cosignerKey(name, plainEd25519PublicKey(seed));
  const secret = seed.slice();
  return Object.freeze({
    key,
    cosign(checkpointText: string, timestamp: number): NoteSignature {
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new GatewayError('invalid_argument', 'a cosignature timestamp is a non-negative integer of seconds');
      const signature = new Uint8Array(8 + ED25519_SIGNATURE);
      new DataView(signature.buffer).setBigUint64(0, BigInt(timestamp));
      signature.set(plainEd25519Sign(cosignedMessage(checkpointText, timestamp), secret), 8);
      return { name: key.name, keyId: key.keyId, signature };
    },
  });
}

/** What checking a note for one witness's cosignature found. */
export type CosignatureCheck = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: 'missing' | 'invalid' };

/**
 * Looks for `key`'s cosignature on a signed checkpoint note: lines of other keys are ignored
 * (signed-note rules); a line of this key that does not verify makes the result `invalid`.
 * Never throws for a malformed note: it is `missing` a valid cosignature then.
 */
export function checkCosignature(serializedNote: string, key: CosignerKey): CosignatureCheck {
  let note;
  try {
    note = parseNote(serializedNote);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  let found: CosignatureCheck = { ok: false, reason: 'missing' };
  for (const sig of note.signatures) {
    if (sig.name !== key.name || sig.keyId !== key.keyId) continue;
    if (sig.signature.length !== 8 + ED25519_SIGNATURE) return { ok: false, reason: 'invalid' };
    const ts = new DataView(sig.signature.buffer, sig.signature.byteOffset).getBigUint64(0);
    if (ts > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'invalid' };
    if (!plainEd25519Verify(sig.signature.subarray(8), cosignedMessage(note.text, Number(ts)), key.publicKey)) return { ok: false, reason: 'invalid' };
    found = { ok: true, timestamp: Number(ts) };
  }
  return found;
}

/**
 * Adds the valid cosignatures of `key` found in a witness's add-checkpoint answer (signature
 * lines only) to a checkpoint note, as tlog-witness tells clients to: concatenate, verify with
 * the witness key, keep what verified. Lines of other keys are dropped.
 * @throws GatewayError `bad_signature` when the answer holds no valid cosignature of `key`.
 */
export function addCosignatures(serializedNote: string, answer: string, key: CosignerKey): string {
  const note = parseNote(serializedNote);
  let combined;
  try {
    combined = parseNote(serializedNote + answer);
  } catch {
    throw new GatewayError('malformed_message', 'the witness answered something other than note signature lines');
  }
  const fresh = combined.signatures.slice(note.signatures.length).filter((s) => s.name === key.name && s.keyId === key.keyId);
  const valid = fresh.filter((s) => checkCosignature(formatNote({ text: note.text, signatures: [s] }), key).ok);
  if (valid.length === 0) throw new GatewayError('bad_signature', `the witness's answer holds no valid cosignature by ${key.name}`);
  // One cosignature per witness is enough: replace an older one (an earlier timestamp) if any.
  const others = note.signatures.filter((s) => s.name !== key.name || s.keyId !== key.keyId);
  return formatNote({ text: note.text, signatures: [...others, valid.at(-1)!] });
}
