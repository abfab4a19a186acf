/**
 * The HTTP bridge of `pqgate connect --http` (docs/protocol.md §13.1): a local MCP Streamable
 * HTTP endpoint at `/mcp` for clients that only speak HTTP. The transport itself (sessions,
 * POST/GET/DELETE, Accept and body checks, SSE) is the gateway's own bearer downstream
 * (gateway/mcp/http-downstream.ts); here each HTTP session is given a relay that is a connector
 * session of its own over the one post-quantum channel, so two HTTP clients never share an MCP
 * session at the gateway. Host and Origin are checked as at the gateway (DNS rebinding).
 */
import type { ChannelSession } from '../channel';
import { getCryptoProvider } from '../crypto';
import { GatewayError } from '../errors';
import { createHostGuard, type PublicOrigins } from '../mcp/host-guard';
import { createHttpDownstream, type HttpDownstream, type OpenRelay } from '../mcp/http-downstream';
import { JSON_RPC, JsonRpcFailure, jsonRpcError, jsonRpcErrorResponse } from '../mcp/json-rpc-errors';
import type { Emit, JsonRpcRequest, RelaySession } from '../mcp/relay-session';
import { bearerContext, type SessionContext } from '../mcp/session-context';
import { connectorSession, createSessionPump, newSessionId, type Connector } from './connector';

type Message = Record<string, unknown>;
type Id = string | number;

/** Options of {@link createHttpBridge}. */
export interface HttpBridgeOptions {
  /** Origins besides the loopback names that may call the bridge (`http://host:port`). */
  readonly origins?: PublicOrigins;
  /** `host:port` the bridge listens on, for error messages. */
  readonly authority?: string;
  /** Told about channel failures (stderr). */
  readonly onError?: (message: string) => void;
  /** Open HTTP sessions at most (each is a session at the gateway too). Default 64. */
  readonly maxSessions?: number;
  /** An HTTP session idle this long is closed. Default 1 hour. */
  readonly idleMs?: number;
}

/** The bridge: a fetch handler for `/mcp` plus its sessions. */
export interface HttpBridge {
  handle(request: Request): Promise<Response>;
  /** Ends every HTTP session and its session at the gateway. */
  close(): Promise<void>;
}

/** The bridge answers one local user: its own identity is the caller of every message. */
const LOCAL: SessionContext = bearerContext({ identityId: 'local', identityName: 'local' });
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const REAP_EVERY_MS = 60_000;

/**
 * Where a server message of one session goes: the response to its pending request; a progress to
 * the request whose progressToken it names; anything else to the one request in flight when there
 * is exactly one (the channel does not say which request a log line or a sampling request belongs
 * to, and with one in flight it can only be that one or none), else to the GET stream.
 */
function channelRelay(connector: Connector, unsolicited: (m: Message) => void, ended: () => void, onError?: (m: string) => void): { relay: RelaySession; initialize(m: JsonRpcRequest, emit: Emit): Promise<Message> } {
  const pending = new Map<Id, { emit: Emit; resolve: (m: Message) => void; token?: unknown }>();
  let closed = false;
  const deliver = async (m: Message) => {
    const id = m.id as Id | undefined;
    if (typeof m.method !== 'string' && id !== undefined && pending.has(id)) {
      const p = pending.get(id)!;
      pending.delete(id);
      return p.resolve(m);
    }
    // The answer to a request the client gave up on (abandoned): MCP says it gets none.
    if (typeof m.method !== 'string') return;
    if (m.method === 'notifications/progress') {
      const token = (m.params as { progressToken?: unknown } | undefined)?.progressToken;
      for (const p of pending.values()) if (p.token !== undefined && p.token === token) return p.emit(m);
    }
    if (pending.size === 1 && typeof m.method === 'string') return pending.values().next().value!.emit(m);
    unsolicited(m);
  };
  const pump = createSessionPump(connector, deliver, onError ? { onError } : {});
  const request = (m: JsonRpcRequest, emit: Emit): Promise<Message> => {
    if (closed) return Promise.resolve(jsonRpcError(m.id, new JsonRpcFailure(JSON_RPC.sessionNotFound, 'this bridge session is closed; initialize again')));
    const token = (m.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken;
    return new Promise<Message>((resolve) => {
      pending.set(m.id, { emit, resolve, token });
      void pump.send(m as unknown as Message);
    });
  };
  const relay: RelaySession = {
    request: (_ctx, m, emit) => request(m, emit),
    notify: (_ctx, m) => pump.send(m),
    abandon(id, reason) {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      p.resolve(jsonRpcError(id, new JsonRpcFailure(JSON_RPC.serverError, reason)));
      // MCP: a request the client gave up on is cancelled, so the server stops working on it.
      void pump.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
    },
    get closed() {
      return closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      pump.stop();
      for (const [id, p] of pending) p.resolve(jsonRpcError(id, new JsonRpcFailure(JSON_RPC.sessionNotFound, 'the bridge session closed')));
      pending.clear();
      ended();
      await connector.close();
    },
  };
  return { relay, initialize: request };
}

/**
 * A Streamable HTTP endpoint at `/mcp` relaying over `channel` to `server`.
 * Every HTTP session opens its own MCP session at the gateway (a fresh connector session id).
 */
export function createHttpBridge(channel: ChannelSession, server: string, options: HttpBridgeOptions = {}): HttpBridge {
  const guard = createHostGuard(options.origins ?? []);
  const openRelay: OpenRelay = async (_slug, _ctx, init, downstream, emit) => {
    const connector = connectorSession(channel, server, newSessionId());
    const session = channelRelay(connector, (m) => downstream.unsolicited(m), () => downstream.ended('closed'), options.onError);
    const response = await session.initialize(init, emit);
    if (!('result' in response)) {
      await session.relay.close();
      return { response };
    }
    return { relay: session.relay, response };
  };
  const downstream: HttpDownstream = createHttpDownstream({
    maxBodyBytes: MAX_BODY_BYTES,
    maxSessions: options.maxSessions ?? 64,
    idleMs: options.idleMs ?? 60 * 60_000,
    clock: Date.now,
    random: (n) => getCryptoProvider().randomBytes(n),
    openRelay,
    // The gateway counts and limits this identity's sessions; the bridge has only its own cap.
    limiter: { handshake: () => null, call: () => null, toolCall: () => null, openSession: () => ({ release: () => undefined }) },
  });
  const reaper = setInterval(() => void downstream.reap(), REAP_EVERY_MS);
  reaper.unref();
  return {
    async handle(request) {
      // DNS rebinding: a web page whose name resolves to 127.0.0.1 must not reach the identity.
      const refused = guard.refusal(request);
      if (refused) {
        const what = refused.message.split(' is not ')[0];
        const where = options.authority ? `call it as http://${options.authority}/mcp` : 'call it by a loopback name';
        return jsonRpcErrorResponse(new GatewayError('host_not_allowed', `${what} is not this bridge's address; ${where} (pqgate connect --http refuses other names against DNS rebinding)`));
      }
      if (new URL(request.url).pathname !== '/mcp') return jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, `Not found: the MCP endpoint of this bridge is /mcp`), { status: 404 });
      return downstream.handle(request, server, LOCAL);
    },
    async close() {
      clearInterval(reaper);
      await downstream.close();
    },
  };
}
