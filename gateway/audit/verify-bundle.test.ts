import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../channel';
import { toBase64 } from './base64';
import { signCheckpoint } from './checkpoint';
import { auditEventLeafHash } from './event';
import { createNoteSigner, formatVerifierKey } from './note-key';
import { buildTestBundle, mutable, TEST_ORIGIN, testEvent, testSigner } from './test-log';
import { verifyBundle } from './verify-bundle';

const trustedKeys = [testSigner.key];
const N = 40;
const K = 17; // the entry the attacker touches
// Checkpoints per batch of 8, and a second log checkpointed after every event.
const batched = buildTestBundle(N, 8).bundle;
const dense = buildTestBundle(N, 1).bundle;

/** Re-numbers entries and recomputes stored hashes: an attacker covering their tracks. */
function renumber(events: any[]): any[] {
  return events.map((e, i) => ({ ...e, seq: i, leafHash: toBase64(auditEventLeafHash(e.event)) }));
}

describe('verifyBundle: an intact log', () => {
  it('is valid, fully covered, signed by the pinned key', () => {
    const r = verifyBundle(batched, { trustedKeys });
    expect(r).toMatchObject({ valid: true, eventCount: N, checkpointCount: 5, verifiedSize: N, uncovered: 0, keysFromBundle: false });
    expect(r.problems).toEqual([]);
    expect(r.signers).toHaveLength(1);
  });

  it('counts events appended after the last checkpoint as uncovered, not bad', () => {
    const b = mutable(batched);
    b.checkpoints.pop();
    expect(verifyBundle(b, { trustedKeys })).toMatchObject({ valid: true, verifiedSize: 32, uncovered: 8 });
  });

  it('falls back to the bundle’s own keys and says so', () => {
    expect(verifyBundle(batched)).toMatchObject({ valid: true, keysFromBundle: true });
  });
});

