// Tests of gateway/cli/audit.ts (kept here, beside the module it drives).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/audit';
import { toBase64Url } from '../crypto';
import { formatVerifierKey } from './note-key';
import { buildTestBundle, mutable, testKey, testSigner } from './test-log';

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
