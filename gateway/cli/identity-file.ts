/**
 * The identity file `pqgate keygen` writes and `connect` / `pubkey` read: JSON with the
 * algorithm, the 32-byte seed (the secret) and the public key, both base64url, mode 0600.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPair, type KeyPair } from '../channel';
import { equalBytes, fromBase64Url, toBase64Url, toHex, type SignatureId } from '../crypto';
import { GatewayError } from '../errors';

const ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];

/** Writes a new identity; refuses to replace an existing file unless `force`. */
export function writeIdentityFile(path: string, key: KeyPair, force: boolean): void {
  const body = JSON.stringify({ version: 1, algorithm: key.algorithm, seed: toBase64Url(key.seed), publicKey: toBase64Url(key.publicKey), keyId: toHex(key.keyId) }, null, 2);
  // 'wx' fails on an existing file; the mode applies to the file this call creates.
  writeFileSync(path, `${body}\n`, { mode: 0o600, flag: force ? 'w' : 'wx' });
}

/**
 * Reads an identity file and checks that its public key matches its seed.
 * @throws GatewayError `invalid_key` on a damaged file.
 */
export function readIdentityFile(path: string): KeyPair {
  let j: { version?: unknown; algorithm?: unknown; seed?: unknown; publicKey?: unknown };
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GatewayError('invalid_key', `cannot read identity ${path} (${(e as NodeJS.ErrnoException).code ?? 'not JSON'}); create one with pqgate keygen --out ${path}`);
  }
  if (j.version !== 1 || !ALGORITHMS.includes(j.algorithm as SignatureId) || typeof j.seed !== 'string' || typeof j.publicKey !== 'string') {
    throw new GatewayError('invalid_key', `${path} is not a pqgate identity file`);
  }
  const key = generateKeyPair(j.algorithm as SignatureId, { seed: fromBase64Url(j.seed) });
  if (!equalBytes(key.publicKey, fromBase64Url(j.publicKey))) throw new GatewayError('invalid_key', `${path}: the public key does not match the secret seed`);
  return key;
}
