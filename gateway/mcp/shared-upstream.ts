/**
 * The gateway's own session with an upstream, which discovery uses (tools/list on registration
 * and on a schedule) and which the client sessions of a server marked `shared` ride on as lanes.
 * The gateway initializes it itself, declaring the client capabilities the server's switches
 * allow (so that tools a server offers only to sampling or elicitation clients are discovered and
 * pinned too), and answers `roots/list` with no roots. Lanes get ids and progress
 * tokens rewritten to `pqgate-<lane>-<n>` and back, so clients never meet each other's ids; their
 * `initialize` is answered from the shared session's own. A shared session cannot tell which
 * client a server request or a log line is for: server requests are refused (-32601), and of the
 * notifications only progress (by token) and list changes (to every lane) are relayed.
 */
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors';
import { JSON_RPC, JsonRpcFailure, jsonRpcError, toJsonRpcFailure } from './json-rpc-errors';
import { isRequest, type Id, type Message, type UpstreamConnection, type UpstreamEvents } from './upstream-connection';

/** What the upstream said to the gateway's initialize. */
export interface InitializeResult {
  readonly protocolVersion: string;
  readonly capabilities: Record<string, unknown>;
  readonly serverInfo: Record<string, unknown>;
  readonly instructions?: string;
  readonly [k: string]: unknown;
}

/** The gateway's own upstream session. */
export interface SharedUpstream {
  /** Resolves once initialized; rejects (naming the server) when that failed. */
  readonly ready: Promise<InitializeResult>;
  /** Sends a request of the gateway's own (`pqgate-g<n>`) and resolves with its result. */
  request(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** A client session riding on this one. */
  lane(events: UpstreamEvents): UpstreamConnection;
  readonly pid?: number;
  readonly closed: boolean;
  close(): Promise<void>;
}

export interface SharedUpstreamDeps {
  readonly slug: string;
  readonly open: (events: UpstreamEvents) => UpstreamConnection;
  readonly timeoutMs: number;
  /** Timeout of the initialize (a stdio server starts first). */
  readonly connectTimeoutMs: number;
  /** Client capabilities the gateway declares in its initialize. */
  readonly capabilities: Record<string, unknown>;
  /** Notifications the upstream sends the gateway itself (e.g. tools/list_changed). */
  readonly onNotification?: (m: Message) => void;
  readonly onClosed?: (reason: string) => void;
}

interface Waiter {
  resolve(result: Record<string, unknown>): void;
  reject(e: unknown): void;
}

/** Opens the gateway's session and initializes it. */
export function createSharedUpstream(deps: SharedUpstreamDeps): SharedUpstream {
  const { slug } = deps;
  let closed = false;
  let closing = false;
  let nextId = 0;
  let nextLane = 0;
  const own = new Map<string, Waiter>();
  /** Rewritten id → the lane and the id its client chose. */
  const routes = new Map<string, { events: UpstreamEvents; id: Id; token?: string }>();
  const tokens = new Map<string, { events: UpstreamEvents; token: unknown }>();
  const lanes = new Set<UpstreamEvents>();

  const conn = deps.open({
    message(m) {
      const id = typeof m.id === 'string' ? m.id : undefined;
      if (isRequest(m)) {
        // No lane can be told apart as the addressee, and the gateway has no roots of its own.
        if (m.method === 'roots/list') return void conn.send({ jsonrpc: '2.0', id: m.id, result: { roots: [] } });
        void conn.send(jsonRpcError(m.id as Id, new JsonRpcFailure(JSON_RPC.methodNotFound, `Method not found: the gateway's own session with upstream ${slug} (discovery, or a server registered shared) relays no server requests`)));
        return;
      }
      if (!('method' in m) && id !== undefined) {
        const w = own.get(id);
        if (w) {
          own.delete(id);
          if ('result' in m) w.resolve(m.result as Record<string, unknown>);
          else w.reject(new JsonRpcFailure(Number((m.error as { code?: unknown })?.code) || JSON_RPC.internalError, String((m.error as { message?: unknown })?.message ?? 'error')));
          return;
        }
        const r = routes.get(id);
        if (r) {
          routes.delete(id);
          if (r.token) tokens.delete(r.token);
          r.events.message({ ...m, id: r.id }, r.id);
        }
        return;
      }
      if (m.method === 'notifications/progress') {
        const params = m.params as { progressToken?: unknown } | undefined;
        const t = tokens.get(String(params?.progressToken));
        if (t) t.events.message({ ...m, params: { ...params, progressToken: t.token } });
        return;
      }
      if (typeof m.method === 'string' && m.method.endsWith('/list_changed')) {
        for (const lane of lanes) lane.message(m);
        deps.onNotification?.(m);
      }
    },
    failed(id) {
      const key = String(id);
      own.get(key)?.reject(toJsonRpcFailure(new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (request failed)`)));
      own.delete(key);
      const r = routes.get(key);
      routes.delete(key);
      if (r?.token) tokens.delete(r.token);
      r?.events.failed(r.id, toJsonRpcFailure(new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (request failed)`)));
    },
    closed(reason) {
      closed = true;
      for (const w of own.values()) w.reject(toJsonRpcFailure(new GatewayError('upstream_unavailable', reason)));
      own.clear();
      for (const lane of lanes) lane.closed(reason);
      lanes.clear();
      if (!closing) deps.onClosed?.(reason);
    },
  });

