/**
 * The MCP gateway core: `handle(request, server)` from a web `Request` to a `Response` (hono
 * style), with the store, clock and randomness injected. Under `<base>/<server>` it speaks MCP
 * Streamable HTTP to bearer-token clients; under `<base>/<server>/pq/…` the post-quantum channel
 * to the `pqgate connect` connector. Both reach relay sessions (relay-session.ts), each with an
 * upstream session of its own, under the same policy.
 */
import { createChannelServer, LedgerReplayGuard, MemorySeqLedger, type ChannelServer } from '../channel';
import { getCryptoProvider, toBase64Url, toHex } from '../crypto';
import { errorResponse, GatewayError } from '../errors';
import { createChannelDownstream } from './channel-downstream';
import { gatewayPublicKeys } from './gateway-keys';
import { createHttpDownstream, type OpenRelay } from './http-downstream';
import { jsonRpcErrorResponse } from './json-rpc-errors';
import { createLimiter } from './limiter';
import { openRelaySession, type RelayDeps, type ToolListMode } from './relay-session';
import { createHostGuard, type PublicOrigins } from './host-guard';
import { createSourceGuard, type SourcedEventSink } from './source-guard';
import { bearerContext } from './session-context';
import type { GatewayStore } from './store';
import { createTrafficRecorder, type TrafficJournal } from './traffic-recorder';
import { createUpstreamPool, type UpstreamPoolOptions, type UpstreamStatus } from './upstream-pool';

/** Tunables; every one has a default. */
export interface McpGatewayOptions extends UpstreamPoolOptions {
  /** Largest accepted Streamable HTTP body; larger ones get 413 while reading. Default `DEFAULT_MAX_BODY_BYTES`. */
  readonly maxBodyBytes?: number;
  /** `filter` hides tools the session may not call from tools/list; `mark` keeps them, annotated. Default `filter`. */
  readonly toolListMode?: ToolListMode;
  /** Traffic events are written every `trafficIntervalMs` (default 500) or `trafficMaxBatch` events (default 500). */
  readonly trafficIntervalMs?: number;
  readonly trafficMaxBatch?: number;
  /** Idle MCP sessions are closed after this long. Default 30 min. */
  readonly sessionIdleMs?: number;
  /** Open MCP sessions per transport at most. Default 10 000. */
  readonly maxSessions?: number;
  /** How long a channel poll record waits for a server message. Default 25 000 ms. */
  readonly pollWaitMs?: number;
  /**
   * Replay window of channel records (RFC 4303 §3.4.3), in records. Default 1024: a connector
   * with many requests in flight delivers them out of order by more than the channel's 64.
   */
  readonly replayWindow?: number;
  /**
   * Channel security events (downgrades, replays, bad signatures, unknown keys and bearer
   * tokens) for detection, each tagged with the `source` of the request that raised it.
   */
  readonly channelEvents?: SourcedEventSink;
  /** Names the client of a request (e.g. its address) for detection and blocking. Default `unknown`. */
  readonly sourceOf?: (request: Request) => string;
  /** Consulted before every handshake, channel record and MCP request; true refuses it (403). */
  readonly isBlocked?: (source: string) => boolean;
  /**
   * The origins clients use to reach the gateway (`https://gw.example.com`): a request whose
   * `Host` or `Origin` names anything else (or a loopback name) gets 403. Default: loopback only.
   */
  readonly publicOrigins?: PublicOrigins;
  /** Failures off the request path (traffic writes, discovery); messages never carry secrets. */
  readonly onError?: (where: string, error: unknown) => void;
}

/** Dependencies of {@link createMcpGateway}. */
export interface McpGatewayDeps {
  readonly store: GatewayStore;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  readonly random?: (n: number) => Uint8Array;
  /** Where each decision is made durable before its reply leaves (traffic-recorder.ts); none: memory only. */
  readonly journal?: TrafficJournal;
  readonly options?: McpGatewayOptions;
}

