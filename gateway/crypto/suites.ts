/**
 * The suite registry: crypto agility as data. A suite names a KEM, a signature scheme, an AEAD and
 * a hash; adding one is a new entry here (and a wire code point), not a new code path.
 */
import { GatewayError } from '../errors';

/** Key encapsulation mechanisms the providers implement. */
export type KemId = 'X25519' | 'X-Wing' | 'ML-KEM-768' | 'ML-KEM-1024';
/** Signature schemes the providers implement. */
export type SignatureId = 'Ed25519' | 'ML-DSA-65' | 'ML-DSA-87';
/** AEADs the providers implement. */
export type AeadId = 'AES-256-GCM' | 'ChaCha20-Poly1305';
/** Hashes used for transcripts, HMAC and HKDF. */
export type HashId = 'SHA-256' | 'SHA-384';

/** One entry of the registry. NIST category 0 means "classical, no post-quantum claim". */
export interface Suite {
  /** Canonical name, used in config and logs. */
  readonly name: string;
  /** Wire code point (u16). Never reused. */
  readonly id: number;
  readonly kem: KemId;
  readonly signature: SignatureId;
  readonly aead: AeadId;
  readonly hash: HashId;
  /** NIST PQC security category of the KEM (FIPS 203): 0 classical, 3 ML-KEM-768, 5 ML-KEM-1024. */
  readonly kemCategory: 0 | 1 | 3 | 5;
  /** NIST PQC security category of the signature (FIPS 204): 0 classical, 3 ML-DSA-65, 5 ML-DSA-87. */
  readonly signatureCategory: 0 | 2 | 3 | 5;
  /** True when both KEM and signature resist a cryptographically relevant quantum computer. */
  readonly quantumSafe: boolean;
  /** Names people use in policies (`allowed_algos`), matched case-insensitively. */
  readonly policyNames: readonly string[];
}

/** All suites, strongest last. Frozen: the registry is data and never mutated at run time. */
export const SUITES: readonly Suite[] = Object.freeze([
  Object.freeze({
    name: 'classical-x25519-ed25519',
    id: 0x0001,
    kem: 'X25519',
    signature: 'Ed25519',
    aead: 'ChaCha20-Poly1305',
    hash: 'SHA-384',
    kemCategory: 0,
    signatureCategory: 0,
    quantumSafe: false,
    policyNames: Object.freeze(['classical', 'classical-ok', 'X25519', 'Ed25519']),
  }),
  Object.freeze({
    name: 'hybrid-xwing-mldsa65',
    id: 0x0002,
    kem: 'X-Wing',
    signature: 'ML-DSA-65',
    aead: 'AES-256-GCM',
    hash: 'SHA-384',
    kemCategory: 3,
    signatureCategory: 3,
    quantumSafe: true,
    policyNames: Object.freeze(['hybrid', 'X-Wing', 'ML-KEM-768', 'ML-DSA-65', 'ml_kem768_x25519']),
  }),
  Object.freeze({
    name: 'cnsa2-mlkem1024-mldsa87',
    id: 0x0003,
    kem: 'ML-KEM-1024',
    signature: 'ML-DSA-87',
    aead: 'AES-256-GCM',
    hash: 'SHA-384',
    kemCategory: 5,
    signatureCategory: 5,
    quantumSafe: true,
    policyNames: Object.freeze(['high', 'CNSA-2.0', 'ML-KEM-1024', 'ML-DSA-87']),
  }),
] satisfies Suite[]);

/** The suite clients offer first when nothing else is configured. */
export const DEFAULT_SUITE_NAME = 'hybrid-xwing-mldsa65';

/** Canonical names of every registered suite, for error messages and UIs. */
export function suiteNames(): string[] {
  return SUITES.map((s) => s.name);
}

/**
 * Looks a suite up by canonical name or policy name (case-insensitive).
 * @throws GatewayError `unknown_suite` listing the known names.
 */
export function getSuite(name: string): Suite {
  const key = String(name).toLowerCase();
  const found =
    SUITES.find((s) => s.name === key) ?? SUITES.find((s) => s.policyNames.some((p) => p.toLowerCase() === key));
  if (!found) {
    const known = SUITES.map((s) => `${s.name} (${s.policyNames.join(', ')})`).join('; ');
    throw new GatewayError('unknown_suite', `unknown suite "${String(name).slice(0, 64)}"; known suites: ${known}`);
  }
  return found;
}

/** Looks a suite up by wire code point; undefined when unknown (offers may name future suites). */
export function getSuiteById(id: number): Suite | undefined {
  return SUITES.find((s) => s.id === id);
}

/**
 * True when `suite` is at least as strong as `floor` on every axis: quantum safety, KEM category
 * and signature category. Used by the client (its minimum) and the gateway (its policy floor).
 */
export function meetsMinimum(suite: Suite, floor: Suite): boolean {
  return (
    (suite.quantumSafe || !floor.quantumSafe) &&
    suite.kemCategory >= floor.kemCategory &&
    suite.signatureCategory >= floor.signatureCategory
  );
}

/** NIST category of each signature scheme, used to match identity keys to suites. */
export const SIGNATURE_CATEGORY: Readonly<Record<SignatureId, 0 | 2 | 3 | 5>> = Object.freeze({ Ed25519: 0, 'ML-DSA-65': 3, 'ML-DSA-87': 5 });

/**
 * True when an identity key of `algorithm` is strong enough for `suite`: its category is at
 * least the suite's signature category (an ML-DSA-87 identity may use the hybrid suite, an
 * Ed25519 identity only the classical one).
 */
export function identityFitsSuite(suite: Suite, algorithm: SignatureId): boolean {
  return SIGNATURE_CATEGORY[algorithm] >= suite.signatureCategory;
}
