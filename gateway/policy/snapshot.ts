/**
 * The compiled policy the gateway decides from: plain maps built once when policy or floors
 * change, so a decision is a few lookups and never a database query.
 */
import type { FloorName } from './floors';
import { DEFAULT_LIMITS, type Limits } from './limits';

export type PolicyMode = 'enforce' | 'monitor';

export interface GlobalPolicy {
  /** Every tool demands at least ML-KEM-768 when true. */
  readonly enforcePqc: boolean;
  /** Algorithms a session may use; empty means any registered suite. */
  readonly allowedAlgos: readonly string[];
  readonly blockDowngradeAttempts: boolean;
  readonly alertOnLatencySpike: boolean;
  /** Rate and session limits (policy `limits:`), enforced in memory by the gateway core. */
  readonly limits: Limits;
}

export interface ToolEntry {
  readonly floor?: FloorName;
  /** Labels an admin confirmed (or put on the tool): their floors apply. */
  readonly labels: readonly string[];
  /**
   * Labels discovery suggested and no admin confirmed yet. They never carry a floor; decide()
   * reports the floor each would add, so the console can say what confirming it changes.
   */
  readonly suggestedLabels?: readonly string[];
  /** `held`: its definition changed and an admin has not approved it again. */
  readonly status: 'active' | 'held';
  /**
   * The approved definition: its hash (hex, `toolDefinitionHash` in gateway/mcp/tool-definition.ts)
   * and the text a client may be shown of it. The relay shows a listed tool only when its live
   * definition has this hash; absent, the live definition is not checked.
   */
  readonly pinned?: PinnedDefinition;
}

/** What of a tool's approved definition the snapshot keeps (docs/security.md, "Clients see only approved tool definitions"). */
export interface PinnedDefinition {
  readonly hash: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: unknown;
}

export interface UpstreamEntry {
  readonly floor?: FloorName;
  /** Labels an admin set on the server: their floors apply to every tool of it. */
  readonly labels: readonly string[];
  /** Keyed by tool name. Tools an upstream no longer lists are absent. */
  readonly tools: ReadonlyMap<string, ToolEntry>;
}

export interface IdentityEntry {
  readonly status: 'active' | 'suspended' | 'revoked';
  /** Upstream slugs this identity may reach; empty means all. */
  readonly allowedServers: readonly string[];
}

export interface PolicySnapshot {
  /** Increases with every rebuild; sessions and audit events record which one decided. */
  readonly epoch: number;
  readonly mode: PolicyMode;
  readonly global: GlobalPolicy;
  readonly upstreams: ReadonlyMap<string, UpstreamEntry>;
  /** Floors attached to labels, keyed by label name. */
  readonly labelFloors: ReadonlyMap<string, FloorName>;
  readonly identities: ReadonlyMap<string, IdentityEntry>;
}

export const DEFAULT_GLOBAL_POLICY: GlobalPolicy = Object.freeze({
  enforcePqc: false,
  allowedAlgos: Object.freeze([]),
  blockDowngradeAttempts: true,
  alertOnLatencySpike: true,
  limits: DEFAULT_LIMITS,
});
