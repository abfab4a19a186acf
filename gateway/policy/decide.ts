/**
 * The policy decision: pure, deny by default, and the same function the console's simulator
 * calls. It answers whether a session may reach a target, which rule decided, and a message
 * that tells the caller how to comply.
 */
import { FLOORS, getFloor, meetsFloor, type Floor, type FloorName, type SessionStrength } from './floors';
import type { IdentityEntry, PolicySnapshot, UpstreamEntry } from './snapshot';
import { algorithmsAllowed } from './allowed-algos';

export interface DecisionSession {
  readonly strength: SessionStrength;
  /** The identity id, when the session has one. */
  readonly identityId?: string;
  readonly identityName?: string;
}

export type DecisionTarget =
  | { readonly kind: 'tool'; readonly upstream: string; readonly tool: string }
  /** Resources, prompts and anything else an upstream serves: its server's floor applies. */
  | { readonly kind: 'server'; readonly upstream: string };

export type DecisionCode =
  | 'allowed'
  | 'below_floor'
  | 'algorithm_not_allowed'
  | 'unknown_upstream'
  | 'unknown_tool'
  | 'tool_held'
  | 'unknown_identity'
  | 'identity_suspended'
  | 'identity_revoked'
  | 'server_not_allowed';

/** Where the effective floor came from: the strictest rule that applies wins. */
export interface FloorSource {
  readonly floor: FloorName;
  /**
   * e.g. `tool clinic-records/read_chart`, `label healthcare` (confirmed on the tool),
   * `label healthcare on server clinic-records` (set on its server), `server clinic-records`,
   * `policy enforce_pqc`, `default`.
   */
  readonly rule: string;
  /**
   * Suggested labels of the tool that have a floor and do not apply: a suggestion carries no
   * floor until an admin confirms it. Absent when there are none.
   */
  readonly unconfirmed?: readonly { readonly label: string; readonly floor: FloorName }[];
}

export interface Decision {
  /** Whether the call goes through (true in monitor mode even when the policy would deny). */
  readonly allowed: boolean;
  /** What the policy says, whatever the mode. */
  readonly verdict: 'allow' | 'deny';
  /** True when the verdict was deny but monitor mode let the call through. */
  readonly monitored: boolean;
  readonly code: DecisionCode;
  readonly rule: string;
  readonly message: string;
  readonly effectiveFloor?: FloorSource;
  readonly epoch: number;
}

const RULE_ORDER = ['tool', 'label', 'server', 'policy', 'default'] as const;

/**
 * The strictest floor that applies to a target, and the rule it comes from. Ties go to the
 * most specific rule (tool, then label, then server, then the global policy).
 *
 * A label's floor applies when the label is confirmed on the tool or set on its server; a
 * label that is only suggested never does (this is the one place the rule is decided).
 */
export function effectiveFloor(snapshot: PolicySnapshot, upstreamSlug: string, upstream: UpstreamEntry, toolName?: string): FloorSource {
  const candidates: { floor: FloorName; rule: string; order: number }[] = [{ floor: 'classical-ok', rule: 'default', order: RULE_ORDER.indexOf('default') }];
  const tool = toolName === undefined ? undefined : upstream.tools.get(toolName);
  if (tool?.floor) candidates.push({ floor: tool.floor, rule: `tool ${upstreamSlug}/${toolName}`, order: 0 });
  const applied = new Set<string>();
  for (const label of tool?.labels ?? []) {
    applied.add(label);
    const floor = snapshot.labelFloors.get(label);
    if (floor) candidates.push({ floor, rule: `label ${label}`, order: 1 });
  }
  for (const label of upstream.labels) {
    if (applied.has(label)) continue;
    applied.add(label);
    const floor = snapshot.labelFloors.get(label);
    if (floor) candidates.push({ floor, rule: `label ${label} on server ${upstreamSlug}`, order: 1 });
  }
  if (upstream.floor) candidates.push({ floor: upstream.floor, rule: `server ${upstreamSlug}`, order: 2 });
  if (snapshot.global.enforcePqc) candidates.push({ floor: 'ML-KEM-768', rule: 'policy enforce_pqc', order: 3 });
  const rank = (f: FloorName) => getFloor(f).rank;
  candidates.sort((a, b) => rank(b.floor) - rank(a.floor) || a.order - b.order);
  const best = candidates[0]!;
  const unconfirmed = [...new Set(tool?.suggestedLabels ?? [])]
    .filter((label) => !applied.has(label))
    .flatMap((label) => {
      const floor = snapshot.labelFloors.get(label);
      return floor ? [{ label, floor }] : [];
    });
  return unconfirmed.length ? { floor: best.floor, rule: best.rule, unconfirmed } : { floor: best.floor, rule: best.rule };
}

