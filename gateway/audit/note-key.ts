/**
 * ML-DSA signatures on C2SP signed notes. signed-note assigns type bytes only up to Ed25519,
 * ECDSA and the ML-DSA-44 cosignature; for anything else it reserves 0xff, "RECOMMENDED to be
 * followed by a longer identifier that is unlikely to collide". pqgate's type is therefore
 *
 *     0xff || "pqgate/1 note ML-DSA-65"      (or ... ML-DSA-87)
 *
 * and, as the spec recommends,
 *
 *     key ID = SHA-256(key name || 0x0A || type || raw FIPS 204 public key)[:4]   (big-endian)
 *     vkey   = <key name>+<hex key ID>+<base64(type || public key)>
 *
 * The signature is pure ML-DSA (FIPS 204) over the note text with the context string
 * "pqgate/1 audit checkpoint" — the protocol's "pqgate/1 <role>" convention — so a checkpoint
 * signature can never be replayed as a handshake signature made by the same gateway key.
 */
import { assertBytes, concatBytes, getCryptoProvider, utf8, type CryptoProvider, type SignatureId } from '../crypto';
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { isValidKeyName, parseNote, type NoteSignature } from './note';

/** Signature schemes a note may be signed with, and their signed-note type bytes. */
export const NOTE_SIGNATURE_TYPES = Object.freeze({
  'ML-DSA-65': concatBytes(Uint8Array.of(0xff), utf8('pqgate/1 note ML-DSA-65')),
  'ML-DSA-87': concatBytes(Uint8Array.of(0xff), utf8('pqgate/1 note ML-DSA-87')),
} as const);

/** Algorithms accepted for note keys. */
export type NoteAlgorithm = keyof typeof NOTE_SIGNATURE_TYPES;

/** FIPS 204 context string of checkpoint signatures. */
export const CHECKPOINT_CONTEXT = utf8('pqgate/1 audit checkpoint');

/** A public key that verifies notes: its name, key ID and ML-DSA public key. */
export interface NoteVerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly algorithm: NoteAlgorithm;
  readonly publicKey: Uint8Array;
}

/** Signs note texts under one key name. */
export interface NoteSigner {
  readonly key: NoteVerifierKey;
  /** Signs a note text (ending in a newline). */
  sign(text: string): NoteSignature;
}

function algorithmOf(id: unknown): NoteAlgorithm {
  if (typeof id !== 'string' || !Object.hasOwn(NOTE_SIGNATURE_TYPES, id)) {
    throw new GatewayError('invalid_argument', `note keys use ${Object.keys(NOTE_SIGNATURE_TYPES).join(' or ')}`);
  }
  return id as NoteAlgorithm;
}

function checkName(name: unknown): string {
  if (!isValidKeyName(name)) throw new GatewayError('invalid_argument', 'a note key name is non-empty, without spaces or "+" (for example pqgate.example/audit)');
  return name;
}

