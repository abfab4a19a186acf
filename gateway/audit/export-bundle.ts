/**
 * Builds an auditor's bundle from what the app stores: event rows, signed checkpoints, the
 * gateway's verifier keys and, for optional proofs, the tree rebuilt from stored leaf hashes.
 */
import { GatewayError } from '../errors';
import { toBase64 } from './base64';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type AuditBundle, type BundleEvent } from './bundle';
import { parseCheckpoint } from './checkpoint';
import type { AuditEventFields } from './event';
import type { MerkleTree } from './merkle-tree';
import { parseNote } from './note';
import { formatVerifierKey, type NoteVerifierKey } from './note-key';

/** What the app hands over to export a bundle. */
export interface BundleSource {
  readonly origin: string;
  readonly keys: readonly NoteVerifierKey[];
  /** Signed checkpoint notes, any order. */
  readonly checkpoints: readonly string[];
  /** Events from sequence number 0, in order, as hashed (see `exportedEventFields`). */
  readonly events: readonly { readonly seq: number; readonly event: AuditEventFields; readonly leafHash?: Uint8Array }[];
  readonly exportedAt?: Date;
  /** The tree over the stored leaf hashes; needed only for proofs. */
  readonly tree?: MerkleTree;
  /** Adds a consistency proof between each pair of consecutive checkpoints (needs `tree`). */
  readonly consistencyProofs?: boolean;
  /** Adds inclusion proofs of these events in the checkpoint of `treeSize` (needs `tree`). */
  readonly inclusionProofs?: readonly { readonly seq: number; readonly treeSize: number }[];
}

/**
 * Assembles a bundle (a plain object: `JSON.stringify` it to write the file).
 * @throws GatewayError `invalid_argument` when proofs are asked for without a tree.
 */
export function createAuditBundle(src: BundleSource): AuditBundle {
  const wantsProofs = src.consistencyProofs === true || (src.inclusionProofs?.length ?? 0) > 0;
  if (wantsProofs && !src.tree) throw new GatewayError('invalid_argument', 'proofs need the tree rebuilt from the stored leaf hashes');
  const events: BundleEvent[] = src.events.map((e) => (e.leafHash ? { seq: e.seq, event: e.event, leafHash: toBase64(e.leafHash) } : { seq: e.seq, event: e.event }));
  const bundle: AuditBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    origin: src.origin,
    exportedAt: (src.exportedAt ?? new Date()).toISOString(),
    keys: src.keys.map(formatVerifierKey),
    checkpoints: [...src.checkpoints],
    events,
  };
  if (!wantsProofs || !src.tree) return bundle;
  const tree = src.tree;
  // Exporter side: checkpoints come from our own store, so reading their sizes unverified is fine.
  const sizes = [...new Set(src.checkpoints.map((n) => parseCheckpoint(parseNote(n).text).size))].filter((s) => s > 0).sort((a, b) => a - b);
  const consistency = src.consistencyProofs
    ? sizes.slice(1).map((size2, i) => ({ size1: sizes[i]!, size2, hashes: tree.consistencyProof(sizes[i]!, size2).map(toBase64) }))
    : undefined;
  const inclusion = src.inclusionProofs?.map(({ seq, treeSize }) => ({ seq, treeSize, hashes: tree.inclusionProof(seq, treeSize).map(toBase64) }));
  return { ...bundle, proofs: { ...(consistency && { consistency }), ...(inclusion && { inclusion }) } };
}
