/**
 * A growable array of 32-byte hashes in one contiguous buffer: a million leaves cost 32 MB and
 * one object, not a million small arrays for the garbage collector to trace.
 */
import { HASH_SIZE } from './merkle-hash';

/** Append-only list of fixed-size hashes. */
export class HashStore {
  private bytes = new Uint8Array(HASH_SIZE * 64);
  private count = 0;

  /** Number of hashes stored. */
  get length(): number {
    return this.count;
  }

  /** Appends one hash (copied). */
  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_SIZE > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.count * HASH_SIZE);
    this.count++;
  }

  /** A view of hash `i`: stored hashes are never rewritten, but callers must not mutate it. */
  view(i: number): Uint8Array {
    return this.bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}
