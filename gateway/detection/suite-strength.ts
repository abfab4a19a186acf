import { SUITES } from '../crypto/suites';

/**
 * How strong a negotiated suite is, for colouring and for "fell back to classical":
 * `pq5` post-quantum NIST category 5, `pq3` category 3 (the hybrid suite), `classical` no
 * post-quantum protection (including bearer-token calls, recorded as `classical-bearer`).
 */
export type SuiteStrength = 'pq5' | 'pq3' | 'classical';

/** Weakest first: the order in which a map edge takes the weakest suite it carried. */
export const SUITE_STRENGTHS: readonly SuiteStrength[] = ['classical', 'pq3', 'pq5'];

const BY_NAME = new Map(SUITES.map((s) => [s.name, s]));

/** The strength of a suite name; unknown names count as classical (never overstate protection). */
export function suiteStrength(suite: string): SuiteStrength {
  const s = BY_NAME.get(suite);
  if (!s?.quantumSafe) return 'classical';
  return Math.min(s.kemCategory, s.signatureCategory) >= 5 ? 'pq5' : 'pq3';
}

/** The weaker of two strengths. */
export function weakerStrength(a: SuiteStrength, b: SuiteStrength): SuiteStrength {
  return SUITE_STRENGTHS.indexOf(a) <= SUITE_STRENGTHS.indexOf(b) ? a : b;
}
