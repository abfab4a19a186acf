/**
 * Identity key generation that runs in a browser: the noble provider only (no node:crypto),
 * producing the same identity file `pqgate keygen` writes, so a key made in the console works
 * with `pqgate connect`. The secret seed stays in the browser; only the public key is sent.
 */
import { createNobleProvider } from './noble-provider';
import type { SignatureId } from './suites';

// bytes.ts encodes with Node's Buffer (fast on the server); a browser has btoa instead.
function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function base64Url(b: Uint8Array): string {
  let binary = '';
  for (const x of b) binary += String.fromCharCode(x);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface BrowserIdentity {
  /** The identity file's JSON text (version 1: algorithm, seed, publicKey, keyId). */
  readonly file: string;
  readonly publicKey: string;
  readonly keyId: string;
}

export function generateBrowserIdentity(algorithm: SignatureId = 'ML-DSA-65'): BrowserIdentity {
  const provider = createNobleProvider();
  const seed = provider.randomBytes(32);
  const publicKey = provider.signature(algorithm).publicKeyFromSeed(seed);
  const keyId = hex(provider.hash('SHA-256').digest(publicKey));
  const file = `${JSON.stringify({ version: 1, algorithm, seed: base64Url(seed), publicKey: base64Url(publicKey), keyId }, null, 2)}\n`;
  seed.fill(0);
  return { file, publicKey: base64Url(publicKey), keyId };
}
