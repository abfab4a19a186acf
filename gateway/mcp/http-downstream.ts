/**
 * Plain MCP Streamable HTTP for bearer-token clients: one SDK web-standard transport per
 * `Mcp-Session-Id`, bound to the identity that opened it. The body is read and checked here
 * (size, JSON, JSON-RPC) and handed to the transport already parsed. A single forwarded request
 * without a progress token is answered at the message level with a JSON response (Streamable
 * HTTP lets the server choose JSON over SSE), after the same header checks the transport makes.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { toHex } from '../crypto';
import { BufferedResponse } from '../http/buffered-response';
import { GatewayError } from '../errors';
import { readJsonRpcBody } from './json-rpc-body';
import { JSON_RPC, JsonRpcFailure, jsonRpcErrorResponse, retryAfterOf } from './json-rpc-errors';
import type { Limiter, SessionLease } from './limiter';
import { isDirectRequest, type ProxySession } from './proxy-server';
import { toAuthInfo, type SessionContext } from './session-context';

interface HttpSession {
  readonly slug: string;
  readonly identityId: string;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly proxy: ProxySession;
  /** Its place in the identity's session count, released when the session goes. */
  readonly lease: SessionLease;
  lastSeen: number;
}

/** What the HTTP side needs from the gateway core. */
export interface HttpDownstreamDeps {
  readonly maxBodyBytes: number;
  readonly maxSessions: number;
  readonly idleMs: number;
  readonly clock: () => number;
  readonly random: (n: number) => Uint8Array;
  /** Opens the proxy session for `slug` (connects the upstream); throws a JSON-RPC failure naming it. */
  readonly openProxy: (slug: string) => Promise<ProxySession>;
  /** Counts the sessions of each identity (shared with the channel side). */
  readonly limiter: Limiter;
}

/** The Streamable HTTP side. */
export interface HttpDownstream {
  handle(request: Request, slug: string, ctx: SessionContext): Promise<Response>;
  /** Closes sessions idle longer than the limit. */
  reap(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether the SDK transport would take this POST as it is: Accept lists JSON and SSE, the body
 * is JSON, the protocol version (if sent) is one it speaks. Anything else goes to the transport,
 * which answers with its own error.
 */
function acceptedByTransport(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  const type = request.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase();
  const version = request.headers.get('mcp-protocol-version');
  return accept.includes('application/json') && accept.includes('text/event-stream') && type === 'application/json' && (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version));
}

const sessionNotFound = () => jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.sessionNotFound, 'Session not found: send a new initialize request without Mcp-Session-Id'), { status: 404 });

/** Creates the Streamable HTTP side. */
export function createHttpDownstream(deps: HttpDownstreamDeps): HttpDownstream {
  const sessions = new Map<string, HttpSession>();

  /** Drops a session from the table and its identity's count (every way a session ends goes here). */
  function forget(id: string): HttpSession | undefined {
    const s = sessions.get(id);
    sessions.delete(id);
    s?.lease.release();
    return s;
  }

  async function closeSession(id: string): Promise<void> {
    await forget(id)?.proxy.server.close().catch(() => undefined);
  }

  return {
    async handle(request, slug, ctx) {
      let parsedBody: unknown;
      let messages: readonly Record<string, unknown>[] = [];
      let firstId: string | number | null = null;
      let initialize = false;
      if (request.method === 'POST') {
        const body = await readJsonRpcBody(request, deps.maxBodyBytes);
        if (!body.ok) return jsonRpcErrorResponse(body.error, { id: body.id, status: body.status });
        parsedBody = body.value;
        messages = body.messages;
        const first = body.messages[0]!;
        firstId = typeof first.id === 'string' || typeof first.id === 'number' ? first.id : null;
        initialize = body.messages.some((m) => m.method === 'initialize');
      }
      const sessionId = request.headers.get('mcp-session-id');
      if (sessionId) {
        const s = sessions.get(sessionId);
        // Another identity presenting this id learns nothing: same answer as an unknown id.
        if (!s || s.slug !== slug || s.identityId !== ctx.caller.identityId) return sessionNotFound();
        s.lastSeen = deps.clock();
        const only = Array.isArray(parsedBody) ? undefined : messages[0];
        if (only && isDirectRequest(only) && acceptedByTransport(request)) {
          const reply = await s.proxy.call(ctx, only, request.signal);
          // Over a limit: the JSON-RPC error names it, and HTTP says 429 with Retry-After too.
          const retryAfter = retryAfterOf(reply);
          const headers: Record<string, string> = { 'content-type': 'application/json', 'mcp-session-id': sessionId };
          if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
          return new BufferedResponse(JSON.stringify(reply), { status: retryAfter === undefined ? 200 : 429, headers });
        }
        for (const m of messages) {
          if (m.method === 'notifications/cancelled') s.proxy.cancel((m.params as { requestId?: unknown } | undefined)?.requestId, (m.params as { reason?: unknown } | undefined)?.reason);
        }
        return s.transport.handleRequest(request, { parsedBody, authInfo: toAuthInfo(ctx) });
      }
      if (request.method !== 'POST') {
        if (!['GET', 'DELETE'].includes(request.method)) return jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, 'Method not allowed: use POST, GET or DELETE'), { status: 405, headers: { allow: 'GET, POST, DELETE' } });
        return jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, 'Bad Request: GET and DELETE need the Mcp-Session-Id header from initialize'), { status: 400 });
      }
      if (!initialize) return jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, 'Bad Request: no Mcp-Session-Id; start with an initialize request'), { id: firstId, status: 400 });
      if (sessions.size >= deps.maxSessions) return jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, 'Too many open sessions: DELETE an old session and retry'), { id: firstId, status: 503 });

      // One identity holds at most sessions_per_identity of the table (429 with Retry-After).
      let lease: SessionLease;
      try {
        lease = deps.limiter.openSession(ctx.caller);
      } catch (e) {
        return jsonRpcErrorResponse(e, { id: firstId });
      }
      let proxy: ProxySession;
      try {
        proxy = await deps.openProxy(slug);
      } catch (e) {
        lease.release();
        const status = e instanceof GatewayError ? e.status : 502;
        return jsonRpcErrorResponse(e, { id: firstId, status });
      }
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => toHex(deps.random(16)),
        onsessioninitialized: (id) => void sessions.set(id, { slug, identityId: ctx.caller.identityId, transport, proxy, lease, lastSeen: deps.clock() }),
        onsessionclosed: (id) => void forget(id),
      });
      transport.onclose = () => {
        if (transport.sessionId) forget(transport.sessionId);
      };
      try {
        await proxy.server.connect(transport);
        const res = await transport.handleRequest(request, { parsedBody, authInfo: toAuthInfo(ctx) });
        if (transport.sessionId === undefined) await proxy.server.close();
        return res;
      } finally {
        // No session came of it (refused initialize, or a failure): its place is free again.
        if (transport.sessionId === undefined || !sessions.has(transport.sessionId)) lease.release();
      }
    },
    async reap() {
      const now = deps.clock();
      await Promise.all([...sessions].filter(([, s]) => now - s.lastSeen > deps.idleMs).map(([id]) => closeSession(id)));
    },
    async close() {
      await Promise.all([...sessions.keys()].map(closeSession));
    },
  };
}