  function request(method: string, params?: Record<string, unknown>, timeoutMs = deps.timeoutMs): Promise<Record<string, unknown>> {
    if (closed) return Promise.reject(toJsonRpcFailure(new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (session ended)`)));
    const id = `pqgate-g${++nextId}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        own.delete(id);
        conn.drop(id);
        reject(toJsonRpcFailure(new GatewayError('upstream_timeout', `upstream ${slug} did not answer within ${timeoutMs} ms`)));
      }, timeoutMs);
      own.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      void conn.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    });
  }

  const ready = (async () => {
    const result = (await request('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: deps.capabilities, clientInfo: { name: 'pqgate-gateway', version: '0.1.0' } }, deps.connectTimeoutMs)) as InitializeResult;
    await conn.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return result;
  })();
  ready.catch(() => undefined);

  return {
    ready,
    request,
    get pid() {
      return conn.pid;
    },
    get closed() {
      return closed;
    },
    lane(events) {
      const lane = ++nextLane;
      let n = 0;
      lanes.add(events);
      return {
        // Lanes relay no server requests, and progress finds its lane by token.
        tellsRelated: true,
        async send(m) {
          if (closed) return isRequest(m) ? events.failed(m.id as Id, toJsonRpcFailure(new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (session ended)`))) : undefined;
          if (m.method === 'initialize') {
            // The shared session is initialized once, by the gateway; each lane gets its answer.
            const init = await ready.catch((e: unknown) => e as Error);
            return events.message(init instanceof Error ? jsonRpcError(m.id as Id, toJsonRpcFailure(init)) : { jsonrpc: '2.0', id: m.id, result: init }, m.id as Id);
          }
          if (!isRequest(m)) {
            // Only a cancellation of this lane's own request goes upstream, under its rewritten
            // id: a client must not cancel (or answer, or notify on behalf of) another lane.
            if (m.method !== 'notifications/cancelled') return;
            const params = m.params as { requestId?: unknown; reason?: unknown } | undefined;
            for (const [key, r] of routes) {
              if (r.events === events && r.id === params?.requestId) return conn.send({ ...m, params: { ...params, requestId: key } });
            }
            return;
          }
          const id = `pqgate-${lane}-${++n}`;
          const route: { events: UpstreamEvents; id: Id; token?: string } = { events, id: m.id as Id };
          routes.set(id, route);
          let params = m.params as Record<string, unknown> | undefined;
          const meta = params?._meta as Record<string, unknown> | undefined;
          if (meta && 'progressToken' in meta) {
            const token = `pqgate-${lane}-p${n}`;
            tokens.set(token, { events, token: meta.progressToken });
            route.token = token;
            params = { ...params, _meta: { ...meta, progressToken: token } };
          }
          return conn.send({ ...m, id, ...(params ? { params } : {}) });
        },
        drop(id) {
          for (const [key, r] of routes) {
            if (r.events !== events || r.id !== id) continue;
            routes.delete(key);
            if (r.token) tokens.delete(r.token);
          }
        },
        async close() {
          lanes.delete(events);
          for (const [key, r] of routes) if (r.events === events) routes.delete(key);
          for (const [key, t] of tokens) if (t.events === events) tokens.delete(key);
        },
      };
    },
    async close() {
      if (closed) return;
      closing = true;
      await conn.close();
      if (!closed) {
        closed = true;
        for (const lane of lanes) lane.closed(`upstream ${slug} session closed`);
        lanes.clear();
      }
    },
  };
}
