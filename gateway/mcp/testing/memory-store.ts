/**
 * An in-memory `GatewayStore` for tests and benches: upstreams, API tokens, enrolled identity
 * keys and floors set from code, tool definitions pinned by hash the way the app's store pins
 * them (a changed definition is held), and every traffic batch kept for assertions.
 */
import { InMemoryTicketKeyRing, MemorySeqLedger, type KeyPair, type PublicKeyRecord } from '../../channel';
import { toHex } from '../../crypto';
import type { FloorName } from '../../policy/floors';
import { DEFAULT_GLOBAL_POLICY, type GlobalPolicy, type IdentityEntry, type PolicySnapshot, type ToolEntry } from '../../policy/snapshot';
import type { Caller, GatewayStore, ListedTool, TrafficEvent, UpstreamConfig } from '../store';
import { toolDefinitionHashHex } from '../tool-definition';

/** A tool as the store pins it: the approved definition, and a changed one awaiting approval. */
interface PinnedTool {
  status: ToolEntry['status'];
  approved: { hash: string; tool: ListedTool };
  pending?: { hash: string; tool: ListedTool };
}

interface UpstreamState {
  config: UpstreamConfig;
  floor?: FloorName;
  labels: string[];
  tools: Map<string, PinnedTool>;
  toolFloors: Map<string, FloorName>;
  toolLabels: Map<string, string[]>;
}

/** The in-memory store; mutators rebuild the snapshot (and bump its epoch) at once. */
export class MemoryGatewayStore implements GatewayStore {
  readonly traffic: TrafficEvent[] = [];
  readonly trafficBatches: number[] = [];
  readonly toolLists: { upstream: string; tools: readonly ListedTool[] }[] = [];
  readonly channel: GatewayStore['channel'];
  private readonly upstreams = new Map<string, UpstreamState>();
  private readonly tokens = new Map<string, Caller>();
  private readonly keys = new Map<string, { caller: Caller; record: PublicKeyRecord }>();
  private readonly identities = new Map<string, IdentityEntry>();
  private readonly labelFloors = new Map<string, FloorName>();
  private global: GlobalPolicy = DEFAULT_GLOBAL_POLICY;
  private mode: PolicySnapshot['mode'] = 'enforce';
  private current!: PolicySnapshot;
  private epoch = 0;

  constructor(gatewayKeys: readonly Pick<KeyPair, 'algorithm' | 'seed'>[], ringKey: Uint8Array = new Uint8Array(32).fill(7)) {
    this.channel = {
      identities: async (keyId) => this.keys.get(toHex(keyId))?.record ?? null,
      keyRing: new InMemoryTicketKeyRing(ringKey),
      gatewayKeys,
      // Shared by every gateway built on this store, as the database's ledger is by replicas.
      seqLedger: new MemorySeqLedger(),
    };
    this.rebuild();
  }

  addUpstream(config: UpstreamConfig, policy: { floor?: FloorName; labels?: string[] } = {}): this {
    this.upstreams.set(config.slug, { config, floor: policy.floor, labels: policy.labels ?? [], tools: new Map(), toolFloors: new Map(), toolLabels: new Map() });
    return this.rebuild();
  }

  /** Replaces how an upstream is reached (e.g. after it moved to another port). */
  setUpstreamConfig(config: UpstreamConfig): this {
    this.upstreams.get(config.slug)!.config = config;
    return this;
  }

  addIdentity(id: string, name: string, entry: Partial<IdentityEntry> = {}): this {
    this.identities.set(id, { status: 'active', allowedServers: [], ...entry });
    return this.rebuild();
  }

  setIdentityStatus(id: string, status: IdentityEntry['status']): this {
    this.identities.set(id, { ...this.identities.get(id)!, status });
    return this.rebuild();
  }

  addToken(token: string, caller: Caller): this {
    this.tokens.set(token, caller);
    return this;
  }

  enrollKey(key: Pick<KeyPair, 'algorithm' | 'publicKey' | 'keyId'>, caller: Caller): this {
    this.keys.set(toHex(key.keyId), { caller, record: { algorithm: key.algorithm, publicKey: key.publicKey } });
    return this;
  }

  setToolFloor(upstream: string, tool: string, floor: FloorName | undefined): this {
    const u = this.upstreams.get(upstream)!;
    if (floor) u.toolFloors.set(tool, floor);
    else u.toolFloors.delete(tool);
    return this.rebuild();
  }

