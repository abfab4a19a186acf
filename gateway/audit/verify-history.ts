/**
 * History checks of the offline verifier, beyond the bundle itself: against a checkpoint the
 * auditor saved earlier (`--since`: an RFC 9162 consistency proof, computed from the bundle's
 * leaves, from the saved tree to the bundle's newest checkpoint — a rollback or a rewrite fails
 * it), and the witness cosignatures the auditor requires on the bundle's newest checkpoint.
 */
import { equalBytes, type CryptoProvider } from '../crypto';
import { isGatewayError } from '../errors';
import { toBase64 } from './base64';
import type { AuditBundle } from './bundle';
import { openCheckpoint } from './checkpoint';
import { checkCosignature, type CosignerKey } from './cosignature';
import type { MerkleTree } from './merkle-tree';
import type { NoteVerifierKey } from './note-key';
import type { AuditProblem } from './verify-bundle';
import type { SignedRoot } from './verify-bundle-proofs';
import { verifyConsistency } from './verify-proof';

/** A checkpoint the auditor kept from an earlier audit, and its events when they kept the bundle. */
export interface SinceCheckpoint {
  /** The signed checkpoint note. */
  readonly note: string;
  /** Leaf hashes of events 0..size-1 as the earlier bundle had them: lets a rewrite be located. */
  readonly leafHashes?: readonly Uint8Array[];
}

/** What the history checks found, for the summary. */
export interface HistoryResult {
  /** The saved checkpoint and whether the bundle's newest checkpoint consistently extends it. */
  readonly since?: { readonly size: number; readonly root: string; readonly consistent: boolean; readonly newestSize: number };
  /** Names of the required witnesses whose valid cosignature is on the newest checkpoint. */
  readonly cosignedBy: readonly string[];
}

function firstDifference(earlier: readonly Uint8Array[] | undefined, tree: MerkleTree, upTo: number): number | undefined {
  if (!earlier) return undefined;
  const n = Math.min(upTo, earlier.length, tree.size);
  for (let i = 0; i < n; i++) if (!equalBytes(earlier[i]!, tree.leafHash(i))) return i;
  return undefined;
}

function checkSince(since: SinceCheckpoint, bundle: AuditBundle, newest: SignedRoot | undefined, tree: MerkleTree, keys: readonly NoteVerifierKey[], provider: CryptoProvider, problems: AuditProblem[]): HistoryResult['since'] {
  let saved;
  try {
    saved = openCheckpoint(since.note, keys, { origin: bundle.origin, provider }).checkpoint;
  } catch (e) {
    const why = isGatewayError(e) ? e.message.split('. ')[0] : 'unreadable';
    problems.push({ kind: 'bad_saved_checkpoint', message: `the saved checkpoint (--since) is rejected: ${why}; pass the checkpoint note of an earlier audit of this log, signed by a key given with --key` });
    return undefined;
  }
  const [n, r] = [saved.size, saved.rootHash];
  const n2 = newest?.size ?? 0;
  const report = (consistent: boolean) => ({ size: n, root: toBase64(r), consistent, newestSize: n2 });
  if (n2 < n) {
    const diff = firstDifference(since.leafHashes, tree, n2);
    problems.push({
      kind: 'rollback',
      seq: diff ?? n2,
      message: `ROLLED BACK: the saved checkpoint covers ${n} events, the bundle's newest checkpoint only ${n2}: events ${n2}..${n - 1} were removed${diff !== undefined ? `, and event ${diff} differs from the saved history` : ''}`,
    });
    return report(false);
  }
  if (n === 0) return report(true);
  let consistent: boolean;
  if (n2 <= tree.size) {
    // RFC 9162 §2.1.4: the proof is computed from the bundle's own leaves and checked against
    // the two SIGNED roots, so neither a re-signed tree nor edited leaves can satisfy it.
    consistent = verifyConsistency(n, n2, r, newest!.root, tree.consistencyProof(n, n2));
  } else {
    // Events are missing from the bundle (reported apart); the prefix can still be compared.
    consistent = n <= tree.size && equalBytes(tree.root(n), r);
  }
  if (!consistent) {
    const diff = firstDifference(since.leafHashes, tree, n);
    problems.push({
      kind: 'history_rewritten',
      ...(diff !== undefined ? { seq: diff } : { seq: 0, range: [0, n] as const }),
      message: `REWRITTEN: the bundle's checkpoint of size ${n2} is not an extension of the saved checkpoint of size ${n} (root ${toBase64(r)}): ${diff !== undefined ? `event ${diff} is the first that differs from the saved history` : `events 0..${n - 1} were altered (pass the earlier bundle to --since to locate the first one)`}`,
    });
  }
  return report(consistent);
}

function checkWitnesses(bundle: AuditBundle, newest: SignedRoot | undefined, witnesses: readonly CosignerKey[], problems: AuditProblem[]): string[] {
  const cosignedBy: string[] = [];
  for (const w of witnesses) {
    const check = newest ? checkCosignature(bundle.checkpoints[newest.index]!, w) : ({ ok: false, reason: 'missing' } as const);
    if (check.ok) cosignedBy.push(w.name);
    else {
      problems.push({
        kind: 'missing_cosignature',
        ...(newest && { checkpoint: newest.index }),
        message: `the newest checkpoint${newest ? ` (size ${newest.size})` : ''} has no ${check.reason === 'invalid' ? 'valid ' : ''}cosignature of the required witness ${w.name}: no witness vouches that this history is the one it saw`,
      });
    }
  }
  return cosignedBy;
}

/** Runs the `--since` and `--witness` checks; appends their problems. */
export function verifyHistory(
  bundle: AuditBundle,
  roots: readonly SignedRoot[],
  tree: MerkleTree,
  keys: readonly NoteVerifierKey[],
  provider: CryptoProvider,
  options: { readonly since?: SinceCheckpoint; readonly witnesses?: readonly CosignerKey[] },
  problems: AuditProblem[],
): HistoryResult {
  // The newest checkpoint: the largest size, and the first in the bundle among equal sizes.
  const newest = roots.reduce<SignedRoot | undefined>((best, r) => (!best || r.size > best.size ? r : best), undefined);
  const since = options.since ? checkSince(options.since, bundle, newest, tree, keys, provider, problems) : undefined;
  const cosignedBy = options.witnesses ? checkWitnesses(bundle, newest, options.witnesses, problems) : [];
  return { ...(since && { since }), cosignedBy };
}
