/**
 * The auditor's bundle: a versioned JSON document with everything needed to check the log
 * offline — the events (as the fields that were hashed), the signed checkpoints, the verifier
 * keys, and optionally proofs. See docs/audit.md for the format as the auditor sees it.
 */
import { GatewayError } from '../errors';

/** Format marker and version of bundles this module writes and reads. */
export const BUNDLE_FORMAT = 'pqgate-audit-bundle';
export const BUNDLE_VERSION = 1;

/** One event: its sequence number (leaf index), the hashed fields, the stored leaf hash. */
export interface BundleEvent {
  readonly seq: number;
  readonly event: Readonly<Record<string, unknown>>;
  /** Standard base64 of the leaf hash the log stored; lets the verifier point at an edited row. */
  readonly leafHash?: string;
}

/** RFC 9162 §2.1.4 proof that checkpoint `size1` is a prefix of checkpoint `size2`. */
export interface BundleConsistencyProof {
  readonly size1: number;
  readonly size2: number;
  readonly hashes: readonly string[];
}

/** RFC 9162 §2.1.3 proof that event `seq` is in the checkpoint of `treeSize`. */
export interface BundleInclusionProof {
  readonly seq: number;
  readonly treeSize: number;
  readonly hashes: readonly string[];
}

/** The bundle document. */
export interface AuditBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  /** The log's origin: the first line of every checkpoint. */
  readonly origin: string;
  readonly exportedAt?: string;
  /** C2SP verifier keys (`name+keyid+base64`) of the gateway keys that signed checkpoints. */
  readonly keys: readonly string[];
  /** Signed checkpoint notes. */
  readonly checkpoints: readonly string[];
  /** Events from sequence number 0, in order. */
  readonly events: readonly BundleEvent[];
  readonly proofs?: {
    readonly consistency?: readonly BundleConsistencyProof[];
    readonly inclusion?: readonly BundleInclusionProof[];
  };
}

/** Sizes a verifier accepts before doing any work (a bundle is untrusted input). */
export const BUNDLE_LIMITS = Object.freeze({ maxEvents: 50_000_000, maxCheckpoints: 1_000_000, maxKeys: 64, maxProofs: 1_000_000 });

const TOP_KEYS = ['format', 'version', 'origin', 'exportedAt', 'keys', 'checkpoints', 'events', 'proofs'];

function bad(why: string): GatewayError {
  return new GatewayError('malformed_message', `audit bundle: ${why}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringArray(v: unknown, max: number, title: string): readonly string[] {
  if (!Array.isArray(v) || v.length > max || !v.every((s) => typeof s === 'string')) throw bad(`${title} must be an array of at most ${max} strings`);
  return v;
}

function proofs<T>(v: unknown, fields: readonly string[], title: string): readonly T[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > BUNDLE_LIMITS.maxProofs) throw bad(`${title} proofs must be an array`);
  v.forEach((p, i) => {
    if (!isRecord(p) || !fields.every((f) => Number.isSafeInteger(p[f])) || Object.keys(p).some((k) => k !== 'hashes' && !fields.includes(k))) {
      throw bad(`${title} proof ${i} needs ${fields.join(', ')} and hashes`);
    }
    stringArray(p.hashes, 64, `${title} proof ${i} hashes`);
  });
  return v as T[];
}

/**
 * Checks a parsed JSON value is a bundle of a version this verifier knows. Event contents are
 * left to the verifier, which reports problems per event instead of refusing the whole file.
 * @throws GatewayError `malformed_message` for another format, an unknown version or field.
 */
export function parseAuditBundle(json: unknown): AuditBundle {
  if (!isRecord(json) || json.format !== BUNDLE_FORMAT) throw bad(`not a ${BUNDLE_FORMAT} document`);
  if (json.version !== BUNDLE_VERSION) throw bad(`version ${String(json.version).slice(0, 16)} is not supported (this verifier reads version ${BUNDLE_VERSION})`);
  const unknown = Object.keys(json).filter((k) => !TOP_KEYS.includes(k));
  if (unknown.length > 0) throw bad(`unknown field "${unknown[0]!.slice(0, 32)}"`);
  if (typeof json.origin !== 'string' || json.origin === '') throw bad('origin must be a non-empty string');
  if (json.exportedAt !== undefined && typeof json.exportedAt !== 'string') throw bad('exportedAt must be a string');
  stringArray(json.keys, BUNDLE_LIMITS.maxKeys, 'keys');
  stringArray(json.checkpoints, BUNDLE_LIMITS.maxCheckpoints, 'checkpoints');
  if (!Array.isArray(json.events) || json.events.length > BUNDLE_LIMITS.maxEvents) throw bad(`events must be an array of at most ${BUNDLE_LIMITS.maxEvents}`);
  if (json.proofs !== undefined) {
    if (!isRecord(json.proofs) || Object.keys(json.proofs).some((k) => k !== 'consistency' && k !== 'inclusion')) throw bad('proofs holds consistency and inclusion arrays');
    proofs<BundleConsistencyProof>(json.proofs.consistency, ['size1', 'size2'], 'consistency');
    proofs<BundleInclusionProof>(json.proofs.inclusion, ['seq', 'treeSize'], 'inclusion');
  }
  return json as unknown as AuditBundle;
}