/** Why a held tool is refused, and what to do about it (also the relay's, when it sees the change first). */
export const heldToolMessage = (upstream: string, tool: string): string =>
  `tool ${upstream}/${tool} changed its definition since an admin approved it; it is held until approved again on the Tools page`;

export function decide(session: DecisionSession, target: DecisionTarget, snapshot: PolicySnapshot): Decision {
  const base = { epoch: snapshot.epoch };
  const deny = (code: DecisionCode, rule: string, message: string, effective?: FloorSource, monitorable = false): Decision => {
    const monitored = monitorable && snapshot.mode === 'monitor';
    return { ...base, allowed: monitored, verdict: 'deny', monitored, code, rule, message: monitored ? `[monitor mode: allowed] ${message}` : message, effectiveFloor: effective };
  };

  const identityProblem = checkIdentity(session, target.upstream, snapshot.identities);
  if (identityProblem) return deny(identityProblem.code, identityProblem.rule, identityProblem.message);

  const upstream = snapshot.upstreams.get(target.upstream);
  if (!upstream) return deny('unknown_upstream', 'default deny', `Server "${target.upstream}" is not registered at this gateway. Check the URL (/api/mcp/<server>) against the Servers page.`);

  let what = `server ${target.upstream}`;
  if (target.kind === 'tool') {
    const tool = upstream.tools.get(target.tool);
    what = `tool ${target.upstream}/${target.tool}`;
    if (!tool) return deny('unknown_tool', 'default deny', `Tool "${target.tool}" is not a known tool of ${target.upstream}. List the tools again (tools/list); if it is new, the gateway lists it on its next refresh.`);
    if (tool.status === 'held') {
      return deny('tool_held', `held ${what}`, heldToolMessage(target.upstream, target.tool));
    }
  }

  const effective = effectiveFloor(snapshot, target.upstream, upstream, target.kind === 'tool' ? target.tool : undefined);
  const floor = getFloor(effective.floor);
  if (!meetsFloor(session.strength, floor)) {
    return deny('below_floor', effective.rule, belowFloorMessage(what, effective, floor, session.strength), effective, true);
  }
  const algos = algorithmsAllowed(session.strength.suite, snapshot.global.allowedAlgos);
  if (!algos.allowed) {
    return deny('algorithm_not_allowed', 'policy allowed_algos', `${what} refused: this session's suite ${session.strength.suite} uses ${algos.offending.join(', ')}, not in the policy's allowed_algos (${snapshot.global.allowedAlgos.join(', ')}). Connect with pqgate connect --min-suite naming an allowed suite.`, effective, true);
  }
  return { ...base, allowed: true, verdict: 'allow', monitored: false, code: 'allowed', rule: effective.rule, message: `${what} allowed: floor ${effective.floor} (${effective.rule}) met by ${session.strength.suite}.`, effectiveFloor: effective };
}

function belowFloorMessage(what: string, effective: FloorSource, floor: Floor, strength: SessionStrength): string {
  const how =
    strength.suite === 'classical-bearer'
      ? 'This client connected with an API token, over plain HTTP or TLS the gateway does not terminate, which counts as classical: connect through `pqgate connect` with an enrolled ML-DSA identity.'
      : `Connect with \`pqgate connect --min-suite ${floor.name}\` and an identity key of at least that strength.`;
  return `${what} requires ${floor.name} (${effective.rule}); this session negotiated ${strength.suite}. ${how}`;
}

function checkIdentity(session: DecisionSession, upstream: string, identities: ReadonlyMap<string, IdentityEntry>): { code: DecisionCode; rule: string; message: string } | undefined {
  if (session.identityId === undefined) return { code: 'unknown_identity', rule: 'default deny', message: 'The session has no identity. Connect with an enrolled identity key or an API token.' };
  const identity = identities.get(session.identityId);
  const name = session.identityName ?? session.identityId;
  if (!identity) return { code: 'unknown_identity', rule: 'default deny', message: `Identity ${name} is not known to this gateway. Enroll it on the Identities page.` };
  if (identity.status === 'revoked') return { code: 'identity_revoked', rule: `identity ${name} revoked`, message: `Identity ${name} was revoked. Ask an admin for a new identity.` };
  if (identity.status === 'suspended') return { code: 'identity_suspended', rule: `identity ${name} suspended`, message: `Identity ${name} is suspended. Ask an admin to reinstate it on the Identities page.` };
  if (identity.allowedServers.length > 0 && !identity.allowedServers.includes(upstream)) {
    return { code: 'server_not_allowed', rule: `identity ${name} allowed servers`, message: `Identity ${name} may not reach server ${upstream} (allowed: ${identity.allowedServers.join(', ')}). Ask an admin to allow it on the Identities page.` };
  }
  return undefined;
}

/** Floors in order of strictness, for UIs. */
export const FLOOR_ORDER: readonly FloorName[] = FLOORS.map((f) => f.name as FloorName);