/** The key ID of a note key (see the module comment). */
export function noteKeyId(name: string, algorithm: NoteAlgorithm, publicKey: Uint8Array, provider: CryptoProvider = getCryptoProvider()): number {
  const input = concatBytes(utf8(checkName(name)), Uint8Array.of(0x0a), NOTE_SIGNATURE_TYPES[algorithmOf(algorithm)], publicKey);
  const digest = provider.hash('SHA-256').digest(input);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/**
 * Builds the verifier key for a public key.
 * @throws GatewayError `invalid_argument` for a bad name, algorithm or public-key length.
 */
export function noteVerifierKey(name: string, algorithm: SignatureId, publicKey: Uint8Array, provider: CryptoProvider = getCryptoProvider()): NoteVerifierKey {
  const alg = algorithmOf(algorithm);
  assertBytes(publicKey, provider.signature(alg).lengths.publicKey, `${alg} public key`);
  return Object.freeze({ name: checkName(name), keyId: noteKeyId(name, alg, publicKey, provider), algorithm: alg, publicKey: publicKey.slice() });
}

/** The vkey text form: `<name>+<hex key ID>+<base64(type || public key)>`. */
export function formatVerifierKey(key: NoteVerifierKey): string {
  const id = key.keyId.toString(16).padStart(8, '0');
  return `${key.name}+${id}+${toBase64(concatBytes(NOTE_SIGNATURE_TYPES[key.algorithm], key.publicKey))}`;
}

/**
 * Parses a vkey and checks that its key ID matches its name and key.
 * @throws GatewayError `invalid_key` for an unknown type, wrong length or mismatched key ID.
 */
export function parseVerifierKey(vkey: string, provider: CryptoProvider = getCryptoProvider()): NoteVerifierKey {
  // Names and IDs hold no "+", but base64 may: split at the first two only.
  const m = typeof vkey === 'string' ? /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey.trim()) : null;
  const parts = m ? m.slice(1) : [];
  if (parts.length !== 3) throw new GatewayError('invalid_key', 'a verifier key reads <name>+<8 hex digits>+<base64>');
  const blob = fromBase64(parts[2]!, 'verifier key');
  const alg = (Object.keys(NOTE_SIGNATURE_TYPES) as NoteAlgorithm[]).find((a) => {
    const t = NOTE_SIGNATURE_TYPES[a];
    return blob.length > t.length && t.every((b, i) => blob[i] === b);
  });
  if (!alg) throw new GatewayError('invalid_key', `verifier key type is not one of ${Object.keys(NOTE_SIGNATURE_TYPES).join(', ')}`);
  const publicKey = blob.subarray(NOTE_SIGNATURE_TYPES[alg].length);
  if (publicKey.length !== provider.signature(alg).lengths.publicKey) throw new GatewayError('invalid_key', `${alg} public key has the wrong length`);
  const key = noteVerifierKey(checkName(parts[0]), alg, publicKey, provider);
  if (key.keyId !== parseInt(parts[1]!, 16)) throw new GatewayError('invalid_key', 'verifier key ID does not match its name and public key');
  return key;
}

/**
 * Imports a signing key (the gateway key pair's seed) once, for signing many notes.
 * @throws GatewayError `invalid_argument` for a non-ML-DSA key or bad seed.
 */
export function createNoteSigner(name: string, keyPair: { readonly algorithm: SignatureId; readonly seed: Uint8Array }, provider: CryptoProvider = getCryptoProvider()): NoteSigner {
  const alg = algorithmOf(keyPair.algorithm);
  const signer = provider.signature(alg).importSigner(keyPair.seed);
  const key = noteVerifierKey(name, alg, signer.publicKey, provider);
  return Object.freeze({
    key,
    sign: (text: string): NoteSignature => ({ name: key.name, keyId: key.keyId, signature: signer.sign(utf8(text), CHECKPOINT_CONTEXT) }),
  });
}

/** Outcome of checking a note against trusted keys. */
export interface OpenedNote {
  readonly text: string;
  /** The trusted keys whose signatures verified. */
  readonly verifiedBy: readonly NoteVerifierKey[];
}

/**
 * Parses a note and verifies it (signed-note §Signatures): lines from unknown keys (name and ID
 * not both matching) are ignored; a known key whose signature fails rejects the whole note; at
 * least one known key must have signed.
 * @throws GatewayError `malformed_message`, `bad_signature` or `untrusted_gateway_key`.
 */
export function openNote(serialized: string, trusted: readonly NoteVerifierKey[], provider: CryptoProvider = getCryptoProvider()): OpenedNote {
  const note = parseNote(serialized);
  const message = utf8(note.text);
  const verifiedBy: NoteVerifierKey[] = [];
  for (const sig of note.signatures) {
    const key = trusted.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!key) continue;
    if (!provider.signature(key.algorithm).verify(sig.signature, message, key.publicKey, CHECKPOINT_CONTEXT)) {
      throw new GatewayError('bad_signature', `the signature of ${key.name} (key ID ${key.keyId.toString(16).padStart(8, '0')}) does not verify`);
    }
    if (!verifiedBy.includes(key)) verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) throw new GatewayError('untrusted_gateway_key', 'no signature on the note is from a trusted key');
  return { text: note.text, verifiedBy };
}