/** The gateway core. */
export interface McpGateway {
  /**
   * Answers one request for upstream `server`: `POST|GET|DELETE <base>/<server>` (Streamable
   * HTTP, bearer token), `POST <base>/<server>/pq/handshake|record` (channel) and
   * `GET <base>/<server>/pq/keys` (the gateway's public keys, for pinning).
   */
  handle(request: Request, server: string): Promise<Response>;
  /** Health of each upstream connected so far. */
  upstreams(): UpstreamStatus[];
  /**
   * Connects the gateway's own session with an upstream now (if not yet) and lists its tools
   * again: on registration, at start-up, and when an admin asks. Resolves when the list is recorded.
   */
  refresh(server: string): Promise<void>;
  /** Writes the traffic events buffered now (at start: those recovered from the journal) and waits. */
  flushTraffic(): Promise<void>;
  /** Closes sessions (and with them their upstream sessions), then flushes traffic events. */
  close(): Promise<void>;
}

const OPTION_KEYS = ['requestTimeoutMs', 'connectTimeoutMs', 'discoveryIntervalMs', 'backoffInitialMs', 'backoffMaxMs', 'stdioSessionsPerServer', 'stdioSessionsPerIdentity', 'maxBodyBytes', 'toolListMode', 'trafficIntervalMs', 'trafficMaxBatch', 'sessionIdleMs', 'maxSessions', 'pollWaitMs', 'replayWindow', 'channelEvents', 'sourceOf', 'isBlocked', 'publicOrigins', 'onError'];

/** Where under `<base>/<server>` a request goes. */
function routeOf(request: Request, server: string): 'mcp' | 'handshake' | 'record' | 'keys' | null {
  const segments = new URL(request.url).pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const at = (n: number) => segments[segments.length - n];
  if (at(1) === server) return 'mcp';
  if (at(3) === server && at(2) === 'pq' && (at(1) === 'handshake' || at(1) === 'record' || at(1) === 'keys')) return at(1) as 'handshake' | 'record' | 'keys';
  return null;
}

/** The Streamable HTTP body limit unless `maxBodyBytes` says otherwise (docs/security.md, "Bounded input"). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

const BEARER_RE = /^Bearer ([\x21-\x7e]{1,512})$/;

/**
 * Creates the gateway core.
 * @throws GatewayError `invalid_argument` on unknown options.
 */
