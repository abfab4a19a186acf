/**
 * What the MCP gateway core needs from the outside world. `lib/gateway-store/` implements it
 * over Prisma for the app; tests implement it in memory. Per-call lookups are synchronous on
 * purpose: they read an in-memory snapshot the store keeps fresh, never the database
 * (DESIGN.md §7: the hot path touches no database).
 */
import type { IdentityLookup, KeyPair, SeqLedger, TicketKeyRing } from '../channel';
import type { PolicySnapshot } from '../policy/snapshot';

/** How the gateway reaches one upstream MCP server. Credentials are already decrypted. */
export type UpstreamConfig = UpstreamTransportConfig & UpstreamSessionConfig;

/**
 * How client sessions meet the upstream, and which server requests the gateway relays. Every
 * field is optional; the defaults are the faithful relay.
 */
export interface UpstreamSessionConfig {
  /**
   * One upstream session (one process, for stdio) serves every client session of this server,
   * instead of one each. Clients then share the server's state, and the gateway relays no server
   * requests (sampling, elicitation, roots) and no log or resource notifications on it. Default false.
   */
  readonly shared?: boolean;
  /** Relay the upstream's `sampling/createMessage` requests to the client. Default true. */
  readonly allowSampling?: boolean;
  /** Relay the upstream's `elicitation/create` requests to the client. Default true. */
  readonly allowElicitation?: boolean;
}

/** Where the upstream is. */
export type UpstreamTransportConfig =
  | {
      readonly slug: string;
      readonly transport: 'http';
      readonly url: string;
      /** Extra request headers (e.g. Authorization), injected by the gateway, never logged. */
      readonly headers: Readonly<Record<string, string>>;
    }
  | {
      readonly slug: string;
      readonly transport: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      /** Environment for the child process (non-secret env plus decrypted credentials), never logged. */
      readonly env: Readonly<Record<string, string>>;
      readonly cwd?: string;
    };

/** A caller the gateway recognised, by API token or by identity key. */
export interface Caller {
  readonly identityId: string;
  readonly identityName: string;
}

/** One tool as an upstream lists it (tools/list), for discovery and definition pinning. */
export interface ListedTool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
}

/** One gateway decision, for discovery edges and the audit log (written in batches). */
export interface TrafficEvent {
  readonly time: number;
  /** Unique per decision (16 random bytes, hex): how a stored event is told from a new one. */
  readonly requestId: string;
  readonly upstream: string;
  /** `tools/call`, `tools/list`, `resources/read`, `prompts/get`, … */
  readonly method: string;
  readonly tool?: string;
  readonly identityId?: string;
  /** The negotiated suite name, or `classical-bearer`. */
  readonly suite: string;
  readonly transport: 'pq' | 'bearer';
  /** `allow`, `deny`, or `monitor` (denied by policy, let through in monitor mode). */
  readonly decision: 'allow' | 'deny' | 'monitor';
  readonly code: string;
  readonly rule: string;
  readonly epoch: number;
  /** Upstream round-trip time in milliseconds, when the call reached the upstream. */
  readonly latencyMs?: number;
  /** Set when the upstream failed (down, timeout, crashed). */
  readonly upstreamError?: string;
}

export interface GatewayStore {
  /**
   * The current compiled policy, rebuilt by the store when policy, floors, tools or identities
   * change. A snapshot is never mutated: a change is a new object (decisions are memoized per one).
   */
  snapshot(): PolicySnapshot;
  /** How to reach an upstream, or undefined when no such server is registered. */
  upstream(slug: string): UpstreamConfig | undefined;
  /** The caller holding this bearer API token, or null (unknown, expired or revoked). */
  authenticateToken(token: string): Caller | null;
  /** The identity that owns an enrolled channel key id (hex), or null. */
  callerForKey(keyIdHex: string): Caller | null;
  /** Channel dependencies: identity public keys, the shared ticket key ring, gateway signing keys. */
  readonly channel: {
    readonly identities: IdentityLookup;
    readonly keyRing: TicketKeyRing;
    readonly gatewayKeys: readonly Pick<KeyPair, 'algorithm' | 'seed'>[];
    /**
     * The shared, durable record of which gateway process holds each channel session and the
     * sequence numbers it reserved: at most once per record across restarts and replicas.
     * Without one, at most once holds within this process only.
     */
    readonly seqLedger?: SeqLedger;
  };
  /**
   * Called with batches of traffic events (never on the request path). Rejects only when the
   * batch may be written again: nothing of it was lost, and writing it again stores each event
   * once (events are told apart by `requestId`). An event that cannot be stored is accounted for
   * by the store, not by rejecting the batch.
   */
  recordTraffic(events: readonly TrafficEvent[]): Promise<void>;
  /** Called after the gateway listed an upstream's tools (on first connect and on a schedule). */
  recordToolList(upstream: string, tools: readonly ListedTool[]): Promise<void>;
  /**
   * Called when a client's own `tools/list` showed these tools with a definition other than the
   * approved one: each is held, as discovery holds it, and the snapshot says so once this
   * resolves. Tools the store does not know, or listed as approved, are left alone; nothing is
   * added or removed (one client's listing may be a page of the list).
   */
  holdChangedTools(upstream: string, tools: readonly ListedTool[]): Promise<void>;
}