  setToolLabels(upstream: string, tool: string, labels: string[]): this {
    this.upstreams.get(upstream)!.toolLabels.set(tool, labels);
    return this.rebuild();
  }

  setLabelFloor(label: string, floor: FloorName): this {
    this.labelFloors.set(label, floor);
    return this.rebuild();
  }

  setServerFloor(upstream: string, floor: FloorName | undefined): this {
    this.upstreams.get(upstream)!.floor = floor;
    return this.rebuild();
  }

  setMode(mode: PolicySnapshot['mode']): this {
    this.mode = mode;
    return this.rebuild();
  }

  setGlobal(global: Partial<GlobalPolicy>): this {
    this.global = { ...this.global, ...global };
    return this.rebuild();
  }

  /** Marks a tool held, as the app does when its pinned definition changes. */
  holdTool(upstream: string, tool: string): this {
    this.upstreams.get(upstream)!.tools.get(tool)!.status = 'held';
    return this.rebuild();
  }

  /** An admin approves a held tool's new definition (the Tools page): it becomes the pinned one. */
  approveTool(upstream: string, tool: string): this {
    const t = this.upstreams.get(upstream)!.tools.get(tool)!;
    if (t.pending) t.approved = t.pending;
    t.pending = undefined;
    t.status = 'active';
    return this.rebuild();
  }

  snapshot(): PolicySnapshot {
    return this.current;
  }

  upstream(slug: string): UpstreamConfig | undefined {
    return this.upstreams.get(slug)?.config;
  }

  authenticateToken(token: string): Caller | null {
    const caller = this.tokens.get(token);
    return caller && this.identities.get(caller.identityId)?.status !== 'revoked' ? caller : null;
  }

  callerForKey(keyIdHex: string): Caller | null {
    return this.keys.get(keyIdHex)?.caller ?? null;
  }

  async recordTraffic(events: readonly TrafficEvent[]): Promise<void> {
    this.trafficBatches.push(events.length);
    this.traffic.push(...events);
  }

  async recordToolList(upstream: string, tools: readonly ListedTool[]): Promise<void> {
    this.toolLists.push({ upstream, tools });
    const u = this.upstreams.get(upstream);
    if (!u) return;
    // The app's rule (lib/gateway-store/record-tool-list.ts): new tools are pinned as listed, a
    // changed one is held with the new definition pending, one back to the approved definition
    // is active again, and tools no longer listed are gone.
    const next = new Map<string, PinnedTool>();
    for (const t of tools) {
      const hash = toolDefinitionHashHex(t);
      const before = u.tools.get(t.name);
      if (!before) next.set(t.name, { status: 'active', approved: { hash, tool: t } });
      else if (before.approved.hash === hash) next.set(t.name, { status: 'active', approved: before.approved });
      else next.set(t.name, { status: 'held', approved: before.approved, pending: { hash, tool: t } });
    }
    u.tools = next;
    this.rebuild();
  }

  async holdChangedTools(upstream: string, tools: readonly ListedTool[]): Promise<void> {
    const u = this.upstreams.get(upstream);
    if (!u) return;
    for (const t of tools) {
      const pinned = u.tools.get(t.name);
      const hash = toolDefinitionHashHex(t);
      if (!pinned || pinned.approved.hash === hash) continue;
      pinned.status = 'held';
      pinned.pending = { hash, tool: t };
    }
    this.rebuild();
  }

  private rebuild(): this {
    const upstreams = new Map(
      [...this.upstreams].map(([slug, u]) => [
        slug,
        {
          floor: u.floor,
          labels: u.labels,
          tools: new Map(
            [...u.tools].map(([name, t]): [string, ToolEntry] => {
              const { title, description = '', inputSchema = {} } = t.approved.tool;
              const pinned = { hash: t.approved.hash, ...(title === undefined ? {} : { title }), description, inputSchema };
              return [name, { status: t.status, labels: u.toolLabels.get(name) ?? [], floor: u.toolFloors.get(name), pinned }];
            }),
          ),
        },
      ]),
    );
    this.current = { epoch: ++this.epoch, mode: this.mode, global: this.global, upstreams, labelFloors: new Map(this.labelFloors), identities: new Map(this.identities) };
    return this;
  }
}
