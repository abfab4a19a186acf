import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashLeaf } from './merkle-hash';
import { MerkleTree } from './merkle-tree';
import { verifyConsistency, verifyInclusion } from './verify-proof';

// One tree shared by every run: proofs at any size come from its prefix.
const MAX = 300;
const tree = new MerkleTree();
for (let i = 0; i < MAX; i++) tree.appendLeafHash(hashLeaf(new TextEncoder().encode(`event ${i}`)));

/** A copy of `hashes` with one bit of one byte flipped (the byte chosen by `pick`). */
function flip(hashes: readonly Uint8Array[], pick: number, bit: number): Uint8Array[] {
  const out = hashes.map((h) => h.slice());
  const total = out.length * 32;
  const at = pick % total;
  out[Math.floor(at / 32)]![at % 32]! ^= 1 << bit;
  return out;
}

const sizeAndIndex = fc.integer({ min: 1, max: MAX }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
const twoSizes = fc.tuple(fc.integer({ min: 1, max: MAX }), fc.integer({ min: 1, max: MAX })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  it('verify for every leaf of random sizes', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([size, index]) => {
        expect(verifyInclusion(tree.leafHash(index), index, size, tree.inclusionProof(index, size), tree.root(size))).toBe(true);
      }),
    );
  });

  it('fail when any byte of the proof, leaf or root changes, or the index moves', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.integer({ min: 0, max: 7 }), ([size, index], pick, bit) => {
        const proof = tree.inclusionProof(index, size);
        const leaf = tree.leafHash(index);
        const root = tree.root(size);
        if (proof.length > 0) expect(verifyInclusion(leaf, index, size, flip(proof, pick, bit), root)).toBe(false);
        expect(verifyInclusion(flip([leaf], pick, bit)[0]!, index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flip([root], pick, bit)[0]!)).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, leaf], root)).toBe(false);
      }),
    );
  });
});

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  it('verify between any two sizes', () => {
    fc.assert(
      fc.property(twoSizes, ([m, n]) => {
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), tree.consistencyProof(m, n))).toBe(true);
      }),
    );
  });

  it('fail when any byte of the proof or either root changes', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), fc.integer({ min: 0, max: 7 }), ([m, n], pick, bit) => {
        const proof = tree.consistencyProof(m, n);
        const [r1, r2] = [tree.root(m), tree.root(n)];
        if (proof.length > 0) expect(verifyConsistency(m, n, r1, r2, flip(proof, pick, bit))).toBe(false);
        expect(verifyConsistency(m, n, flip([r1], pick, bit)[0]!, r2, proof)).toBe(false);
        expect(verifyConsistency(m, n, r1, flip([r2], pick, bit)[0]!, proof)).toBe(false);
        if (m < n) expect(verifyConsistency(m, n, r1, r2, proof.slice(1))).toBe(false);
      }),
    );
  });
});
