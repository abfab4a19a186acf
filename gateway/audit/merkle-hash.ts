/**
 * RFC 9162 §2.1.1 hashing with SHA-256 (through `gateway/crypto`, the only place primitives live):
 * leaves and interior nodes get different one-byte prefixes so that a leaf can never be passed off
 * as a node (second-preimage resistance).
 */
import { assertBytes, getCryptoProvider, type Hash } from '../crypto';

/** Size of every tree hash (SHA-256). */
export const HASH_SIZE = 32;

let sha256: Hash | undefined;
function hasher(): Hash {
  // Resolved once: the provider is chosen at start-up and hashing is on the hot path.
  sha256 ??= getCryptoProvider().hash('SHA-256');
  return sha256;
}

/** MTH({}) = SHA-256() — the root of the empty tree (RFC 9162 §2.1.1). */
export function emptyRoot(): Uint8Array {
  return hasher().digest(new Uint8Array(0));
}

/** MTH({d0}) = SHA-256(0x00 || d0): the hash of one leaf's data. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  assertBytes(data, undefined, 'leaf data');
  const buf = new Uint8Array(data.length + 1);
  buf.set(data, 1);
  return hasher().digest(buf);
}

// Interior nodes are always 1 + 32 + 32 bytes; reuse one buffer (digest is synchronous).
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 1;

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertBytes(left, HASH_SIZE, 'left hash');
  assertBytes(right, HASH_SIZE, 'right hash');
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hasher().digest(nodeInput);
}
