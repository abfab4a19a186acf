/**
 * The gateway's trust bundle (`GET /.well-known/pqgate/trust-bundle`): every version of every
 * gateway signing key with its status, each version after the first vouched for by the version
 * before it (as TUF rotates its root), the whole document numbered, dated, given an expiry and
 * signed by the active key of each chain. Format, parsing and signing live here; what a client
 * concludes from a bundle is in `follow-trust-bundle.ts`. Pure: no I/O.
 */
import { keyIdOf } from '../channel';
import { getCryptoProvider, toBase64Url, toHex, utf8, type CryptoProvider, type SignatureId, type Signer } from '../crypto';
import { GatewayError } from '../errors';

export const TRUST_BUNDLE_FORMAT = 'pqgate-trust-bundle/2';
/** FIPS 204 context of a link signature; Ed25519 uses the same prefixed message format as the channel. */
export const LINK_CONTEXT = utf8('pqgate/1 gateway key link');
/** FIPS 204 context of the bundle signature (distinct from links and handshakes: no signature serves two purposes). */
export const BUNDLE_CONTEXT = utf8('pqgate/1 trust bundle');
const ALGORITHMS: readonly SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
export const TRUST_BUNDLE_STATUSES = ['pending', 'active', 'retiring', 'retired', 'revoked'] as const;
export type TrustBundleStatus = (typeof TRUST_BUNDLE_STATUSES)[number];
/** How long a signed bundle is valid: a client refuses it afterwards, which bounds how long an old copy can hide a revocation. */
export const TRUST_BUNDLE_VALIDITY_MS = 7 * 24 * 3600 * 1000;
const MAX_KEYS = 256;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** One gateway key as the bundle lists it. */
export interface TrustBundleKey {
  readonly algorithm: SignatureId;
  readonly version: number;
  /** `pending` is the next key (approved rotations make it active), `retiring` the previous one; `retired` and `revoked` are refused. */
  readonly status: TrustBundleStatus;
  readonly keyId: string;
  readonly publicKey: string;
  /** Signature by version − 1 over {@link linkStatement}; absent only on version 1. */
  readonly previousSignature?: string;
}

/** The signed part of a bundle. */
export interface TrustBundleSigned {
  /** Grows with every change of a key's status (see {@link trustBundleVersion}); a client refuses a lower one than it has seen. */
  readonly version: number;
  readonly issuedAt: string;
  readonly expires: string;
  readonly keys: readonly TrustBundleKey[];
}

export interface TrustBundleSignature {
  readonly keyId: string;
  readonly signature: string;
}

export interface TrustBundle {
  readonly format: typeof TRUST_BUNDLE_FORMAT;
  readonly signed: TrustBundleSigned;
  readonly signatures: readonly TrustBundleSignature[];
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
 * The bytes a bundle signature covers: every field of `signed`, rebuilt from the parsed values in
 * one fixed order (parsing refuses unknown fields, so nothing in a bundle escapes the signature).
 */
export function bundleStatement(signed: TrustBundleSigned): Uint8Array {
  const keys = signed.keys.map((k) => ({ algorithm: k.algorithm, version: k.version, status: k.status, keyId: k.keyId, publicKey: k.publicKey, ...(k.previousSignature ? { previousSignature: k.previousSignature } : {}) }));
  return utf8(`pqgate trust bundle\n${JSON.stringify({ version: signed.version, issuedAt: signed.issuedAt, expires: signed.expires, keys })}`);
}

const RANK: Record<TrustBundleStatus, number> = { pending: 0, active: 1, retiring: 2, retired: 3, revoked: 4 };

/**
 * The bundle version for a set of keys: the sum of each non-pending key's rank in its life cycle
 * (active 1, retiring 2, retired 3, revoked 4). Keys only move forward and approved keys are never
 * deleted, so every change the version covers raises it, on every replica alike, with no counter
 * to keep. Pending keys do not count: a rejected one is deleted, and a version must never fall.
 */
export function trustBundleVersion(keys: readonly Pick<TrustBundleKey, 'status'>[]): number {
  return keys.reduce((sum, k) => sum + RANK[k.status], 0);
}

/** Signs a bundle with each given key (the gateway passes the active key of every chain). */
export function signTrustBundle(signed: TrustBundleSigned, signers: readonly Signer[], provider: CryptoProvider = getCryptoProvider()): TrustBundle {
  const statement = bundleStatement(signed);
  return {
    format: TRUST_BUNDLE_FORMAT,
    signed,
    signatures: signers.map((s) => ({ keyId: toHex(keyIdOf(s.publicKey, provider)), signature: toBase64Url(s.sign(statement, BUNDLE_CONTEXT)) })),
  };
}

const bad = (why: string) => new GatewayError('malformed_message', `trust bundle: ${why}`);

function onlyFields(value: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad(`${what} must be an object`);
  for (const k of Object.keys(value)) if (!allowed.includes(k)) throw bad(`unknown field ${k.slice(0, 40)} in ${what}`);
  return value as Record<string, unknown>;
}

const isB64 = (v: unknown, max: number) => typeof v === 'string' && v.length <= max && /^[A-Za-z0-9_-]*$/.test(v);
const isTime = (v: unknown) => typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v));

