import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../crypto';
import vectors from './vectors/rfc6962-tree.json';
import { MerkleFrontier } from './frontier';
import { emptyRoot, hashChildren, hashLeaf } from './merkle-hash';
import { MerkleTree } from './merkle-tree';

const leaves = vectors.leafInputs.map(fromHex);

describe('RFC 6962 / 9162 tree hashes (transparency-dev vectors)', () => {
  it('hashes the empty tree and leaves as specified', () => {
    expect(toHex(emptyRoot())).toBe(vectors.rootHashes[0]);
    for (const v of vectors.leafHashes) expect(toHex(hashLeaf(fromHex(v.input)))).toBe(v.hash);
  });

  it('gives the published root at every size 0..8', () => {
    const tree = new MerkleTree();
    tree.appendLeaves(leaves);
    vectors.rootHashes.forEach((root, size) => expect(toHex(tree.root(size))).toBe(root));
  });

  it('stores every complete subtree hash', () => {
    const tree = new MerkleTree();
    tree.appendLeaves(leaves);
    vectors.nodeHashes[0]!.forEach((h, i) => expect(toHex(tree.leafHash(i))).toBe(h));
    // The level-k node i is the root of the 2^k leaves from i·2^k, recomputed independently.
    vectors.nodeHashes.forEach((level, k) =>
      level.forEach((h, i) => expect(toHex(MerkleTree.fromLeafHashes(leaves.slice(i * 2 ** k, (i + 1) * 2 ** k).map(hashLeaf)).root())).toBe(h)),
    );
  });

  it('keeps the frontier the appender persists in step with the full tree', () => {
    const tree = new MerkleTree();
    const frontier = MerkleFrontier.empty();
    for (let size = 0; size <= 70; size++) {
      expect(toHex(frontier.root())).toBe(toHex(tree.root()));
      expect(frontier.toJSON()).toEqual(tree.frontier().toJSON());
      // What the app does between batches: persist, restore, continue.
      const restored = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(frontier.toJSON())));
      expect(toHex(restored.root())).toBe(toHex(frontier.root()));
      const leaf = hashLeaf(Uint8Array.of(size));
      tree.appendLeafHash(leaf);
      frontier.append(leaf);
    }
    expect(toHex(tree.frontier(5).root())).toBe(toHex(tree.root(5)));
  });

  it('refuses wrong-sized hashes, sizes and frontiers', () => {
    const tree = new MerkleTree();
    expect(() => tree.appendLeafHash(new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => tree.root(1)).toThrow(/exceeds/);
    expect(() => tree.root(-1)).toThrow(/non-negative/);
    expect(() => hashChildren(new Uint8Array(32), new Uint8Array(33))).toThrow(/32 bytes/);
    expect(() => MerkleFrontier.from({ size: 3, hashes: [new Uint8Array(32)] })).toThrow(/2 hashes/);
    tree.appendLeaves([Uint8Array.of(1)]);
    expect(() => tree.inclusionProof(1)).toThrow(/not below/);
    expect(() => tree.consistencyProof(0, 1)).toThrow(/0 < size1/);
  });
});