export function createMcpGateway(deps: McpGatewayDeps): McpGateway {
  const options = deps.options ?? {};
  for (const k of Object.keys(options)) if (!OPTION_KEYS.includes(k)) throw new GatewayError('invalid_argument', `createMcpGateway: unknown option "${k}"`);
  const { store } = deps;
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? ((n: number) => getCryptoProvider().randomBytes(n));
  const onError = options.onError ?? (() => undefined);
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = options.maxSessions ?? 10_000;
  const guard = createSourceGuard(options, clock);
  const hostGuard = createHostGuard(options.publicOrigins);
  // The policy's limits, read from the snapshot at each check (no database per call).
  const limiter = createLimiter({ limits: () => store.snapshot().global.limits, clock });

  const recorder = createTrafficRecorder({
    write: (events) => store.recordTraffic(events),
    journal: deps.journal,
    intervalMs: options.trafficIntervalMs,
    maxBatch: options.trafficMaxBatch,
    onError: (e, { kept, dropped }) =>
      onError(`recordTraffic (${kept} event(s) kept to write again${dropped ? `, ${dropped} let go from memory${deps.journal ? ': they stay in the journal until the next start' : ' and lost'}` : ''})`, e),
  });
  const pool = createUpstreamPool({
    ...options,
    clock,
    onToolList: (slug, tools) => store.recordToolList(slug, tools),
    onError: (slug, e) => onError(`upstream ${slug}`, e),
  });

  function upstreamConfig(slug: string) {
    const config = store.upstream(slug);
    if (!config) throw new GatewayError('unknown_server', `server "${slug}" is not registered at this gateway`);
    return config;
  }

  const relayDeps: RelayDeps = { store, recorder, clock, random, toolListMode: options.toolListMode ?? 'filter', limiter, timeoutMs: options.requestTimeoutMs ?? 30_000, connectTimeoutMs: options.connectTimeoutMs ?? 10_000, onError };
  const openRelay: OpenRelay = (slug, ctx, initialize, downstream, emit) => {
    const config = upstreamConfig(slug);
    return openRelaySession(relayDeps, config, ctx, initialize, (events) => pool.open(config, ctx.caller, events), downstream, emit);
  };

  const http = createHttpDownstream({ maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, maxSessions, idleMs, clock, random, openRelay, limiter });
  const channelMcp = createChannelDownstream({ clock, pollWaitMs: options.pollWaitMs ?? 25_000, idleMs, maxSessions, callerForKey: (k) => store.callerForKey(k), openRelay, limiter });

  // One guard for the gateway's lifetime, so a rebuilt channel server still refuses replays;
  // over the store's shared ledger, so restarts and other replicas do too.
  const replayGuard = new LedgerReplayGuard(store.channel.seqLedger ?? new MemorySeqLedger(), { window: options.replayWindow ?? 1024, clock });
  // The channel server loads the gateway keys once; a rotated key set gets a new one.
  let channel: { keys: unknown; server: ChannelServer } | undefined;
  function channelServer(): ChannelServer {
    const keys = store.channel.gatewayKeys;
    if (channel?.keys !== keys) {
      channel = {
        keys,
        server: createChannelServer({
          keyRing: store.channel.keyRing,
          gatewayKeys: keys,
          identities: store.channel.identities,
          clock,
          random,
          policyEpoch: () => store.snapshot().epoch,
          replayGuard,
          ...(guard.channelSink ? { events: guard.channelSink } : {}),
        }),
      };
    }
    return channel.server;
  }

  const reaper = setInterval(() => void Promise.all([http.reap(), channelMcp.reap()]).catch((e: unknown) => onError('session reaper', e)), Math.min(60_000, idleMs));
  reaper.unref();

  return {
    async handle(request, server) {
      try {
        const route = routeOf(request, server);
        // DNS rebinding: before anything else, a request must name this gateway.
        const misnamed = hostGuard.refusal(request);
        if (misnamed) return route === 'mcp' || !route ? jsonRpcErrorResponse(misnamed) : errorResponse(misnamed);
        if (!route || !store.upstream(server)) throw new GatewayError('unknown_server', `server "${server.slice(0, 100)}" is not registered at this gateway`);
        if (route === 'keys') {
          if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
          return Response.json({ keys: gatewayPublicKeys(store.channel.gatewayKeys).map((k) => ({ algorithm: k.algorithm, publicKey: toBase64Url(k.publicKey), keyId: toHex(k.keyId) })) }, { headers: { 'cache-control': 'no-store' } });
        }
        const source = guard.sourceOf(request);
        const refused = guard.refusal(source);
        if (route !== 'mcp') {
          if (refused) return errorResponse(refused);
          // A handshake costs the gateway a KEM and a signature: bounded per client address.
          const over = route === 'handshake' ? limiter.handshake(source) : null;
          if (over) return errorResponse(over.error);
          return await channelServer().handle(request, channelMcp.handler(server), { source });
        }
        if (refused) throw refused;
        const match = BEARER_RE.exec(request.headers.get('authorization') ?? '');
        const caller = match ? store.authenticateToken(match[1]!) : null;
        if (!caller) {
          if (match) guard.unknownToken(source);
          const why = match ? 'the API token is unknown, expired or revoked' : 'no `Authorization: Bearer` header';
          return jsonRpcErrorResponse(new GatewayError('unauthenticated', why), { headers: { 'www-authenticate': 'Bearer realm="pqgate"' } });
        }
        return await http.handle(request, server, bearerContext(caller));
      } catch (e) {
        if (!(e instanceof GatewayError)) onError('handle', e);
        return jsonRpcErrorResponse(e);
      }
    },
    upstreams: () => pool.status(),
    flushTraffic: () => recorder.flush(),
    async refresh(server) {
      await pool.refresh(upstreamConfig(server));
    },
    async close() {
      clearInterval(reaper);
      // First: no record is accepted after the reservations are handed back.
      await replayGuard.close().catch((e: unknown) => onError('replay ledger release', e));
      await Promise.all([http.close(), channelMcp.close()]);
      await pool.close();
      await recorder.flush();
    },
  };
}
