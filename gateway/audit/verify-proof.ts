/**
 * Verifiers for RFC 9162 proofs (§2.1.3.2 inclusion, §2.1.4.2 consistency). They take untrusted
 * data, so they return false for anything malformed — wrong hash lengths, sizes beyond 2^53,
 * indexes out of range — rather than throwing.
 */
import { assertBytes, equalBytes } from '../crypto';
import { hashChildren, HASH_SIZE } from './merkle-hash';
import { isPowerOfTwo } from './tree-math';

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function wellFormed(hashes: readonly Uint8Array[]): boolean {
  return Array.isArray(hashes) && hashes.every((h) => h instanceof Uint8Array && h.length === HASH_SIZE);
}

/**
 * The root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1–4), or null when the proof
 * has the wrong shape for `index` and `treeSize`.
 */
export function rootFromInclusionProof(leafHash: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[]): Uint8Array | null {
  assertBytes(leafHash, undefined, 'leaf hash');
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return null;
  if (leafHash.length !== HASH_SIZE || !wellFormed(proof)) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      // A right-edge node without a sibling at this level: climb until fn is a right child.
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? r : null;
}

/** True when `proof` shows `leafHash` at `index` in the tree of `treeSize` leaves with `root`. */
export function verifyInclusion(leafHash: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  assertBytes(root, undefined, 'root');
  const r = rootFromInclusionProof(leafHash, index, treeSize, proof);
  return r !== null && root.length === HASH_SIZE && equalBytes(r, root);
}

/**
 * True when `proof` shows the tree of `size2` leaves (root2) extends the tree of `size1` leaves
 * (root1). Equal sizes need an empty proof and equal roots; size1 = 0 is refused, as a proof from
 * the empty tree proves nothing (the transparency-dev vectors expect the same).
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): boolean {
  assertBytes(root1, undefined, 'root1');
  assertBytes(root2, undefined, 'root2');
  if (!isSize(size1) || !isSize(size2) || size1 === 0 || size1 > size2) return false;
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || !wellFormed(proof)) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  if (proof.length === 0) return false;
  // §2.1.4.2 step 2: when size1 is a power of two, the old root is itself the first node.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [(fn - 1) / 2, Math.floor(sn / 2)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}