function parseKey(raw: unknown): TrustBundleKey {
  const { algorithm, version, status, keyId, publicKey, previousSignature } = onlyFields(raw, ['algorithm', 'version', 'status', 'keyId', 'publicKey', 'previousSignature'], 'a key');
  if (!ALGORITHMS.includes(algorithm as SignatureId)) throw bad('unknown algorithm');
  if (!Number.isSafeInteger(version) || (version as number) < 1) throw bad('version must be a positive integer');
  if (!TRUST_BUNDLE_STATUSES.includes(status as TrustBundleStatus)) throw bad(`unknown status (expected ${TRUST_BUNDLE_STATUSES.join(', ')})`);
  if (typeof keyId !== 'string' || !/^[0-9a-f]{64}$/.test(keyId)) throw bad('keyId must be 64 hex digits');
  if (!isB64(publicKey, 8192)) throw bad('publicKey must be base64url');
  if (previousSignature !== undefined && !isB64(previousSignature, 8192)) throw bad('previousSignature must be base64url');
  return raw as TrustBundleKey;
}

/**
 * Parses a bundle, rejecting unknown fields, algorithms and statuses, and anything oversized.
 * Parsing proves nothing: {@link followTrustBundle} checks the signatures.
 * @throws GatewayError `malformed_message`.
 */
export function parseTrustBundle(json: unknown): TrustBundle {
  // The format first, so a bundle of another format says so rather than naming a field.
  if ((json as { format?: unknown } | null)?.format !== TRUST_BUNDLE_FORMAT) throw bad(`expected format ${TRUST_BUNDLE_FORMAT} (a gateway older than this connector serves another one: upgrade the gateway)`);
  const b = onlyFields(json, ['format', 'signed', 'signatures'], 'the bundle');
  const s = onlyFields(b.signed, ['version', 'issuedAt', 'expires', 'keys'], 'signed');
  if (!Number.isSafeInteger(s.version) || (s.version as number) < 0) throw bad('signed.version must be a non-negative integer');
  if (!isTime(s.issuedAt) || !isTime(s.expires)) throw bad('issuedAt and expires must be ISO 8601 UTC times (YYYY-MM-DDTHH:MM:SS.sssZ)');
  if (!Array.isArray(s.keys) || s.keys.length > MAX_KEYS) throw bad(`keys must be a list of at most ${MAX_KEYS}`);
  if (!Array.isArray(b.signatures) || b.signatures.length > ALGORITHMS.length * 4) throw bad('signatures must be a short list');
  const signatures = b.signatures.map((raw: unknown) => {
    const { keyId, signature } = onlyFields(raw, ['keyId', 'signature'], 'a signature');
    if (typeof keyId !== 'string' || !/^[0-9a-f]{64}$/.test(keyId) || !isB64(signature, 8192)) throw bad('each signature needs a keyId (64 hex digits) and a base64url signature');
    return { keyId, signature: signature as string };
  });
  const signed: TrustBundleSigned = { version: s.version as number, issuedAt: s.issuedAt as string, expires: s.expires as string, keys: s.keys.map(parseKey) };
  return { format: TRUST_BUNDLE_FORMAT, signed, signatures };
}
