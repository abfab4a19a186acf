/**
 * The compact range [0, n) of an RFC 9162 tree: the hashes of the complete subtrees along its
 * right edge, one per set bit of n, largest first. It is all an appender needs to keep between
 * batches (O(log n) hashes) to extend the tree and compute the next root without rereading
 * earlier leaves.
 */
import { assertBytes } from '../crypto';
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { emptyRoot, hashChildren, HASH_SIZE } from './merkle-hash';
import { assertSize } from './tree-math';

/** A frontier as plain data: what the app persists between appends. */
export interface FrontierState {
  readonly size: number;
  /** Complete-subtree hashes, largest (leftmost) first; as many as set bits in `size`. */
  readonly hashes: readonly Uint8Array[];
}

/** JSON form of a frontier (hashes in standard base64). */
export interface FrontierJson {
  readonly size: number;
  readonly hashes: readonly string[];
}

function popcount(n: number): number {
  let c = 0;
  for (; n > 0; n = Math.floor(n / 2)) c += n % 2;
  return c;
}

/** The right edge of a growing tree; append leaf hashes, read the root at the current size. */
export class MerkleFrontier {
  private readonly stack: Uint8Array[];
  private count: number;

  private constructor(size: number, hashes: Uint8Array[]) {
    this.count = size;
    this.stack = hashes;
  }

  /** The frontier of the empty tree. */
  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /**
   * Restores a persisted frontier.
   * @throws GatewayError `invalid_argument` when the hash count does not match the size.
   */
  static from(state: FrontierState): MerkleFrontier {
    const size = assertSize(state?.size, 'frontier size');
    if (!Array.isArray(state.hashes) || state.hashes.length !== popcount(size)) {
      throw new GatewayError('invalid_argument', `a frontier of size ${size} has ${popcount(size)} hashes`);
    }
    return new MerkleFrontier(size, state.hashes.map((h, i) => assertBytes(h, HASH_SIZE, `frontier hash ${i}`).slice()));
  }

  /** Restores a frontier from its JSON form. */
  static fromJSON(json: FrontierJson): MerkleFrontier {
    if (!json || !Array.isArray(json.hashes)) throw new GatewayError('invalid_argument', 'frontier JSON needs size and hashes');
    return MerkleFrontier.from({ size: json.size, hashes: json.hashes.map((h, i) => fromBase64(h, `frontier hash ${i}`)) });
  }

  /** Number of leaves covered. */
  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash: merges equal-sized subtrees like a binary counter's carry. */
  append(leafHash: Uint8Array): number {
    let h = assertBytes(leafHash, HASH_SIZE, 'leaf hash');
    for (let n = this.count; n % 2 === 1; n = Math.floor(n / 2)) h = hashChildren(this.stack.pop()!, h);
    this.stack.push(h.slice());
    return ++this.count;
  }

  /** Appends leaf hashes in order; returns the new size. */
  appendAll(leafHashes: Iterable<Uint8Array>): number {
    for (const h of leafHashes) this.append(h);
    return this.count;
  }

  /** MTH of the covered leaves: the subtree hashes folded right to left (RFC 9162 §2.1.1). */
  root(): Uint8Array {
    if (this.stack.length === 0) return emptyRoot();
    let r = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i--) r = hashChildren(this.stack[i]!, r);
    return r.slice();
  }

  /** A copy as plain data. */
  toState(): FrontierState {
    return { size: this.count, hashes: this.stack.map((h) => h.slice()) };
  }

  /** JSON form, for a database column. */
  toJSON(): FrontierJson {
    return { size: this.count, hashes: this.stack.map(toBase64) };
  }

  /** An independent copy. */
  clone(): MerkleFrontier {
    return MerkleFrontier.from(this.toState());
  }
}
