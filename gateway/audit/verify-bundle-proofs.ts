/**
 * Checks the optional proofs of a bundle against its verified checkpoints: consistency proofs
 * (RFC 9162 §2.1.4) let an auditor who kept an older checkpoint trust a newer one without the
 * events; inclusion proofs (§2.1.3) tie single events to a checkpoint.
 */
import { fromBase64 } from './base64';
import type { AuditBundle } from './bundle';
import type { MerkleTree } from './merkle-tree';
import type { AuditProblem } from './verify-bundle';
import { verifyConsistency, verifyInclusion } from './verify-proof';

/** A checkpoint whose signature verified: its position in the bundle, size and root. */
export interface SignedRoot {
  readonly index: number;
  readonly size: number;
  readonly root: Uint8Array;
}

function decode(hashes: readonly string[]): Uint8Array[] | null {
  try {
    return hashes.map((h) => fromBase64(h, 'proof hash'));
  } catch {
    return null;
  }
}

/** Appends a problem for every proof that does not verify. */
export function verifyBundleProofs(bundle: AuditBundle, roots: readonly SignedRoot[], tree: MerkleTree, problems: AuditProblem[]): void {
  const rootAt = new Map(roots.map((r) => [r.size, r.root]));
  bundle.proofs?.consistency?.forEach((p, i) => {
    const [r1, r2, hashes] = [rootAt.get(p.size1), rootAt.get(p.size2), decode(p.hashes)];
    if (!r1 || !r2) problems.push({ kind: 'bad_proof', message: `consistency proof ${i} refers to a size without a verified checkpoint` });
    else if (!hashes || !verifyConsistency(p.size1, p.size2, r1, r2, hashes)) {
      problems.push({ kind: 'bad_proof', message: `consistency proof ${i} (${p.size1} -> ${p.size2}) does not verify: the checkpoints are not one append-only history` });
    }
  });
  bundle.proofs?.inclusion?.forEach((p, i) => {
    const [root, hashes] = [rootAt.get(p.treeSize), decode(p.hashes)];
    const known = p.seq >= 0 && p.seq < tree.size;
    if (!root || !known) problems.push({ kind: 'bad_proof', message: `inclusion proof ${i} refers to an event or checkpoint not in the bundle` });
    else if (!hashes || !verifyInclusion(tree.leafHash(p.seq), p.seq, p.treeSize, hashes, root)) {
      problems.push({ kind: 'bad_proof', seq: p.seq, message: `event ${p.seq} is not in checkpoint of size ${p.treeSize} by its inclusion proof` });
    }
  });
}
