// Tests of gateway/cli/audit.ts (kept here, beside the module it drives).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/audit';
import { toBase64Url } from '../crypto';
import { addCosignatures, createCosigner, formatCosignerKey } from './cosignature';
import { formatNote, parseNote } from './note';
import { formatVerifierKey } from './note-key';
import { buildTestBundle, mutable, testEvent, testKey, testSigner } from './test-log';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-audit-'));
const { bundle } = buildTestBundle(20, 5);
const good = join(dir, 'good.json');
writeFileSync(good, JSON.stringify(bundle));
const edited = mutable(bundle);
edited.events[12].event.decision = 'deny';
const bad = join(dir, 'bad.json');
writeFileSync(bad, JSON.stringify(edited));
const vkey = formatVerifierKey(testSigner.key);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pqgate audit verify', () => {
  it('exits 0 on an intact bundle with the key pinned as a vkey, base64url or key file', async () => {
    const keyFile = join(dir, 'gateway-key.json');
    writeFileSync(keyFile, JSON.stringify({ algorithm: 'ML-DSA-65', publicKey: toBase64Url(testKey.publicKey) }));
    for (const key of [vkey, toBase64Url(testKey.publicKey), keyFile]) {
      const r = await run('verify', good, '--key', key);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/VALID/);
      expect(r.out).toMatch(/pinned with --key/);
    }
  });

  it('exits 1 and names the first bad entry', async () => {
    const r = await run('audit', 'verify', bad, '--key', vkey);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/TAMPERED: first bad entry 12 \[leaf_hash_mismatch\]/);
  });

  it('warns when no key is pinned', async () => {
    const r = await run('verify', good);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/pin the gateway key with --key/);
  });

  it('prints JSON on request', async () => {
    const r = await run('verify', bad, '--key', vkey, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ valid: false, firstBad: { seq: 12 } });
  });

  it('exits 2 on bad usage', async () => {
    const notJson = join(dir, 'x.txt');
    writeFileSync(notJson, 'hello');
    for (const argv of [[], ['frobnicate'], ['verify'], ['verify', join(dir, 'missing.json')], ['verify', notJson], ['verify', good, '--key', 'AAAA'], ['verify', good, '--bogus']]) {
      expect((await run(...argv)).code).toBe(2);
    }
  });
});

describe('pqgate audit verify --since (a checkpoint saved from an earlier audit)', () => {
  // The auditor's earlier audit: 30 events, its newest checkpoint saved.
  const earlier = buildTestBundle(30, 5).bundle;
  const earlierFile = join(dir, 'earlier.json');
  writeFileSync(earlierFile, JSON.stringify(earlier));
  const saved = join(dir, 'saved.checkpoint');
  writeFileSync(saved, earlier.checkpoints.at(-1)!);
  const write = (name: string, b: unknown) => (writeFileSync(join(dir, name), JSON.stringify(b)), join(dir, name));

  it('accepts a later bundle that extends the saved checkpoint, and saves its newest checkpoint', async () => {
    const later = write('later.json', buildTestBundle(45, 5).bundle);
    const next = join(dir, 'next.checkpoint');
    const r = await run('verify', later, '--key', vkey, '--since', saved, '--save-checkpoint', next);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/saved checkpoint of size 30: extended consistently to 45/);
    expect((await run('verify', later, '--key', vkey, '--since', next)).code).toBe(0);
  });

  it('fails on a rolled-back log (tail deleted, re-signed) and names the sizes before and after', async () => {
    // What the database writer leaves behind: 22 events, every checkpoint re-signed by the gateway.
    const rolledBack = write('rolled-back.json', buildTestBundle(22, 5).bundle);
    expect((await run('verify', rolledBack, '--key', vkey)).code).toBe(0);
    const r = await run('verify', rolledBack, '--key', vkey, '--since', saved);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/TAMPERED: first bad entry 22 \[rollback\]: ROLLED BACK: the saved checkpoint covers 30 events, the bundle's newest checkpoint only 22: events 22\.\.29 were removed/);
    // Rolled back and then grown past the saved size again: a rewrite of the old range.
    const regrown = write('regrown.json', buildTestBundle(40, 5, {}, (i) => (i >= 22 ? { ...testEvent(i), actorId: 'after-rollback' } : testEvent(i))).bundle);
    const r2 = await run('verify', regrown, '--key', vkey, '--since', saved);
    expect(r2.code).toBe(1);
    expect(r2.out).toMatch(/\[history_rewritten\]: REWRITTEN: the bundle's checkpoint of size 40 is not an extension of the saved checkpoint of size 30/);
  });

  it('fails on an edited event with recomputed hashes, and locates it given the earlier bundle', async () => {
    const edited = write('rewritten.json', buildTestBundle(45, 5, {}, (i) => (i === 17 ? { ...testEvent(i), decision: 'allow', actorId: 'mallory' } : testEvent(i))).bundle);
    expect((await run('verify', edited, '--key', vkey)).code).toBe(0);
    const withCheckpoint = await run('verify', edited, '--key', vkey, '--since', saved);
    expect(withCheckpoint.code).toBe(1);
    expect(withCheckpoint.out).toMatch(/events 0\.\.29 were altered/);
    const withBundle = await run('verify', edited, '--key', vkey, '--since', earlierFile, '--json');
    expect(withBundle.code).toBe(1);
    expect(JSON.parse(withBundle.out)).toMatchObject({ valid: false, firstBad: { kind: 'history_rewritten', seq: 17 }, since: { size: 30, consistent: false } });
  });

  it('refuses a saved checkpoint that no pinned key signed', async () => {
    const forged = join(dir, 'forged.checkpoint');
    writeFileSync(forged, earlier.checkpoints.at(-1)!.replace(/— (\S+) (\S+)\n$/, (_m, n: string, s: string) => `— ${n} ${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}\n`));
    const r = await run('verify', good, '--key', vkey, '--since', forged);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bad_saved_checkpoint/);
  });
});

