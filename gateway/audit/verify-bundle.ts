/**
 * The offline verifier. It recomputes every leaf from the events' fields, rebuilds the RFC 9162
 * tree, checks every checkpoint's signature and root, and names the FIRST bad entry:
 *
 * 1. exactly, where the bundle itself betrays it: a sequence number out of place (deleted,
 *    inserted or reordered rows), or fields that no longer hash to the stored leaf hash (edits);
 * 2. otherwise by the signed roots: the prefix property of Merkle trees makes "root matches the
 *    checkpoint" monotone in the size, so a binary search over checkpoint sizes finds the first
 *    checkpoint the recomputed tree diverges from. The first altered entry lies between the last
 *    matching checkpoint and that one; with a checkpoint per batch, that is the batch.
 */
import { getCryptoProvider, type CryptoProvider } from '../crypto';
import { isGatewayError } from '../errors';
import { toBase64 } from './base64';
import { parseAuditBundle, type AuditBundle } from './bundle';
import { openCheckpoint } from './checkpoint';
import { auditEventLeafHash } from './event';
import { HASH_SIZE } from './merkle-hash';
import { MerkleTree } from './merkle-tree';
import { parseVerifierKey, formatVerifierKey, type NoteVerifierKey } from './note-key';
import { verifyBundleProofs, type SignedRoot } from './verify-bundle-proofs';
import type { CosignerKey } from './cosignature';
import { verifyHistory, type HistoryResult, type SinceCheckpoint } from './verify-history';

/** Kinds of problem the verifier reports. */
export type AuditProblemKind =
  | 'malformed_bundle'
  | 'bad_key'
  | 'bad_checkpoint'
  | 'checkpoint_fork'
  | 'no_checkpoint'
  | 'malformed_event'
  | 'sequence_mismatch'
  | 'leaf_hash_mismatch'
  | 'root_mismatch'
  | 'missing_events'
  | 'bad_proof'
  | 'bad_saved_checkpoint'
  | 'rollback'
  | 'history_rewritten'
  | 'missing_cosignature';

/** One problem, located when possible. */
export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly message: string;
  /** The first sequence number affected (exact unless `range` is set). */
  readonly seq?: number;
  /** For a root mismatch: the first altered entry lies in [range[0], range[1]). */
  readonly range?: readonly [number, number];
  /** Index of the checkpoint in the bundle, when one is concerned. */
  readonly checkpoint?: number;
}

/** What the verifier found. */
export interface BundleVerification {
  readonly valid: boolean;
  /** The first bad entry (or, when no entry is located, the first problem). */
  readonly firstBad?: AuditProblem;
  readonly problems: readonly AuditProblem[];
  readonly eventCount: number;
  /** Checkpoints whose signature verified. */
  readonly checkpointCount: number;
  /** The largest checkpoint size whose root matches the recomputed tree, and that root. */
  readonly verifiedSize: number;
  readonly verifiedRoot?: string;
  /** Events after the largest matching checkpoint: intact as far as hashes go, not yet signed. */
  readonly uncovered: number;
  /** Verifier keys (vkeys) that signed at least one checkpoint. */
  readonly signers: readonly string[];
  /** True when no trusted keys were given and the bundle's own keys were believed. */
  readonly keysFromBundle: boolean;
  /** With `since`: the saved checkpoint and whether the bundle consistently extends it. */
  readonly since?: HistoryResult['since'];
  /** With `witnesses`: the names of required witnesses whose cosignature verified. */
  readonly cosignedBy?: readonly string[];
}

/** Options of `verifyBundle`. */
export interface VerifyBundleOptions {
  /** Keys to trust; without them the bundle's own keys are used (and the result says so). */
  readonly trustedKeys?: readonly NoteVerifierKey[];
  readonly provider?: CryptoProvider;
  /** A checkpoint kept from an earlier audit: the bundle must consistently extend it. */
  readonly since?: SinceCheckpoint;
  /** Witnesses whose valid cosignature the newest checkpoint must carry. */
  readonly witnesses?: readonly CosignerKey[];
}

function problemMessage(e: unknown): string {
  return isGatewayError(e) ? e.message.split('. ')[0]! : 'unexpected error';
}

