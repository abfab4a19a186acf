/**
 * Which gateway keys the connector trusts. `--trust` names a fingerprint (the key id, full or at
 * least its first 16 hex digits, colons allowed) or a file holding keys; either way it is a pin
 * given out of band. From each pin the connector follows the gateway's signed trust bundle
 * (gateway/keys/follow-trust-bundle.ts) to the current key, drops what the bundle retires or
 * revokes, and remembers what it accepted in the trust state file. The gateway's answers are only
 * a source of public keys and signed statements, never of trust: every key id is recomputed here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { displayKeyId, keyIdOf, type PublicKeyRecord } from '../channel';
import { fromBase64Url, fromHex, toHex, type SignatureId } from '../crypto';
import { GatewayError } from '../errors';
import { followTrustBundle, parseTrustBundle, type ChainKey, type TrustBundle } from '../keys';
import type { TrustStateFile } from './trust-state';
import { readBody } from '../http/read-body';

const ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
const MAX_BUNDLE_BYTES = 1 << 20;

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

type Pin = { arg: string; fingerprint: string } | { arg: string; key: PublicKeyRecord };

/** Reads `--trust` arguments: fingerprints stay prefixes to look up, files give keys. */
export function parsePins(trust: readonly string[]): Pin[] {
  return trust.flatMap((arg): Pin[] => {
    const fingerprint = normaliseFingerprint(arg);
    if (fingerprint) return [{ arg, fingerprint }];
    if (existsSync(arg)) return parseKeyList(JSON.parse(readFileSync(arg, 'utf8')), arg).map((key) => ({ arg, key }));
    throw new GatewayError('invalid_argument', `--trust ${arg.slice(0, 80)} is neither a key fingerprint (hex, at least 16 digits) nor a file`);
  });
}

/** Where a gateway publishes its trust bundle: `<origin>/.well-known/pqgate/trust-bundle`. */
export function trustBundleUrl(url: string): string {
  return new URL('/.well-known/pqgate/trust-bundle', url).toString();
}