describe('verifyBundle: tampering is detected and located', () => {
  it('an edited event (stored hash left alone) is named exactly', () => {
    const b = mutable(batched);
    b.events[K].event.decision = 'allow-everything';
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'leaf_hash_mismatch', seq: K });
  });

  it('an edited event with a recomputed hash is located by the signed roots', () => {
    for (const [bundle, range] of [[batched, [16, 24]], [dense, [K, K + 1]]] as const) {
      const b = mutable(bundle);
      b.events[K].event.time = '2020-01-01T00:00:00.000Z';
      b.events[K].leafHash = toBase64(auditEventLeafHash(b.events[K].event));
      expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'root_mismatch', seq: range[0], range });
    }
  });

  it('a deleted event is named exactly, and still when the rest is renumbered', () => {
    const b = mutable(batched);
    b.events.splice(K, 1);
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'sequence_mismatch', seq: K });
    const d = mutable(dense);
    d.events = renumber(d.events.filter((_: unknown, i: number) => i !== K));
    expect(verifyBundle(d, { trustedKeys }).firstBad).toMatchObject({ kind: 'root_mismatch', seq: K, range: [K, K + 1] });
  });

  it('an inserted event is named exactly, and still when the rest is renumbered', () => {
    const forged = { seq: K, event: { ...testEvent(K), action: 'policy/disable' } };
    const b = mutable(batched);
    b.events.splice(K, 0, { ...forged, leafHash: toBase64(auditEventLeafHash(forged.event)) });
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'sequence_mismatch', seq: K + 1 });
    const d = mutable(dense);
    d.events.splice(K, 0, forged);
    d.events = renumber(d.events);
    expect(verifyBundle(d, { trustedKeys }).firstBad).toMatchObject({ kind: 'root_mismatch', seq: K, range: [K, K + 1] });
  });

  it('reordered events are named exactly', () => {
    const b = mutable(batched);
    [b.events[K], b.events[K + 1]] = [b.events[K + 1], b.events[K]];
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'sequence_mismatch', seq: K });
    // Contents swapped under unchanged sequence numbers and stored hashes.
    const c = mutable(batched);
    [c.events[K].event, c.events[K + 1].event] = [c.events[K + 1].event, c.events[K].event];
    expect(verifyBundle(c, { trustedKeys }).firstBad).toMatchObject({ kind: 'leaf_hash_mismatch', seq: K });
    const d = mutable(dense);
    [d.events[K], d.events[K + 1]] = [d.events[K + 1], d.events[K]];
    d.events = renumber(d.events);
    expect(verifyBundle(d, { trustedKeys }).firstBad).toMatchObject({ kind: 'root_mismatch', seq: K });
  });

  it('a truncated tail is named from the first missing entry', () => {
    const b = mutable(batched);
    b.events.length = N - 3;
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'missing_events', seq: N - 3 });
  });

  it('a field added beside an event, outside what is signed, is refused and named', () => {
    const b = mutable(batched);
    b.events[K] = { ...b.events[K], approvedBy: 'the CFO' };
    const r = verifyBundle(b, { trustedKeys });
    expect(r.valid).toBe(false);
    expect(r.firstBad).toMatchObject({ kind: 'malformed_event', seq: K });
    expect(r.firstBad?.message).toMatch(/entry 17 carries "approvedBy" outside its event: no checkpoint covers it/);
  });

  it('an altered checkpoint fails its signature', () => {
    const b = mutable(batched);
    b.checkpoints[2] = b.checkpoints[2].replace(`\n24\n`, `\n23\n`);
    const r = verifyBundle(b, { trustedKeys });
    expect(r.valid).toBe(false);
    expect(r.firstBad).toMatchObject({ kind: 'bad_checkpoint', checkpoint: 2 });
    expect(r.firstBad?.message).toMatch(/does not verify/);
  });

  it('a checkpoint forged with another key is refused when the gateway key is pinned', () => {
    const mallory = createNoteSigner(TEST_ORIGIN, generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(66) }));
    const b = mutable(batched);
    b.events[K].event.decision = 'deny';
    b.events = renumber(b.events);
    // Mallory re-signs a checkpoint over the rewritten history and ships her key in the bundle.
    b.keys = [formatVerifierKey(mallory.key)];
    b.checkpoints = [signCheckpoint({ origin: TEST_ORIGIN, size: 8, rootHash: new Uint8Array(32) }, [mallory])];
    const r = verifyBundle(b, { trustedKeys });
    expect(r.firstBad).toMatchObject({ kind: 'bad_checkpoint', checkpoint: 0 });
    expect(r.firstBad?.message).toMatch(/no signature on the note is from a trusted key/);
    // Unpinned, the bundle's own (Mallory's) key is believed: the result must say so.
    expect(verifyBundle(b)).toMatchObject({ keysFromBundle: true });
  });

  it('two signed roots for one size are a fork', () => {
    const b = mutable(batched);
    b.checkpoints.push(signCheckpoint({ origin: TEST_ORIGIN, size: 16, rootHash: new Uint8Array(32) }, [testSigner]));
    const kinds = verifyBundle(b, { trustedKeys }).problems.map((p) => p.kind);
    expect(kinds).toContain('checkpoint_fork');
  });

  it('a malformed bundle or entry is reported, never thrown', () => {
    expect(verifyBundle({ format: 'other' }).firstBad).toMatchObject({ kind: 'malformed_bundle' });
    expect(verifyBundle({ ...batched, version: 2 }).firstBad?.message).toMatch(/version 2 is not supported/);
    const b = mutable(batched);
    b.events[3] = { seq: 3, event: 'text' };
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'malformed_event', seq: 3 });
  });

  it('events with no checkpoint at all are not vouched for', () => {
    const b = mutable(batched);
    b.checkpoints = [];
    expect(verifyBundle(b, { trustedKeys }).firstBad).toMatchObject({ kind: 'no_checkpoint' });
  });
});

describe('verifyBundle: optional proofs', () => {
  const { bundle } = buildTestBundle(N, 8, { consistencyProofs: true, inclusionProofs: [{ seq: 5, treeSize: 40 }, { seq: 33, treeSize: 40 }] });

  it('verifies consistency and inclusion proofs', () => {
    expect(bundle.proofs?.consistency).toHaveLength(4);
    expect(verifyBundle(bundle, { trustedKeys })).toMatchObject({ valid: true });
  });

  it('rejects an altered proof', () => {
    const b = mutable(bundle);
    b.proofs.consistency[1].hashes[0] = toBase64(new Uint8Array(32));
    b.proofs.inclusion[1].hashes.reverse();
    const kinds = verifyBundle(b, { trustedKeys }).problems.map((p) => [p.kind, p.seq]);
    expect(kinds).toEqual([['bad_proof', undefined], ['bad_proof', 33]]);
  });
});