function resolveKeys(bundle: AuditBundle, options: VerifyBundleOptions, problems: AuditProblem[]): NoteVerifierKey[] {
  if (options.trustedKeys) return [...options.trustedKeys];
  const keys: NoteVerifierKey[] = [];
  bundle.keys.forEach((k, i) => {
    try {
      keys.push(parseVerifierKey(k, options.provider));
    } catch (e) {
      problems.push({ kind: 'bad_key', message: `key ${i}: ${problemMessage(e)}` });
    }
  });
  return keys;
}

/** Opens every checkpoint; returns the verified ones sorted by size. */
function openCheckpoints(bundle: AuditBundle, keys: NoteVerifierKey[], provider: CryptoProvider, problems: AuditProblem[], signers: Set<NoteVerifierKey>): SignedRoot[] {
  const roots: SignedRoot[] = [];
  bundle.checkpoints.forEach((note, index) => {
    try {
      const { checkpoint, verifiedBy } = openCheckpoint(note, keys, { origin: bundle.origin, provider });
      verifiedBy.forEach((k) => signers.add(k));
      roots.push({ index, size: checkpoint.size, root: checkpoint.rootHash });
    } catch (e) {
      problems.push({ kind: 'bad_checkpoint', checkpoint: index, message: `checkpoint ${index} is rejected: ${problemMessage(e)}` });
    }
  });
  roots.sort((a, b) => a.size - b.size || a.index - b.index);
  // Two signed roots for one size: the key signed two histories (tlog-checkpoint forbids it).
  roots.forEach((r, i) => {
    const prev = roots[i - 1];
    if (prev && prev.size === r.size && toBase64(prev.root) !== toBase64(r.root)) {
      problems.push({ kind: 'checkpoint_fork', checkpoint: r.index, message: `checkpoints ${prev.index} and ${r.index} sign different roots for size ${r.size}` });
    }
  });
  return roots;
}

/** The members an exported entry has; everything signed is inside `event`. */
const ENTRY_KEYS = new Set(['seq', 'event', 'leafHash']);

/** Recomputes leaves in bundle order; records sequence and leaf-hash problems exactly. */
function rebuildTree(bundle: AuditBundle, problems: AuditProblem[]): MerkleTree {
  const tree = new MerkleTree();
  let sequenceReported = false;
  let hashReported = false;
  bundle.events.forEach((entry, i) => {
    const e = entry as unknown as Record<string, unknown> | null;
    const fields = e?.event;
    if (!e || typeof e !== 'object' || !fields || typeof fields !== 'object' || Array.isArray(fields) || (e.leafHash !== undefined && typeof e.leafHash !== 'string')) {
      problems.push({ kind: 'malformed_event', seq: i, message: `entry ${i} is not { seq, event, leafHash? }` });
      tree.appendLeafHash(new Uint8Array(HASH_SIZE));
      return;
    }
    // Only `event` is hashed: anything else beside it would read as part of the log, unsigned.
    const unsigned = Object.keys(e).filter((k) => !ENTRY_KEYS.has(k));
    if (unsigned.length) {
      problems.push({ kind: 'malformed_event', seq: i, message: `entry ${i} carries ${unsigned.map((k) => `"${k.slice(0, 32)}"`).join(', ')} outside its event: no checkpoint covers ${unsigned.length > 1 ? 'them' : 'it'}, so the bundle was altered after export` });
    }
    if (!sequenceReported && e.seq !== i) {
      sequenceReported = true;
      const found = Number.isSafeInteger(e.seq) ? `sequence number ${String(e.seq)}` : 'no valid sequence number';
      const why = typeof e.seq === 'number' && e.seq > i ? `entries ${i}..${e.seq - 1} are missing (deleted or reordered)` : 'an entry was inserted, duplicated or moved';
      problems.push({ kind: 'sequence_mismatch', seq: i, message: `entry at position ${i} has ${found}: ${why}` });
    }
    const leaf = auditEventLeafHash(fields as Record<string, unknown>);
    if (!hashReported && e.leafHash !== undefined && toBase64(leaf) !== e.leafHash) {
      hashReported = true;
      problems.push({ kind: 'leaf_hash_mismatch', seq: i, message: `event ${i} no longer hashes to its stored leaf hash: its fields were edited` });
    }
    tree.appendLeafHash(leaf);
  });
  return tree;
}

