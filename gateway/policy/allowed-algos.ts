/**
 * `allowed_algos` semantics: a session's suite is allowed when its KEM and its signature each
 * appear in the list, or are a stronger member of a listed family (ML-KEM-1024 where ML-KEM-768
 * is listed, ML-DSA-87 where ML-DSA-65 is). X-Wing is ML-KEM-768 combined with X25519, so
 * listing ML-KEM-768 allows it. An empty list allows every registered suite.
 */
import { getSuite, type KemId, type SignatureId } from '../crypto/suites';

/** Names in a policy that each algorithm satisfies, weakest-compatible names included. */
const SATISFIES: Record<KemId | SignatureId, readonly string[]> = {
  X25519: ['x25519', 'classical'],
  'X-Wing': ['x-wing', 'ml-kem-768', 'ml_kem768_x25519'],
  'ML-KEM-768': ['ml-kem-768'],
  'ML-KEM-1024': ['ml-kem-1024', 'ml-kem-768'],
  Ed25519: ['ed25519', 'classical'],
  'ML-DSA-65': ['ml-dsa-65'],
  'ML-DSA-87': ['ml-dsa-87', 'ml-dsa-65'],
};

/** Every algorithm name a policy may list. */
export const KNOWN_ALGORITHM_NAMES: readonly string[] = ['ML-KEM-768', 'ML-KEM-1024', 'X-Wing', 'X25519', 'ML-DSA-65', 'ML-DSA-87', 'Ed25519', 'classical'];

export function algorithmsAllowed(suiteName: string, allowed: readonly string[]): { allowed: boolean; offending: string[] } {
  if (allowed.length === 0) return { allowed: true, offending: [] };
  const listed = new Set(allowed.map((a) => a.toLowerCase()));
  // A bearer-token session has no suite of ours: it is plain classical.
  const algorithms: (KemId | SignatureId)[] = suiteName === 'classical-bearer' ? ['X25519', 'Ed25519'] : [getSuite(suiteName).kem, getSuite(suiteName).signature];
  const offending = algorithms.filter((a) => !SATISFIES[a].some((name) => listed.has(name)));
  return { allowed: offending.length === 0, offending };
}