describe('pqgate audit verify --witness', () => {
  const witness = createCosigner('witness.test/w1', new Uint8Array(32).fill(9));
  const wkey = formatCosignerKey(witness.key);
  const cosigned = mutable(bundle);
  const last = cosigned.checkpoints.length - 1;
  const text = parseNote(cosigned.checkpoints[last]).text;
  cosigned.checkpoints[last] = addCosignatures(cosigned.checkpoints[last], formatNote({ text, signatures: [witness.cosign(text, 1_800_000_000)] }).slice(text.length + 1), witness.key);
  const cosignedFile = join(dir, 'cosigned.json');
  writeFileSync(cosignedFile, JSON.stringify(cosigned));

  it('accepts a newest checkpoint cosigned by the required witness', async () => {
    const r = await run('verify', cosignedFile, '--key', vkey, '--witness', wkey);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/cosigned by witness\.test\/w1/);
  });

  it('fails a bundle without the required cosignature, or with a forged one', async () => {
    const r = await run('verify', good, '--key', vkey, '--witness', wkey);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[missing_cosignature\].*no cosignature of the required witness witness\.test\/w1/);
    const other = createCosigner('witness.test/w2', new Uint8Array(32).fill(8));
    expect((await run('verify', cosignedFile, '--key', vkey, '--witness', wkey, '--witness', formatCosignerKey(other.key))).code).toBe(1);
    // The cosignature of an older checkpoint moved onto the newest one does not verify.
    const moved = mutable(cosigned);
    const olderText = parseNote(moved.checkpoints[0]).text;
    const olderLine = formatNote({ text: olderText, signatures: [witness.cosign(olderText, 1_800_000_000)] }).slice(olderText.length + 1);
    moved.checkpoints[last] = moved.checkpoints[last].replace(/— witness\.test\/w1 .*\n/, olderLine);
    const movedFile = join(dir, 'moved.json');
    writeFileSync(movedFile, JSON.stringify(moved));
    const r3 = await run('verify', movedFile, '--key', vkey, '--witness', wkey);
    expect(r3.code).toBe(1);
    expect(r3.out).toMatch(/no valid cosignature/);
  });

  it('exits 2 on a witness key that is not an Ed25519 cosignature key', async () => {
    expect((await run('verify', good, '--key', vkey, '--witness', vkey)).code).toBe(2);
  });
});
