import { SUITES } from '@/gateway/crypto';
import { algorithmsAllowed } from '@/gateway/policy/allowed-algos';
import { getFloor } from '@/gateway/policy/floors';
import type { PolicyDocument } from './policy-document';

/** One difference between two policies, in the terms an admin confirms it in. */
export interface PolicyChange {
  kind: 'added' | 'removed' | 'changed';
  /** Dotted YAML path, e.g. `floors.labels.healthcare`, `limits.sessions_per_identity`, `mode`. */
  path: string;
  before?: string;
  after?: string;
  /** True when the change lets through something the policy before it refused. */
  weakens: boolean;
  /** The change in a sentence, e.g. "floor of label healthcare removed (was ML-KEM-768)". */
  text: string;
}

const FLOOR_SCOPES = [
  ['labels', 'label'],
  ['servers', 'server'],
  ['tools', 'tool'],
] as const;

const rank = (floor: string) => getFloor(floor).rank;

function floorChanges(before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const [section, noun] of FLOOR_SCOPES) {
    const was = before.floors[section] as Record<string, string>;
    const now = after.floors[section] as Record<string, string>;
    for (const key of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
      const path = `floors.${section}.${key}`;
      const [b, a] = [was[key], now[key]];
      if (b === a) continue;
      if (b === undefined) out.push({ kind: 'added', path, after: a, weakens: false, text: `floor of ${noun} ${key} added: ${a}` });
      else if (a === undefined) out.push({ kind: 'removed', path, before: b, weakens: rank(b) > 0, text: `floor of ${noun} ${key} removed (was ${b})` });
      else out.push({ kind: 'changed', path, before: b, after: a, weakens: rank(a) < rank(b), text: `floor of ${noun} ${key} changed: ${b} → ${a}` });
    }
  }
  return out;
}

/** Switches where `true` is the stricter value. */
const STRICT_WHEN_TRUE = new Set(['p2p_connectivity.enforce_pqc', 'threat_detection.block_downgrade_attempts', 'threat_detection.alert_on_latency_spike']);

function valueChange(path: string, b: unknown, a: unknown, weakens: boolean): PolicyChange {
  const [before, after] = [String(b), String(a)];
  return { kind: 'changed', path, before, after, weakens, text: `${path}: ${before} → ${after}` };
}

const algosText = (list: readonly string[]) => (list.length ? list.join(', ') : 'any suite');

/** True when `after` allows some suite `before` refused (an empty list allows every suite). */
function widens(before: readonly string[], after: readonly string[]): boolean {
  return ['classical-bearer', ...SUITES.map((s) => s.name)].some((suite) => algorithmsAllowed(suite, after).allowed && !algorithmsAllowed(suite, before).allowed);
}

/**
 * Every difference between two policies that changes what the gateway does: floors added,
 * removed and changed, the mode, the global switches and the limits. Weakening changes are
 * marked, so a confirmation can say which ones open the gateway up.
 */
export function policyChanges(before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const out = floorChanges(before, after);
  if (before.mode !== after.mode) out.push(valueChange('mode', before.mode, after.mode, after.mode === 'monitor'));
  // The list is a set: order and case mean nothing.
  const algoSet = (list: readonly string[]) => list.map((a) => a.toLowerCase()).sort().join();
  const sameAlgos = algoSet(before.p2p_connectivity.allowed_algos) === algoSet(after.p2p_connectivity.allowed_algos);
  for (const group of ['p2p_connectivity', 'threat_detection'] as const) {
    for (const [key, value] of Object.entries(after[group])) {
      const path = `${group}.${key}`;
      const old = (before[group] as Record<string, unknown>)[key];
      if (key === 'allowed_algos') {
        if (sameAlgos) continue;
        const [b, a] = [before.p2p_connectivity.allowed_algos, after.p2p_connectivity.allowed_algos];
        out.push({ kind: 'changed', path, before: algosText(b), after: algosText(a), weakens: widens(b, a), text: `${path}: ${algosText(b)} → ${algosText(a)}` });
      } else if (old !== value) out.push(valueChange(path, old, value, STRICT_WHEN_TRUE.has(path) && value === false));
    }
  }
  for (const [key, value] of Object.entries(after.limits)) {
    const old = before.limits[key as keyof PolicyDocument['limits']];
    // A higher limit lets more through.
    if (old !== value) out.push(valueChange(`limits.${key}`, old, value, value > old));
  }
  return out;
}
