/**
 * Floors: the minimum crypto strength a tool demands, as data. A floor is met by a session
 * whose KEM and signature categories reach the floor's and that is quantum-safe when the floor
 * requires it. Names read as people say them in policies.
 */
import { GatewayError } from '../errors';

export interface Floor {
  readonly name: string;
  readonly kemCategory: 0 | 3 | 5;
  readonly signatureCategory: 0 | 3 | 5;
  readonly quantumSafe: boolean;
  /** Order of strictness; a higher rank is stricter. */
  readonly rank: number;
  readonly description: string;
}

export const FLOORS: readonly Floor[] = Object.freeze([
  Object.freeze({ name: 'classical-ok', kemCategory: 0, signatureCategory: 0, quantumSafe: false, rank: 0, description: 'Any session, classical included.' }),
  Object.freeze({ name: 'ML-KEM-768', kemCategory: 3, signatureCategory: 3, quantumSafe: true, rank: 1, description: 'Post-quantum: ML-KEM-768 (or X-Wing) with ML-DSA-65, NIST category 3.' }),
  Object.freeze({ name: 'ML-KEM-1024', kemCategory: 5, signatureCategory: 5, quantumSafe: true, rank: 2, description: 'CNSA 2.0: ML-KEM-1024 with ML-DSA-87, NIST category 5.' }),
] satisfies Floor[]);

export type FloorName = 'classical-ok' | 'ML-KEM-768' | 'ML-KEM-1024';

export function floorNames(): FloorName[] {
  return FLOORS.map((f) => f.name as FloorName);
}

/** @throws GatewayError `unknown_floor` listing the known floors. */
export function getFloor(name: string): Floor {
  const found = FLOORS.find((f) => f.name.toLowerCase() === String(name).toLowerCase());
  if (!found) throw new GatewayError('unknown_floor', `unknown floor "${String(name).slice(0, 64)}"; known floors: ${floorNames().join(', ')}`);
  return found;
}

/** The strength a session actually has, from the suite it negotiated or its classical transport. */
export interface SessionStrength {
  /** The suite name, or `classical-bearer` for a bearer-token session (plain HTTP, or TLS the gateway does not terminate). */
  readonly suite: string;
  readonly kemCategory: number;
  readonly signatureCategory: number;
  readonly quantumSafe: boolean;
}

/** The strength of a bearer-token session: whatever TLS was used, the gateway cannot see it, so classical. */
export const BEARER_STRENGTH: SessionStrength = Object.freeze({ suite: 'classical-bearer', kemCategory: 0, signatureCategory: 0, quantumSafe: false });

export function meetsFloor(strength: SessionStrength, floor: Floor): boolean {
  return (strength.quantumSafe || !floor.quantumSafe) && strength.kemCategory >= floor.kemCategory && strength.signatureCategory >= floor.signatureCategory;
}
