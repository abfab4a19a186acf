/**
 * Which gateway keys the connector trusts. `--trust` names a fingerprint (the key id, full or
 * at least its first 16 hex digits, colons allowed) or a file holding keys. Fingerprints are
 * checked against keys fetched from `<url>/pq/keys`, recomputing each key id locally: the
 * gateway's answer is only a source of public keys, never of trust.
 */
import { existsSync, readFileSync } from 'node:fs';
import { displayKeyId, keyIdOf, type PublicKeyRecord } from '../channel';
import { fromBase64Url, toHex, type SignatureId } from '../crypto';
import { GatewayError } from '../errors';
import { followTrustBundle, parseTrustBundle } from '../keys';

const ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];

/** Parses `{ keys: [{ algorithm, publicKey (base64url) }] }`, the `pq/keys` answer and the trust file format. */
export function parseKeyList(json: unknown, source: string): PublicKeyRecord[] {
  const keys = (json as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 16) throw new GatewayError('malformed_message', `${source}: expected {"keys":[{"algorithm","publicKey"}]}`);
  return keys.map((k: { algorithm?: unknown; publicKey?: unknown }) => {
    if (!ALGORITHMS.includes(k?.algorithm as SignatureId) || typeof k.publicKey !== 'string' || k.publicKey.length > 8192) {
      throw new GatewayError('malformed_message', `${source}: each key needs an algorithm (${ALGORITHMS.join(', ')}) and a base64url publicKey`);
    }
    return { algorithm: k.algorithm as SignatureId, publicKey: fromBase64Url(k.publicKey) };
  });
}

const FINGERPRINT_RE = /^[0-9a-f]{16,64}$/;

/** Normalises a fingerprint argument, or returns null when it is not one. */
export function normaliseFingerprint(arg: string): string | null {
  const hex = arg.toLowerCase().replace(/:/g, '');
  return FINGERPRINT_RE.test(hex) ? hex : null;
}

/**
 * Resolves `--trust` arguments to public keys.
 * @throws GatewayError `untrusted_gateway_key` when a fingerprint matches no key the gateway serves.
 */
export async function resolveTrust(url: string, trust: readonly string[], doFetch: typeof fetch = fetch): Promise<PublicKeyRecord[]> {
  const out: PublicKeyRecord[] = [];
  let served: PublicKeyRecord[] | undefined;
  for (const arg of trust) {
    const fingerprint = normaliseFingerprint(arg);
    if (!fingerprint && existsSync(arg)) {
      out.push(...parseKeyList(JSON.parse(readFileSync(arg, 'utf8')), arg));
      continue;
    }
    if (!fingerprint) throw new GatewayError('invalid_argument', `--trust ${arg.slice(0, 80)} is neither a key fingerprint (hex, at least 16 digits) nor a file`);
    if (!served) {
      const res = await doFetch(`${url.replace(/\/+$/, '')}/pq/keys`);
      if (!res.ok) throw new GatewayError('untrusted_gateway_key', `could not fetch the gateway keys (HTTP ${res.status})`);
      served = parseKeyList(await res.json(), 'gateway keys');
    }
    const match = served.filter((k) => toHex(keyIdOf(k.publicKey)).startsWith(fingerprint));
    if (!match.length) {
      const known = served.map((k) => `${k.algorithm} ${displayKeyId(keyIdOf(k.publicKey))}`).join(', ');
      throw new GatewayError('untrusted_gateway_key', `no gateway key has fingerprint ${arg}; the gateway serves ${known}. Ask your admin which one to trust`);
    }
    out.push(...match);
  }
  return out;
}

/** Where a gateway publishes its trust bundle: `<origin>/.well-known/pqgate/trust-bundle`. */
export function trustBundleUrl(url: string): string {
  return new URL('/.well-known/pqgate/trust-bundle', url).toString();
}

/**
 * Extends the pinned keys with their successors from the gateway's trust bundle (each version
 * signed by the one before: gateway/keys/trust-bundle.ts). A gateway without a bundle (404)
 * leaves the pinned keys as they are.
 * @throws GatewayError `untrusted_gateway_key` for a bundle that skips a version or is signed wrongly.
 */
export async function followGatewayKeys(url: string, pinned: readonly PublicKeyRecord[], doFetch: typeof fetch = fetch): Promise<PublicKeyRecord[]> {
  const res = await doFetch(trustBundleUrl(url), { headers: { accept: 'application/json' } });
  if (res.status === 404) return [...pinned];
  if (!res.ok) throw new GatewayError('untrusted_gateway_key', `could not fetch the gateway trust bundle (HTTP ${res.status})`);
  return followTrustBundle(parseTrustBundle(await res.json()), pinned);
}

/**
 * Trusted gateway keys that follow the bundle while a connector runs: `keys` is the array the
 * channel reads at each handshake, updated in place every `intervalMs`, so a gateway key rotated
 * during a long session is trusted before the next handshake needs it. A refused bundle keeps
 * the keys already trusted and is reported.
 */
export function followGatewayKeysLive(
  url: string,
  initial: readonly PublicKeyRecord[],
  options: { intervalMs: number; pinned?: readonly PublicKeyRecord[]; onError?: (message: string) => void; fetch?: typeof fetch },
): { keys: PublicKeyRecord[]; refresh: () => Promise<void>; stop: () => void } {
  const keys = [...initial];
  const pinned = options.pinned ?? initial;
  const refresh = async () => {
    try {
      const next = await followGatewayKeys(url, pinned, options.fetch);
      keys.splice(0, keys.length, ...next);
    } catch (e) {
      options.onError?.(`pqgate: ${(e as Error).message}`);
    }
  };
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref?.();
  return { keys, refresh, stop: () => clearInterval(timer) };
}
