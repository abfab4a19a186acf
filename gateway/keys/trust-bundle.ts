/**
 * The gateway's trust bundle (`GET /.well-known/pqgate/trust-bundle`): every version of every
 * gateway signing key, each version after the first signed by the version before it, as TUF
 * rotates its root. A client that pinned any one version can walk forward to the current one
 * and trusts nothing it cannot reach by valid signatures without a gap. Pure: no I/O.
 */
import { keyIdOf, type PublicKeyRecord } from '../channel';
import { fromBase64Url, fromHex, getCryptoProvider, toBase64Url, toHex, utf8, type CryptoProvider, type SignatureId, type Signer } from '../crypto';
import { GatewayError } from '../errors';

export const TRUST_BUNDLE_FORMAT = 'pqgate-trust-bundle/1';
/** FIPS 204 context of a link signature; Ed25519 uses the same prefixed message format as the channel. */
const LINK_CONTEXT = utf8('pqgate/1 gateway key link');
const ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
const STATUSES = ['pending', 'active', 'retiring', 'retired'] as const;
const MAX_KEYS = 256;

/** One gateway key as the bundle lists it. */
export interface TrustBundleKey {
  readonly algorithm: SignatureId;
  readonly version: number;
  /** `pending` is the next key (approved rotations make it active), `retiring` the previous one. */
  readonly status: (typeof STATUSES)[number];
  readonly keyId: string;
  readonly publicKey: string;
  /** Signature by version − 1 over {@link linkStatement}; absent only on version 1. */
  readonly previousSignature?: string;
}

export interface TrustBundle {
  readonly format: typeof TRUST_BUNDLE_FORMAT;
  readonly keys: readonly TrustBundleKey[];
}

/**
 * The bytes version `version` is vouched for with: algorithm, version, the new public key and
 * the previous key's id, so a link can be moved neither to another key nor to another chain.
 */
export function linkStatement(algorithm: SignatureId, version: number, publicKey: Uint8Array, previousKeyId: Uint8Array): Uint8Array {
  return utf8(`pqgate gateway key\nalgorithm ${algorithm}\nversion ${version}\npublic ${toBase64Url(publicKey)}\nprevious ${toHex(previousKeyId)}\n`);
}

/** Signs the link from the previous version's signer to the next key. */
export function signKeyLink(previous: Signer, next: { algorithm: SignatureId; version: number; publicKey: Uint8Array }, provider: CryptoProvider = getCryptoProvider()): Uint8Array {
  return previous.sign(linkStatement(next.algorithm, next.version, next.publicKey, keyIdOf(previous.publicKey, provider)), LINK_CONTEXT);
}

/**
 * Parses a bundle, rejecting unknown fields, algorithms and statuses.
 * @throws GatewayError `malformed_message`.
 */
export function parseTrustBundle(json: unknown): TrustBundle {
  const bad = (why: string) => new GatewayError('malformed_message', `trust bundle: ${why}`);
  const b = json as { format?: unknown; keys?: unknown };
  if (!b || typeof b !== 'object' || b.format !== TRUST_BUNDLE_FORMAT) throw bad(`expected format ${TRUST_BUNDLE_FORMAT}`);
  if (Object.keys(b).some((k) => k !== 'format' && k !== 'keys')) throw bad('unknown field');
  if (!Array.isArray(b.keys) || b.keys.length > MAX_KEYS) throw bad(`keys must be a list of at most ${MAX_KEYS}`);
  const keys = b.keys.map((raw: Record<string, unknown>) => {
    if (!raw || typeof raw !== 'object') throw bad('each key must be an object');
    for (const k of Object.keys(raw)) if (!['algorithm', 'version', 'status', 'keyId', 'publicKey', 'previousSignature'].includes(k)) throw bad(`unknown field ${k.slice(0, 40)}`);
    const { algorithm, version, status, keyId, publicKey, previousSignature } = raw;
    if (!ALGORITHMS.includes(algorithm as SignatureId)) throw bad('unknown algorithm');
    if (!Number.isSafeInteger(version) || (version as number) < 1) throw bad('version must be a positive integer');
    if (!STATUSES.includes(status as TrustBundleKey['status'])) throw bad('unknown status');
    if (typeof keyId !== 'string' || !/^[0-9a-f]{64}$/.test(keyId)) throw bad('keyId must be 64 hex digits');
    if (typeof publicKey !== 'string' || publicKey.length > 8192) throw bad('publicKey must be base64url');
    if (previousSignature !== undefined && (typeof previousSignature !== 'string' || previousSignature.length > 8192)) throw bad('previousSignature must be base64url');
    return raw as unknown as TrustBundleKey;
  });
  return { format: TRUST_BUNDLE_FORMAT, keys };
}

/**
 * From keys the client already trusts, walks each algorithm's chain forward through the bundle:
 * version n+1 must be listed and signed by version n, up to the newest listed version. Returns
 * the pinned keys plus every successor that is not retired.
 * @throws GatewayError `untrusted_gateway_key` when a pinned key is not in the bundle, a version
 *   is missing (skipped), a key id does not match its key, or a link signature does not verify.
 */
export function followTrustBundle(bundle: TrustBundle, pinned: readonly PublicKeyRecord[], provider: CryptoProvider = getCryptoProvider()): PublicKeyRecord[] {
  const refuse = (why: string) => new GatewayError('untrusted_gateway_key', `trust bundle refused: ${why}. Ask your admin, and keep the keys you trust`);
  const out: PublicKeyRecord[] = [];
  const seen = new Set<string>();
  const add = (r: PublicKeyRecord) => {
    const id = toHex(r.keyId ?? keyIdOf(r.publicKey, provider));
    if (!seen.has(id)) seen.add(id), out.push(r);
  };
  for (const pin of pinned) {
    add(pin);
    const pinId = toHex(keyIdOf(pin.publicKey, provider));
    const chain = bundle.keys.filter((k) => k.algorithm === pin.algorithm);
    const byVersion = new Map<number, TrustBundleKey>();
    for (const k of chain) {
      if (byVersion.has(k.version)) throw refuse(`${k.algorithm} version ${k.version} is listed twice`);
      byVersion.set(k.version, k);
    }
    const start = chain.find((k) => k.keyId === pinId);
    // A gateway that no longer lists a pinned key cannot vouch for a successor of it.
    if (!start) continue;
    const newest = Math.max(...chain.map((k) => k.version));
    let previous = { version: start.version, publicKey: pin.publicKey };
    for (let v = start.version + 1; v <= newest; v++) {
      const next = byVersion.get(v);
      if (!next) throw refuse(`${pin.algorithm} version ${v} is missing (the bundle skips from ${v - 1} to a later version)`);
      const publicKey = fromBase64Url(next.publicKey);
      if (toHex(keyIdOf(publicKey, provider)) !== next.keyId) throw refuse(`${pin.algorithm} version ${v} has a key id that is not its key's`);
      if (!next.previousSignature) throw refuse(`${pin.algorithm} version ${v} is not signed by version ${v - 1}`);
      const statement = linkStatement(next.algorithm, v, publicKey, keyIdOf(previous.publicKey, provider));
      let valid = false;
      try {
        valid = provider.signature(pin.algorithm).verify(fromBase64Url(next.previousSignature), statement, previous.publicKey, LINK_CONTEXT);
      } catch {
        valid = false;
      }
      if (!valid) throw refuse(`${pin.algorithm} version ${v} is not validly signed by version ${v - 1}`);
      if (next.status !== 'retired') add({ algorithm: next.algorithm, publicKey, keyId: fromHex(next.keyId) });
      previous = { version: v, publicKey };
    }
  }
  return out;
}
