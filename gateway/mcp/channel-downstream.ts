/**
 * MCP over the post-quantum channel: the channel server decrypts a record, this module finds
 * (or opens) the MCP session it belongs to and answers with a reply envelope. Sessions are
 * keyed by identity key, server and the connector's session id, so a re-handshake (new channel
 * session, maybe another suite) continues the same MCP session.
 */
import type { MessageHandler, SessionInfo } from '../channel';
import { GatewayError } from '../errors';
import { encodeEnvelope, MCP_ROUTES, parseRequestEnvelope } from './channel-envelope';
import { ChannelSessionTransport } from './channel-transport';
import { JSON_RPC, JsonRpcFailure, jsonRpcError, toJsonRpcFailure } from './json-rpc-errors';
import type { Limiter, SessionLease } from './limiter';
import { isDirectRequest, type ProxySession } from './proxy-server';
import { strengthOfSuite, toAuthInfo, type SessionContext } from './session-context';
import type { Caller } from './store';

interface ChannelMcpSession {
  readonly transport: ChannelSessionTransport;
  readonly proxy: ProxySession;
  /** Its place in the identity's session count, released when the session goes. */
  readonly lease: SessionLease;
}

/** What the channel side needs from the gateway core. */
export interface ChannelDownstreamDeps {
  readonly clock: () => number;
  readonly pollWaitMs: number;
  readonly idleMs: number;
  readonly maxSessions: number;
  readonly callerForKey: (keyIdHex: string) => Caller | null;
  readonly openProxy: (slug: string) => Promise<ProxySession>;
  /** Counts the sessions of each identity (shared with the Streamable HTTP side). */
  readonly limiter: Limiter;
}

/** The channel side. */
export interface ChannelDownstream {
  /** The channel message handler for records posted under server `slug`. */
  handler(slug: string): MessageHandler;
  reap(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the channel side. */
export function createChannelDownstream(deps: ChannelDownstreamDeps): ChannelDownstream {
  const sessions = new Map<string, ChannelMcpSession | Promise<ChannelMcpSession>>();

  async function open(key: string, slug: string, caller: Caller): Promise<ChannelMcpSession> {
    if (sessions.size >= deps.maxSessions) throw new JsonRpcFailure(JSON_RPC.serverError, 'Too many open MCP sessions at this gateway; close an old one and retry');
    // One identity holds at most sessions_per_identity of the table.
    const lease = deps.limiter.openSession(caller);
    try {
      const transport = new ChannelSessionTransport(deps.clock());
      const proxy = await deps.openProxy(slug);
      transport.onclose = () => {
        sessions.delete(key);
        lease.release();
      };
      await proxy.server.connect(transport);
      return { transport, proxy, lease };
    } catch (e) {
      lease.release();
      throw e;
    }
  }

  function sessionFor(key: string, slug: string, caller: Caller): Promise<ChannelMcpSession> {
    const found = sessions.get(key);
    if (found) return Promise.resolve(found);
    const opening = open(key, slug, caller).then(
      (s) => (sessions.set(key, s), s),
      (e: unknown) => {
        sessions.delete(key);
        throw e;
      },
    );
    sessions.set(key, opening);
    return opening;
  }

  /** The open session under `key`, if any (an open that failed counts as none). */
  const existing = (key: string) => Promise.resolve(sessions.get(key)).catch(() => undefined);

  async function closeKey(key: string): Promise<void> {
    const s = await existing(key);
    sessions.delete(key);
    s?.lease.release();
    await s?.proxy.server.close().catch(() => undefined);
  }

  return {
    handler(slug) {
      return async (plaintext: Uint8Array, info: SessionInfo): Promise<Uint8Array> => {
        const env = parseRequestEnvelope(plaintext, info.route);
        // The route is bound by the record's AAD, the server by this check: a record cannot be
        // moved to another server's URL.
        if (env.server !== slug) throw new GatewayError('malformed_message', `record for server "${env.server.slice(0, 64)}" posted to "${slug}"`);
        const key = `${info.identityKeyId}/${slug}/${env.session}`;
        const requestId = (env.message?.id ?? null) as string | number | null;
        if (info.route === MCP_ROUTES.close) {
          await closeKey(key);
          return encodeEnvelope({ messages: [] });
        }
        const caller = deps.callerForKey(info.identityKeyId);
        if (!caller) {
          const failure = toJsonRpcFailure(new GatewayError('unknown_identity', 'this identity key is no longer enrolled'));
          return encodeEnvelope({ messages: info.route === MCP_ROUTES.message && requestId !== null ? [jsonRpcError(requestId, failure)] : [] });
        }
        if (info.route === MCP_ROUTES.poll) {
          const found = await existing(key);
          if (!found) return encodeEnvelope({ messages: [] });
          found.transport.lastSeen = deps.clock();
          return encodeEnvelope({ messages: await found.transport.poll(deps.pollWaitMs) });
        }
        if (info.route !== MCP_ROUTES.message) throw new GatewayError('malformed_message', `unknown MCP route "${info.route.slice(0, 32)}"`);
        let session: ChannelMcpSession;
        try {
          session = await sessionFor(key, slug, caller);
        } catch (e) {
          return encodeEnvelope({ messages: requestId !== null ? [jsonRpcError(requestId, toJsonRpcFailure(e))] : [] });
        }
        session.transport.lastSeen = deps.clock();
        const ctx: SessionContext = { caller, strength: strengthOfSuite(info.suite), transport: 'pq' };
        const message = env.message!;
        // A forwarded request without progress needs nothing from the SDK transport.
        if (isDirectRequest(message) && !session.transport.closed) return encodeEnvelope({ messages: [await session.proxy.call(ctx, message)] });
        if (message.method === 'notifications/cancelled') session.proxy.cancel((message.params as { requestId?: unknown } | undefined)?.requestId, (message.params as { reason?: unknown } | undefined)?.reason);
        const messages = await session.transport.exchange(message, { authInfo: toAuthInfo(ctx) });
        return encodeEnvelope({ messages });
      };
    },
    async reap() {
      const now = deps.clock();
      const idle: string[] = [];
      for (const [key, s] of sessions) if (!(s instanceof Promise) && now - s.transport.lastSeen > deps.idleMs) idle.push(key);
      await Promise.all(idle.map(closeKey));
    },
    async close() {
      await Promise.all([...sessions.keys()].map(closeKey));
    },
  };
}
