/**
 * An in-memory RFC 9162 Merkle tree that grows by appending: it keeps every complete subtree
 * hash (2n hashes in all), so the root at any past size and the inclusion and consistency
 * proofs of RFC 9162 §2.1.3.1 and §2.1.4.1 cost O(log n) hashes each.
 */
import { GatewayError } from '../errors';
import { HashStore } from './hash-store';
import { emptyRoot, hashChildren, hashLeaf, HASH_SIZE } from './merkle-hash';
import { assertBytes } from '../crypto';
import { MerkleFrontier } from './frontier';
import { assertSize, isPowerOfTwo, splitPoint } from './tree-math';

/** Append-only Merkle tree over leaf hashes. */
export class MerkleTree {
  /** levels[k][i] = hash of the complete subtree of 2^k leaves starting at leaf i·2^k. */
  private readonly levels: HashStore[] = [new HashStore()];

  /** Builds a tree from stored leaf hashes (for example the `leafHash` column, in order). */
  static fromLeafHashes(leafHashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const h of leafHashes) tree.appendLeafHash(h);
    return tree;
  }

  /** Number of leaves. */
  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends one leaf by its hash (RFC 9162 leaf hash: SHA-256(0x00 || data)); returns the new size. */
  appendLeafHash(leafHash: Uint8Array): number {
    assertBytes(leafHash, HASH_SIZE, 'leaf hash');
    this.levels[0]!.push(leafHash);
    // Each odd index completes a subtree one level up: carry it like a binary counter.
    let i = this.size - 1;
    for (let k = 0; i & 1; k++, i >>>= 1) {
      const level = this.levels[k]!;
      const parent = hashChildren(level.view(i - 1), level.view(i));
      (this.levels[k + 1] ??= new HashStore()).push(parent);
    }
    return this.size;
  }

  /** Appends leaves by their hashes, in order; returns the new size. */
  appendLeafHashes(leafHashes: Iterable<Uint8Array>): number {
    for (const h of leafHashes) this.appendLeafHash(h);
    return this.size;
  }

  /** Appends leaves by their data (each hashed as an RFC 9162 leaf); returns the new size. */
  appendLeaves(leaves: Iterable<Uint8Array>): number {
    for (const d of leaves) this.appendLeafHash(hashLeaf(d));
    return this.size;
  }

  /** The stored hash of leaf `index`. */
  leafHash(index: number): Uint8Array {
    this.checkIndex(index, this.size);
    return this.levels[0]!.view(index).slice();
  }

  /** MTH(D[0:size]) — the root at any size up to the current one (RFC 9162 §2.1.1). */
  root(size: number = this.size): Uint8Array {
    this.checkSize(size);
    return size === 0 ? emptyRoot() : this.subtree(0, size).slice();
  }

  /** The compact range [0, size): what an appender must keep to continue from `size`. */
  frontier(size: number = this.size): MerkleFrontier {
    this.checkSize(size);
    const hashes: Uint8Array[] = [];
    let begin = 0;
    for (let k = 52; k >= 0; k--) {
      const width = 2 ** k;
      if (Math.floor(size / width) % 2 === 1) {
        hashes.push(this.levels[k]!.view(begin / width).slice());
        begin += width;
      }
    }
    return MerkleFrontier.from({ size, hashes });
  }

  /** PATH(index, D[0:size]): the audit path of RFC 9162 §2.1.3.1, leaf-side first. */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.checkSize(size);
    this.checkIndex(index, size);
    const proof: Uint8Array[] = [];
    this.path(index, 0, size, proof);
    return proof.map((h) => h.slice());
  }

  /** PROOF(size1, D[0:size2]) of RFC 9162 §2.1.4.1; empty when the sizes are equal. */
  consistencyProof(size1: number, size2: number = this.size): Uint8Array[] {
    this.checkSize(size2);
    assertSize(size1, 'size1');
    if (size1 < 1 || size1 > size2) throw new GatewayError('invalid_argument', `consistency proof needs 0 < size1 <= size2, got ${size1} and ${size2}`);
    const proof: Uint8Array[] = [];
    if (size1 < size2) this.subproof(size1, 0, size2, true, proof);
    return proof.map((h) => h.slice());
  }

  /** MTH(D[begin:end]) where begin is aligned as RFC 9162's recursion keeps it (a view). */
  private subtree(begin: number, end: number): Uint8Array {
    const n = end - begin;
    if (isPowerOfTwo(n) && begin % n === 0) return this.levels[Math.log2(n)]!.view(begin / n);
    const k = splitPoint(n);
    return hashChildren(this.subtree(begin, begin + k), this.subtree(begin + k, end));
  }

  private path(m: number, begin: number, end: number, out: Uint8Array[]): void {
    const n = end - begin;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m - begin < k) {
      this.path(m, begin, begin + k, out);
      out.push(this.subtree(begin + k, end));
    } else {
      this.path(m, begin + k, end, out);
      out.push(this.subtree(begin, begin + k));
    }
  }

  /** SUBPROOF(m, D[begin:end], b) with m counted from begin. */
  private subproof(m: number, begin: number, end: number, complete: boolean, out: Uint8Array[]): void {
    const n = end - begin;
    if (m === n) {
      if (!complete) out.push(this.subtree(begin, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, begin, begin + k, complete, out);
      out.push(this.subtree(begin + k, end));
    } else {
      this.subproof(m - k, begin + k, end, false, out);
      out.push(this.subtree(begin, begin + k));
    }
  }

  private checkSize(size: number): void {
    assertSize(size, 'tree size');
    if (size > this.size) throw new GatewayError('invalid_argument', `tree size ${size} exceeds the ${this.size} leaves appended`);
  }

  private checkIndex(index: number, size: number): void {
    assertSize(index, 'leaf index');
    if (index >= size) throw new GatewayError('invalid_argument', `leaf index ${index} is not below tree size ${size}`);
  }
}
