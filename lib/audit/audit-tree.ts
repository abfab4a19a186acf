import { MerkleTree } from '@/gateway/audit';
import type { PrismaClient } from '../db';
import { readLeafHashes } from './audit-log-state';

interface Cached {
  tree: MerkleTree;
  busy: Promise<unknown>;
}

const trees = new WeakMap<object, Cached>();

/**
 * The tree over the stored leaf hashes of at least the first `size` events, for proofs: kept
 * per process and extended with the events appended since (the log only grows), so a proof
 * costs a read of the new leaf hashes, not of all of them. Proofs are always checked against a
 * signed checkpoint, and the event's own fields are rehashed, so a cache older than an edit
 * still shows the edit. "Verify now" never uses this cache.
 */
export function auditTree(client: PrismaClient, size: number): Promise<MerkleTree> {
  let cached = trees.get(client);
  if (!cached) {
    cached = { tree: new MerkleTree(), busy: Promise.resolve() };
    trees.set(client, cached);
  }
  const c = cached;
  const run = c.busy.then(async () => {
    if (c.tree.size < size) for await (const page of readLeafHashes(client, c.tree.size, size)) c.tree.appendLeafHashes(page);
    return c.tree;
  });
  c.busy = run.catch(() => undefined);
  return run;
}
