/** The pqgate CLI: keygen, pubkey, usage errors (exit 2) and --help on every command. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayKeyId } from '../channel';
import { readIdentityFile } from './identity-file';
import { main } from './main';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pqgate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-cli-'));

  it('keygen writes an ML-DSA-65 identity, mode 0600, and prints its fingerprint', async () => {
    const file = join(dir, 'id.json');
    const r = await run('keygen', '--out', file);
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readIdentityFile(file);
    expect(key.algorithm).toBe('ML-DSA-65');
    expect(r.out).toContain(displayKeyId(key.keyId));
  });

  it('keygen refuses to overwrite without --force, and replaces with it', async () => {
    const file = join(dir, 'twice.json');
    await run('keygen', '--out', file);
    const first = readFileSync(file, 'utf8');
    const again = await run('keygen', '--out', file);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists; pass --force/);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect((await run('keygen', '--out', file, '--force')).code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toBe(first);
  });

  it('keygen --suite sizes the key for the suite', async () => {
    const file = join(dir, 'high.json');
    expect((await run('keygen', '--out', file, '--suite', 'cnsa2-mlkem1024-mldsa87')).code).toBe(0);
    expect(readIdentityFile(file).algorithm).toBe('ML-DSA-87');
    const bad = await run('keygen', '--out', join(dir, 'x.json'), '--suite', 'rot13');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown suite/);
  });

  it('pubkey prints the algorithm and base64url public key, never the seed', async () => {
    const file = join(dir, 'id.json');
    const seed = JSON.parse(readFileSync(file, 'utf8')).seed as string;
    const r = await run('pubkey', '--identity', file, '--json');
    const j = JSON.parse(r.out) as { algorithm: string; publicKey: string; keyId: string };
    expect(j.algorithm).toBe('ML-DSA-65');
    expect(j.publicKey).toMatch(/^[A-Za-z0-9_-]{2000,}$/);
    expect(r.out).not.toContain(seed);
    expect((await run('pubkey', '--identity', file)).out).not.toContain(seed);
  });

  it('a damaged identity file fails with exit 1 and says how to make one', async () => {
    const r = await run('pubkey', '--identity', join(dir, 'missing.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/pqgate keygen/);
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['keygen'], /--out <file> is required/],
    [['keygen', '--out'], /argument missing|--out/],
    [['keygen', '--bogus'], /Unknown option/],
    [['pubkey'], /--identity <file> is required/],
    [['connect'], /exactly one gateway URL/],
    [['connect', 'http://gw.test/api/mcp/x'], /--identity <file> is required/],
    [['connect', 'http://gw.test/api/mcp/x', '--identity', 'id.json'], /--trust is required/],
    [['connect', 'not-a-url', '--identity', 'id.json'], /not an http\(s\) URL/],
  ])('bad arguments %j exit 2 with what to do', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it.each(['keygen', 'pubkey', 'connect'])('%s --help', async (cmd) => {
    const r = await run(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage: pqgate ${cmd}`));
  });
});
