import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../channel/identity';
import { fromBase64Url, toHex } from './bytes';
import { generateBrowserIdentity } from './browser-identity';

describe('generateBrowserIdentity', () => {
  it.each(['ML-DSA-65', 'ML-DSA-87', 'Ed25519'] as const)('writes a %s identity file that pqgate reads back to the same key', (algorithm) => {
    const made = generateBrowserIdentity(algorithm);
    const file = JSON.parse(made.file);
    expect(file).toMatchObject({ version: 1, algorithm, publicKey: made.publicKey, keyId: made.keyId });
    // The same derivation pqgate keygen uses: the seed gives back the public key and key id.
    const again = generateKeyPair(algorithm, { seed: fromBase64Url(file.seed) });
    expect(toHex(again.publicKey)).toBe(toHex(fromBase64Url(made.publicKey)));
    expect(toHex(again.keyId)).toBe(made.keyId);
  });

  it('never returns the same seed twice', () => {
    expect(JSON.parse(generateBrowserIdentity().file).seed).not.toBe(JSON.parse(generateBrowserIdentity().file).seed);
  });
});
