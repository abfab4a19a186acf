import { describe, expect, it } from 'vitest';
import { fromBase64 } from './base64';
import consistency from './vectors/consistency.json';
import inclusion from './vectors/inclusion.json';
import { verifyConsistency, verifyInclusion } from './verify-proof';

// Upstream files may hold non-canonical or empty base64 ("" for a missing hash); decode leniently
// so that the verifier, not the decoder, is what rejects them.
const b64 = (s: string | null) => new Uint8Array(Buffer.from(s ?? '', 'base64'));
const hashes = (p: readonly string[] | null) => (p ?? []).map(b64);

describe('RFC 9162 §2.1.3.2 inclusion verification (transparency-dev testdata)', () => {
  it.each(inclusion.cases.map((c) => [c.source, c] as const))('%s', (_, c) => {
    expect(verifyInclusion(b64(c.leafHash), c.leafIdx, c.treeSize, hashes(c.proof), b64(c.root))).toBe(!c.wantErr);
  });
});

// One deliberate deviation: upstream accepts equal sizes with equal roots of any length; we also
// require 32-byte roots, since a root of another length cannot come from a SHA-256 tree.
const STRICTER: Record<string, true> = { 'testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json': true };

describe('RFC 9162 §2.1.4.2 consistency verification (transparency-dev testdata)', () => {
  it.each(consistency.cases.map((c) => [c.source, c] as const))('%s', (_, c) => {
    expect(verifyConsistency(c.size1, c.size2, b64(c.root1), b64(c.root2), hashes(c.proof))).toBe(!c.wantErr && !STRICTER[c.source]);
  });

  it('decodes vector hashes strictly where they are canonical', () => {
    expect(fromBase64(consistency.cases[1]!.root2!)).toHaveLength(32);
  });
});
