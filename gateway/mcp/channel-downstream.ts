/**
 * MCP over the post-quantum channel: the channel server decrypts a record, this module finds
 * (or opens) the MCP session it belongs to and answers with a reply envelope. Sessions are
 * keyed by identity key, server and the connector's session id, so a re-handshake (new channel
 * session, maybe another suite) continues the same MCP session. Server messages are numbered
 * per session (channel-outbox.ts): responses ride in their request's reply, everything else
 * answers the connector's waiting poll as it happens.
 */
import type { MessageHandler, SessionInfo } from '../channel';
import { GatewayError } from '../errors';
import { ChannelOutbox } from './channel-outbox';
import { encodeEnvelope, MCP_ROUTES, parseRequestEnvelope, type ReplyEnvelope } from './channel-envelope';
import type { OpenRelay } from './http-downstream';
import { JSON_RPC, JsonRpcFailure, jsonRpcError, toJsonRpcFailure } from './json-rpc-errors';
import type { Limiter, SessionLease } from './limiter';
import type { JsonRpcRequest, RelaySession } from './relay-session';
import { strengthOfSuite, type SessionContext } from './session-context';
import type { Caller } from './store';
import { isRequest, type Message } from './upstream-connection';

interface ChannelMcpSession {
  readonly relay: RelaySession;
  readonly outbox: ChannelOutbox;
  /** Its place in the identity's session count, released when the session goes. */
  readonly lease: SessionLease;
  lastSeen: number;
}

/** What the channel side needs from the gateway core. */
export interface ChannelDownstreamDeps {
  readonly clock: () => number;
  readonly pollWaitMs: number;
  readonly idleMs: number;
  readonly maxSessions: number;
  readonly callerForKey: (keyIdHex: string) => Caller | null;
  readonly openRelay: OpenRelay;
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

const EMPTY = encodeEnvelope({ messages: [] });
/** A poll for a session that does not exist (any more): empty, and complete, so the connector waits before polling again. */
const NO_SESSION = encodeEnvelope({ messages: [], complete: true });
/** An answer outside any session's sequence. */
const unsequenced = (m: Message | null): Uint8Array => (m ? encodeEnvelope({ messages: [{ message: m }] }) : EMPTY);

/** Creates the channel side. */
export function createChannelDownstream(deps: ChannelDownstreamDeps): ChannelDownstream {
  const sessions = new Map<string, ChannelMcpSession>();
  const opening = new Map<string, Promise<unknown>>();

  function forget(key: string, s: ChannelMcpSession): void {
    if (sessions.get(key) === s) sessions.delete(key);
    s.lease.release();
    s.outbox.end();
  }

  /** Opens the session under `key` with the client's initialize; resolves with the reply. */
  async function open(key: string, slug: string, ctx: SessionContext, init: JsonRpcRequest): Promise<Uint8Array> {
    if (sessions.size >= deps.maxSessions) return unsequenced(jsonRpcError(init.id, new JsonRpcFailure(JSON_RPC.serverError, 'Too many open MCP sessions at this gateway; close an old one and retry')));
    let lease: SessionLease;
    try {
      // One identity holds at most sessions_per_identity of the table.
      lease = deps.limiter.openSession(ctx.caller);
    } catch (e) {
      return unsequenced(jsonRpcError(init.id, toJsonRpcFailure(e)));
    }
    const outbox = new ChannelOutbox();
    let s: ChannelMcpSession | undefined;
    const opened = await deps.openRelay(slug, ctx, init, { unsolicited: (m) => void outbox.push(m, false), ended: () => s && forget(key, s) }, (m) => void outbox.push(m, false)).catch((e: unknown) => ({ relay: undefined, response: jsonRpcError(init.id, toJsonRpcFailure(e)) }));
    if (!opened.relay) {
      lease.release();
      return unsequenced(opened.response);
    }
    s = { relay: opened.relay, outbox, lease, lastSeen: deps.clock() };
    sessions.set(key, s);
    return encodeEnvelope({ messages: [outbox.push(opened.response, true)] });
  }

  async function closeKey(key: string): Promise<void> {
    const s = sessions.get(key);
    if (!s) return;
    forget(key, s);
    await s.relay.close().catch(() => undefined);
  }

  return {
    handler(slug) {
      return async (plaintext: Uint8Array, info: SessionInfo): Promise<Uint8Array> => {
        const env = parseRequestEnvelope(plaintext, info.route);
        // The route is bound by the record's AAD, the server by this check: a record cannot be
        // moved to another server's URL.
        if (env.server !== slug) throw new GatewayError('malformed_message', `record for server "${env.server.slice(0, 64)}" posted to "${slug}"`);
        const key = `${info.identityKeyId}/${slug}/${env.session}`;
        const message = env.message;
        const requestId = message && isRequest(message) ? (message.id as string | number) : null;
        if (info.route === MCP_ROUTES.close) {
          await closeKey(key);
          return EMPTY;
        }
        const caller = deps.callerForKey(info.identityKeyId);
        if (!caller) {
          const failure = toJsonRpcFailure(new GatewayError('unknown_identity', 'this identity key is no longer enrolled'));
          return unsequenced(info.route === MCP_ROUTES.message && requestId !== null ? jsonRpcError(requestId, failure) : null);
        }
        const s = sessions.get(key);
        if (s) {
          s.lastSeen = deps.clock();
          if (env.ack !== undefined) s.outbox.ack(env.ack);
        }
        if (info.route === MCP_ROUTES.poll) {
          if (!s) return NO_SESSION;
          return encodeEnvelope(await s.outbox.poll(env.ack ?? 0, env.resync === true, deps.pollWaitMs));
        }
        if (info.route !== MCP_ROUTES.message) throw new GatewayError('malformed_message', `unknown MCP route "${info.route.slice(0, 32)}"`);
        const ctx: SessionContext = { caller, strength: strengthOfSuite(info.suite), transport: 'pq' };
        if (!s) {
          if (message!.method !== 'initialize' || requestId === null) {
            return unsequenced(requestId === null ? null : jsonRpcError(requestId, new JsonRpcFailure(JSON_RPC.sessionNotFound, 'MCP session not found: send initialize first')));
          }
          // Two initialize records of one session at once open it once.
          if (opening.has(key)) await opening.get(key)!.catch(() => undefined);
          const again = sessions.get(key);
          if (again) return reply(again, ctx, message!, requestId);
          const opened = open(key, slug, ctx, message as unknown as JsonRpcRequest);
          opening.set(key, opened);
          try {
            return await opened;
          } finally {
            opening.delete(key);
          }
        }
        return reply(s, ctx, message!, requestId);
      };
    },
    async reap() {
      const now = deps.clock();
      await Promise.all([...sessions].filter(([, s]) => now - s.lastSeen > deps.idleMs).map(([key]) => closeKey(key)));
    },
    async close() {
      await Promise.all([...sessions.keys()].map(closeKey));
    },
  };

  async function reply(s: ChannelMcpSession, ctx: SessionContext, message: Message, requestId: string | number | null): Promise<Uint8Array> {
    if (requestId === null) {
      await s.relay.notify(ctx, message);
      return EMPTY;
    }
    const response = await s.relay.request(ctx, message as unknown as JsonRpcRequest, (m) => void s.outbox.push(m, false));
    const envelope: ReplyEnvelope = { messages: [s.outbox.push(response, true)] };
    return encodeEnvelope(envelope);
  }
}
