/** `pqgate keygen`: creates an identity key file and prints its public key and fingerprint. */
import { generateKeyPair } from '../channel';
import { getSuite, suiteNames } from '../crypto';
import { displayKeyId } from '../channel';
import { isGatewayError } from '../errors';
import { parse, UsageError, type CliIo } from './args';
import { writeIdentityFile } from './identity-file';
import { describeKey } from './pubkey';

export const KEYGEN_HELP = `usage: pqgate keygen --out <file> [--suite NAME] [--force]

Creates an identity key (ML-DSA-65 by default) in <file> (mode 0600) and prints its
public key and fingerprint. Enroll it in the console with the output of pqgate pubkey.

  --out <file>    where to write the identity (refuses to overwrite)
  --suite NAME    size the key for this suite (${suiteNames().join(', ')}, or hybrid, high, classical)
  --force         overwrite an existing file`;

/** Runs keygen; returns the exit code. */
export function keygen(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { out: { type: 'string' }, suite: { type: 'string' }, force: { type: 'boolean' } }, true);
  if (values.help) return io.out(KEYGEN_HELP), 0;
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.out) throw new UsageError('--out <file> is required');
  let algorithm;
  try {
    algorithm = getSuite(values.suite ?? 'hybrid').signature;
  } catch (e) {
    if (isGatewayError(e, 'unknown_suite')) throw new UsageError(e.message);
    throw e;
  }
  const key = generateKeyPair(algorithm);
  try {
    writeIdentityFile(values.out, key, values.force ?? false);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${values.out} exists; pass --force to replace it (the old key stops working once replaced)`);
    throw e;
  }
  io.out(`wrote ${values.out} (${key.algorithm}, key id ${displayKeyId(key.keyId)})\n${describeKey(key)}`);
  return 0;
}