/** The gateway's trust bundle, parsed but not yet verified; null when it publishes none (404). */
export async function fetchTrustBundle(url: string, doFetch: typeof fetch = fetch): Promise<TrustBundle | null> {
  const res = await doFetch(trustBundleUrl(url), { headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new GatewayError('untrusted_gateway_key', `could not fetch the gateway trust bundle (HTTP ${res.status})`);
  const text = await readBounded(res, MAX_BUNDLE_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError('malformed_message', 'the gateway trust bundle is not JSON');
  }
  return parseTrustBundle(json);
}

/** The body as text, refused as soon as it passes `max` bytes (whoever answers may be hostile). */
async function readBounded(res: Response, max: number): Promise<string> {
  const tooLarge = () => new GatewayError('malformed_message', `the gateway trust bundle is larger than ${max >> 20} MiB`);
  if (Number(res.headers.get('content-length') ?? 0) > max) throw tooLarge();
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The listed key a fingerprint names, its id recomputed from its public key (the bundle is not believed). */
function keyForFingerprint(bundle: TrustBundle, pin: { arg: string; fingerprint: string }): PublicKeyRecord {
  const matches = bundle.signed.keys
    .map((k) => ({ algorithm: k.algorithm, publicKey: fromBase64Url(k.publicKey) }))
    .filter((k) => toHex(keyIdOf(k.publicKey)).startsWith(pin.fingerprint));
  const distinct = new Set(matches.map((k) => toHex(keyIdOf(k.publicKey))));
  if (distinct.size > 1) throw new GatewayError('untrusted_gateway_key', `fingerprint ${pin.arg} matches ${distinct.size} gateway keys; give more of its digits (up to 64)`);
  if (!matches.length) {
    const known = bundle.signed.keys.map((k) => `${k.algorithm} v${k.version} ${displayKeyId(fromHex(k.keyId))} (${k.status})`).join(', ');
    throw new GatewayError('untrusted_gateway_key', `no gateway key has fingerprint ${pin.arg}; the gateway's trust bundle lists ${known || 'no keys'}. Ask your admin which one to trust`);
  }
  return matches[0]!;
}

/** Fingerprints from `pq/keys`, for a gateway that publishes no trust bundle. */
async function keysForFingerprintsUnchained(url: string, pins: readonly Pin[], doFetch: typeof fetch): Promise<PublicKeyRecord[]> {
  const out: PublicKeyRecord[] = [];
  let served: PublicKeyRecord[] | undefined;
  for (const pin of pins) {
    if ('key' in pin) {
      out.push(pin.key);
      continue;
    }
    if (!served) {
      const res = await doFetch(`${url.replace(/\/+$/, '')}/pq/keys`);
      if (!res.ok) throw new GatewayError('untrusted_gateway_key', `could not fetch the gateway keys (HTTP ${res.status})`);
      served = parseKeyList(JSON.parse(new TextDecoder().decode(await readBody(res, 256 * 1024, (n) => new GatewayError('untrusted_gateway_key', `the gateway's key list is ${n} bytes, more than a key list can be`)))), 'gateway keys');
    }
    const match = served.filter((k) => toHex(keyIdOf(k.publicKey)).startsWith(pin.fingerprint));
    if (!match.length) {
      const known = served.map((k) => `${k.algorithm} ${displayKeyId(keyIdOf(k.publicKey))}`).join(', ');
      throw new GatewayError('untrusted_gateway_key', `no gateway key has fingerprint ${pin.arg}; the gateway serves ${known}. Ask your admin which one to trust`);
    }
    out.push(...match);
  }
  return out;
}

/** The keys a connector trusts, when the newest bundle they rest on expires, and what to tell the user (stderr). */
export interface GatewayTrust {
  readonly keys: PublicKeyRecord[];
  readonly expires?: number;
  readonly report: string[];
}

const describe = (k: ChainKey) => `${k.algorithm} key ${displayKeyId(fromHex(k.keyId))} (version ${k.version}, ${k.status})`;

/**
 * Resolves `--trust` pins to the gateway keys to accept: for each pin, the pin and its signed
 * successors that the bundle does not retire or revoke. Records what it accepted in `state`.
 * A gateway without a bundle (404) is trusted on the pins as given, unless the state shows it
 * served one before (a stripped bundle could hide a revocation).
 * @throws GatewayError `untrusted_gateway_key` when a pin or the bundle is refused.
 */
export async function resolveGatewayTrust(url: string, trust: readonly string[], options: { state?: TrustStateFile; now?: number; fetch?: typeof fetch } = {}): Promise<GatewayTrust> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now();
  const origin = new URL(url).origin;
  const pins = parsePins(trust);
  const bundle = await fetchTrustBundle(url, doFetch);
  if (!bundle) {
    for (const pin of pins) {
      const id = 'key' in pin ? toHex(keyIdOf(pin.key.publicKey)) : pin.fingerprint;
      if (options.state?.knows(origin, id)) {
        throw new GatewayError('untrusted_gateway_key', `${origin} served a signed trust bundle before and now serves none, which could hide a revoked key; refused. Ask your admin (or delete ${options.state.path} if the gateway really was reinstalled without one)`);
      }
    }
    const keys = await keysForFingerprintsUnchained(url, pins, doFetch);
    return { keys, report: [`pqgate connect: ${origin} publishes no trust bundle: trusting the pinned keys as given (${keys.map((k) => `${k.algorithm} ${displayKeyId(keyIdOf(k.publicKey))}`).join(', ')}), with no rotation or revocation checks`] };
  }

  const keys: PublicKeyRecord[] = [];
  const report: string[] = [];
  let expires = Infinity;
  const accepted: { pinId: string; seen: Parameters<TrustStateFile['record']>[2] }[] = [];
  for (const pin of pins) {
    const record = 'key' in pin ? pin.key : keyForFingerprint(bundle, pin);
    const pinId = toHex(keyIdOf(record.publicKey));
    const outcome = followTrustBundle(bundle, record, { now, seen: options.state?.get(origin, pinId) });
    for (const k of outcome.trusted) if (!keys.some((t) => toHex(t.keyId ?? keyIdOf(t.publicKey)) === toHex(k.keyId!))) keys.push(k);
    expires = Math.min(expires, Date.parse(outcome.expires));
    accepted.push({ pinId, seen: outcome.seen });
    const followed = outcome.head.keyId !== outcome.pinned.keyId;
    report.push(
      `pqgate connect: trusting gateway ${describe(outcome.head)}` +
        (followed ? `, followed by signed rotation from the pinned ${describe(outcome.pinned)}` : ', the pinned key') +
        `; trust bundle version ${bundle.signed.version}, expires ${outcome.expires}`,
    );
    if (outcome.pinned.status === 'revoked') {
      report.push(`pqgate connect: WARNING: your pinned gateway key ${displayKeyId(fromHex(outcome.pinned.keyId))} was revoked (it may have been compromised). Confirm ${displayKeyId(fromHex(outcome.head.keyId))} with your admin and pin it: --trust ${outcome.head.keyId}`);
    }
  }
  if (options.state) {
    try {
      for (const a of accepted) options.state.record(origin, a.pinId, a.seen, new Date(now));
    } catch (e) {
      report.push(`pqgate connect: WARNING: could not save the trust state ${options.state.path} (${(e as Error).message}); an older bundle would not be recognised as a replay next time`);
    }
  }
  return { keys, expires, report };
}

/**
 * Trusted gateway keys that follow the bundle while a connector runs: `keys` is the array the
 * channel reads at each handshake, updated in place every `intervalMs`, so a gateway key rotated
 * during a long session is trusted before the next handshake needs it, and a key the bundle
 * retires or revokes is dropped. A refused bundle keeps the keys already trusted, but only until
 * the last accepted bundle expires: then nothing is trusted (an attacker who blocks fresh bundles
 * cannot hide a revocation longer than that).
 */
export function followGatewayTrustLive(
  url: string,
  trust: readonly string[],
  initial: GatewayTrust,
  options: { intervalMs: number; state?: TrustStateFile; onInfo?: (message: string) => void; fetch?: typeof fetch; now?: () => number },
): { keys: PublicKeyRecord[]; refresh: () => Promise<void>; stop: () => void } {
  const keys = [...initial.keys];
  const now = options.now ?? Date.now;
  let expires = initial.expires;
  const idsOf = (list: readonly PublicKeyRecord[]) => list.map((k) => toHex(k.keyId ?? keyIdOf(k.publicKey))).sort().join(',');
  const refresh = async () => {
    try {
      const next = await resolveGatewayTrust(url, trust, { state: options.state, now: now(), fetch: options.fetch });
      if (idsOf(next.keys) !== idsOf(keys)) for (const line of next.report) options.onInfo?.(line);
      keys.splice(0, keys.length, ...next.keys);
      expires = next.expires;
    } catch (e) {
      options.onInfo?.(`pqgate: ${(e as Error).message}`);
      if (expires !== undefined && now() > expires && keys.length) {
        keys.splice(0, keys.length);
        options.onInfo?.(`pqgate: the last trust bundle accepted expired on ${new Date(expires).toISOString()} and no valid one replaced it: no gateway key is trusted until the gateway serves a fresh bundle`);
      }
    }
  };
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref?.();
  return { keys, refresh, stop: () => clearInterval(timer) };
}