/** Binary search for the first signed root the recomputed tree disagrees with (see module note). */
function checkRoots(roots: SignedRoot[], tree: MerkleTree, problems: AuditProblem[]): SignedRoot | undefined {
  const n = tree.size;
  const inRange = roots.filter((r) => r.size <= n);
  const matches = (r: SignedRoot) => toBase64(tree.root(r.size)) === toBase64(r.root);
  let lo = 0;
  let hi = inRange.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (matches(inRange[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  const lastGood = lo > 0 ? inRange[lo - 1] : undefined;
  if (lo < inRange.length) {
    const bad = inRange[lo]!;
    const from = lastGood?.size ?? 0;
    problems.push({
      kind: 'root_mismatch',
      seq: from,
      range: [from, bad.size],
      checkpoint: bad.index,
      message: `the events do not match checkpoint ${bad.index} (size ${bad.size}); the first altered entry is in ${from}..${bad.size - 1}`,
    });
    const last = inRange[inRange.length - 1]!;
    if (last !== bad && matches(last)) {
      problems.push({ kind: 'checkpoint_fork', checkpoint: bad.index, message: `checkpoints ${bad.index} and ${last.index} are inconsistent: the log signed two histories` });
    }
  }
  const beyond = roots.find((r) => r.size > n);
  if (beyond) {
    problems.push({ kind: 'missing_events', seq: n, checkpoint: beyond.index, message: `checkpoint ${beyond.index} covers ${beyond.size} events but the bundle holds ${n}: entries from ${n} are missing` });
  }
  return lastGood ?? (lo === inRange.length ? inRange[inRange.length - 1] : undefined);
}

/**
 * The first bad entry: a rollback or rewrite against the auditor's saved checkpoint comes first
 * (it is the finding a re-signed bundle cannot hide); then an exact location before the first
 * diverging checkpoint wins over a range.
 */
function pickFirstBad(problems: AuditProblem[]): AuditProblem | undefined {
  const history = problems.find((p) => p.kind === 'rollback' || p.kind === 'history_rewritten');
  if (history) return history;
  const range = problems.find((p) => p.kind === 'root_mismatch');
  const exact = problems.filter((p) => p.seq !== undefined && !p.range).sort((a, b) => a.seq! - b.seq!);
  const bound = range?.range?.[1] ?? Infinity;
  return exact.find((p) => p.seq! < bound) ?? range ?? exact[0] ?? problems[0];
}

/**
 * Verifies an auditor's bundle offline (see the module note for how the first bad entry is found).
 * Never throws for bad input: a malformed bundle is a problem in the result.
 */
export function verifyBundle(input: unknown, options: VerifyBundleOptions = {}): BundleVerification {
  const provider = options.provider ?? getCryptoProvider();
  const problems: AuditProblem[] = [];
  let bundle: AuditBundle;
  try {
    bundle = parseAuditBundle(input);
  } catch (e) {
    const p: AuditProblem = { kind: 'malformed_bundle', message: problemMessage(e) };
    return { valid: false, firstBad: p, problems: [p], eventCount: 0, checkpointCount: 0, verifiedSize: 0, uncovered: 0, signers: [], keysFromBundle: !options.trustedKeys };
  }
  const keys = resolveKeys(bundle, options, problems);
  const signers = new Set<NoteVerifierKey>();
  const roots = openCheckpoints(bundle, keys, provider, problems, signers);
  const tree = rebuildTree(bundle, problems);
  const good = checkRoots(roots, tree, problems);
  if (roots.length === 0 && bundle.events.length > 0) {
    problems.push({ kind: 'no_checkpoint', message: 'no checkpoint signed by a trusted key: nothing in the bundle is vouched for' });
  }
  verifyBundleProofs(bundle, roots, tree, problems);
  const history = verifyHistory(bundle, roots, tree, keys, provider, options, problems);
  const firstBad = pickFirstBad(problems);
  return {
    valid: problems.length === 0,
    ...(firstBad && { firstBad }),
    problems,
    eventCount: bundle.events.length,
    checkpointCount: roots.length,
    verifiedSize: good?.size ?? 0,
    ...(good && { verifiedRoot: toBase64(good.root) }),
    uncovered: bundle.events.length - (good?.size ?? 0),
    signers: [...signers].map(formatVerifierKey),
    keysFromBundle: !options.trustedKeys,
    ...(history.since && { since: history.since }),
    ...(options.witnesses && { cosignedBy: history.cosignedBy }),
  };
}
