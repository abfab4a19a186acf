/** `pqgate pubkey`: prints what an admin pastes into the console to enroll an identity key. */
import { displayKeyId, type KeyPair } from '../channel';
import { toBase64Url, toHex } from '../crypto';
import { parse, UsageError, type CliIo } from './args';
import { readIdentityFile } from './identity-file';

export const PUBKEY_HELP = `usage: pqgate pubkey --identity <file> [--json]

Prints the public half of an identity (never the secret): its algorithm, fingerprint and
public key in base64url, to paste into the console's enrollment box.

  --identity <file>   an identity made by pqgate keygen
  --json              print {"algorithm","publicKey","keyId"} instead`;

/** The text form shared by keygen and pubkey. */
export function describeKey(key: Pick<KeyPair, 'algorithm' | 'publicKey' | 'keyId'>): string {
  return [`algorithm:   ${key.algorithm}`, `fingerprint: ${displayKeyId(key.keyId)}`, `key id:      ${toHex(key.keyId)}`, `public key (base64url):`, toBase64Url(key.publicKey)].join('\n');
}

/** Runs pubkey; returns the exit code. */
export function pubkey(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { identity: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (values.help) return io.out(PUBKEY_HELP), 0;
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.identity) throw new UsageError('--identity <file> is required');
  const key = readIdentityFile(values.identity);
  io.out(values.json ? JSON.stringify({ algorithm: key.algorithm, publicKey: toBase64Url(key.publicKey), keyId: toHex(key.keyId) }) : describeKey(key));
  return 0;
}
