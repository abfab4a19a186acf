/** pqgate rotate: submits a proof signed by the old and the new key; writes the new identity only when accepted. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../channel';
import { parseRotationProof, verifyRotationProof } from '../keys';
import { readIdentityFile, writeIdentityFile } from './identity-file';
import { rotate } from './rotate';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
};

describe('pqgate rotate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-rotate-'));
  const oldKey = generateKeyPair('ML-DSA-65');
  const identity = join(dir, 'id.json');
  writeIdentityFile(identity, oldKey, false);

  it('posts a request both keys signed, then writes the new identity beside the old one', async () => {
    let posted: { url: string; body: unknown } | undefined;
    const doFetch = (async (url: URL, init: RequestInit) => {
      posted = { url: String(url), body: JSON.parse(String(init.body)) };
      return Response.json({ requestId: 'r1', status: 'pending' }, { status: 202 });
    }) as unknown as typeof fetch;
    const { io: cli, out } = io();
    expect(await rotate(['--identity', identity, '--gateway', 'https://gw.example/console', '--reason', 'new laptop'], cli, doFetch)).toBe(0);
    expect(posted!.url).toBe('https://gw.example/api/rotations/client');
    const next = readIdentityFile(join(dir, 'id.next.json'));
    const checked = verifyRotationProof(parseRotationProof(posted!.body), oldKey, Date.now());
    expect(checked.newPublicKey).toEqual(next.publicKey);
    expect(out.join('\n')).toContain('r1');
  });

  it('writes nothing when the gateway refuses', async () => {
    const doFetch = (async () => Response.json({ error: { message: 'bad signature' } }, { status: 403 })) as unknown as typeof fetch;
    const { io: cli, err } = io();
    const out = join(dir, 'refused.json');
    expect(await rotate(['--identity', identity, '--gateway', 'https://gw.example', '--out', out], cli, doFetch)).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(err.join('\n')).toMatch(/refused the request \(HTTP 403\): bad signature/);
  });
});
