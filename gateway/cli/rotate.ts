/**
 * `pqgate rotate`: makes a new identity key and asks the gateway to replace the enrolled one with
 * it. The request is signed by both keys (gateway/keys/rotation-proof.ts); an approver in the
 * console approves it, after which the new key connects and the old one works until the overlap
 * window ends.
 */
import { existsSync } from 'node:fs';
import { displayKeyId, generateKeyPair } from '../channel';
import { createRotationProof } from '../keys';
import { parse, UsageError, type CliIo } from './args';
import { readIdentityFile, writeIdentityFile } from './identity-file';
import { readBody } from '../http/read-body';

export const ROTATE_HELP = `usage: pqgate rotate --identity <file> --gateway <url> [--out <file>] [--reason TEXT]

Creates a new key of the same algorithm in <out> (default: <file> with .next before .json) and
submits a rotation request signed by both the current and the new key. After an approver
approves it in the console, connect with --identity <out>; the current key keeps working
for the overlap window, then stops.

  --identity <file>   the enrolled identity to replace
  --gateway <url>     the gateway (console) address, e.g. https://gateway.example
  --out <file>        where to write the new identity (refuses to overwrite)
  --reason TEXT       shown to the approver`;

/** Runs rotate; returns the exit code. */
export async function rotate(args: string[], io: CliIo, doFetch: typeof fetch = fetch): Promise<number> {
  const { values, positionals } = parse(args, { identity: { type: 'string' }, gateway: { type: 'string' }, out: { type: 'string' }, reason: { type: 'string' } }, true);
  if (values.help) return io.out(ROTATE_HELP), 0;
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.identity) throw new UsageError('--identity <file> is required');
  if (!values.gateway || !/^https?:\/\/[^/]+/.test(values.gateway)) throw new UsageError('--gateway <url> is required, e.g. https://gateway.example');
  const reason = values.reason ?? 'requested by the key holder (pqgate rotate)';
  if (reason.length > 500) throw new UsageError('--reason is at most 500 characters');
  const out = values.out ?? values.identity.replace(/(\.json)?$/, '.next.json');
  if (existsSync(out)) throw new UsageError(`${out} exists; pass another --out (a pending rotation may already use it)`);
  const oldKey = readIdentityFile(values.identity);
  const newKey = generateKeyPair(oldKey.algorithm);
  const proof = createRotationProof({ oldKey, newKey, reason, time: Date.now() });
  const res = await doFetch(new URL('/api/rotations/client', values.gateway), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(proof) });
  const body = (await readBody(res, 64 * 1024, (n) => new Error(`the gateway answered with ${n} bytes`))
    .then((b) => JSON.parse(new TextDecoder().decode(b)) as unknown)
    .catch(() => ({}))) as { requestId?: string; error?: { message?: string } };
  if (!res.ok) {
    io.err(`pqgate rotate: the gateway refused the request (HTTP ${res.status}): ${body.error?.message ?? 'no reason given'}`);
    return 1;
  }
  // Written only once the gateway accepted the request: a refused one leaves nothing behind.
  writeIdentityFile(out, newKey, false);
  io.out(`rotation requested (${body.requestId}): ${displayKeyId(oldKey.keyId)} -> ${displayKeyId(newKey.keyId)}\nnew identity in ${out}; use it once an approver has approved the request`);
  return 0;
}
