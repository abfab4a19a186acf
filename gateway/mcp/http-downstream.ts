/**
 * Streamable HTTP (MCP transport spec, 2025-11-25) for bearer-token clients, on the relay: a
 * POST carrying requests is answered with JSON when the upstream's first word about them is the
 * response, else with an SSE stream that carries the related server messages (progress, logging,
 * sampling and elicitation requests) as they happen and then the response. POSTed notifications
 * and responses get 202. GET opens the session's stream for unsolicited server messages; DELETE
 * ends the session. `Mcp-Session-Id` is bound to the identity that opened it: another identity's
 * id gets the same 404 as an unknown one.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { toHex } from '../crypto';
import { BufferedResponse } from '../http/buffered-response';
import { readJsonRpcBody } from './json-rpc-body';
import { JSON_RPC, JsonRpcFailure, jsonRpcErrorResponse, retryAfterOf } from './json-rpc-errors';
import type { Limiter, SessionLease } from './limiter';
import { isCancelledAnswer, type Emit, type JsonRpcRequest, type RelayDownstream, type RelaySession } from './relay-session';
import type { SessionContext } from './session-context';
import { sseEvent } from './sse';
import { isRequest, type Message } from './upstream-connection';

/** Opens the relay of a new session with its initialize (see openRelaySession). */
export type OpenRelay = (slug: string, ctx: SessionContext, initialize: JsonRpcRequest, downstream: RelayDownstream, emit: Emit) => Promise<{ relay?: RelaySession; response: Message }>;

/** What the HTTP side needs from the gateway core. */
export interface HttpDownstreamDeps {
  readonly maxBodyBytes: number;
  readonly maxSessions: number;
  readonly idleMs: number;
  readonly clock: () => number;
  readonly random: (n: number) => Uint8Array;
  readonly openRelay: OpenRelay;
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

interface HttpSession {
  readonly id: string;
  readonly slug: string;
  readonly identityId: string;
  relay?: RelaySession;
  /** Its place in the identity's session count, released when the session goes. */
  readonly lease: SessionLease;
  /** What initialize negotiated (for error messages). */
  protocolVersion?: string;
  lastSeen: number;
  /** The GET stream, while one is open. */
  stream?: SseStream;
  /** Unsolicited messages waiting for a GET stream. */
  queue: Message[];
}

/** Unsolicited messages kept for a GET stream at most; older ones are dropped first. */
const QUEUE_LIMIT = 1000;
const enc = new TextEncoder();

/** An SSE response body written message by message. */
class SseStream {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  closed = false;
  readonly body: ReadableStream<Uint8Array>;
  constructor(onCancel?: () => void) {
    this.body = new ReadableStream({
      start: (c) => void (this.controller = c),
      cancel: () => {
        this.closed = true;
        onCancel?.();
      },
    });
  }
  write(m: Message): void {
    if (!this.closed) this.controller.enqueue(enc.encode(sseEvent(m)));
  }
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.close();
  }
}

const sessionNotFound = () => jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.sessionNotFound, 'Session not found: send a new initialize request without Mcp-Session-Id'), { status: 404 });
const badRequest = (message: string, status = 400, id: string | number | null = null) => jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, message), { id, status });

/** Creates the Streamable HTTP side. */
export function createHttpDownstream(deps: HttpDownstreamDeps): HttpDownstream {
  const sessions = new Map<string, HttpSession>();

  /** Drops a session from the table and its identity's count (every way a session ends goes here). */
  function forget(s: HttpSession): void {
    if (sessions.get(s.id) === s) sessions.delete(s.id);
    s.lease.release();
    s.stream?.end();
  }

  async function closeSession(s: HttpSession): Promise<void> {
    forget(s);
    await s.relay?.close().catch(() => undefined);
  }

  function sseResponse(stream: SseStream, sessionId: string): Response {
    return new Response(stream.body, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'mcp-session-id': sessionId } });
  }

  /**
   * Answers the requests of one POST: JSON when each response is the first thing said about
   * it, else an SSE stream from the first related message on.
   */
  function answer(s: HttpSession, ctx: SessionContext, requests: JsonRpcRequest[], signal: AbortSignal, batch: boolean): Promise<Response> {
    const relay = s.relay!;
    return new Promise((resolve) => {
      let stream: SseStream | undefined;
      const emit: Emit = (m) => {
        if (!stream) resolve(sseResponse((stream = new SseStream()), s.id));
        stream.write(m);
      };
      const onAbort = () => {
        for (const r of requests) relay.abandon(r.id, 'the client closed the request');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const one = (r: JsonRpcRequest) =>
        relay.request(ctx, r, emit).then((reply) => {
          if (stream && !isCancelledAnswer(reply)) stream.write(reply);
          return reply;
        });
      // The hot path is one request: no array of promises for it.
      const replies = requests.length === 1 ? one(requests[0]!) : Promise.all(requests.map(one));
      void replies.then((got) => {
        signal.removeEventListener('abort', onAbort);
        if (stream) return stream.end();
        const reply = Array.isArray(got) ? got[0]! : got;
        // Over a limit: the JSON-RPC error names it, and HTTP says 429 with Retry-After too.
        const retryAfter = batch ? undefined : retryAfterOf(reply);
        const headers: Record<string, string> = { 'content-type': 'application/json', 'mcp-session-id': s.id };
        if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
        resolve(new BufferedResponse(JSON.stringify(batch ? (Array.isArray(got) ? got : [got]) : reply), { status: retryAfter === undefined ? 200 : 429, headers }));
      });
    });
  }

  async function initialize(request: Request, slug: string, ctx: SessionContext, init: JsonRpcRequest): Promise<Response> {
    if (sessions.size >= deps.maxSessions) return badRequest('Too many open sessions: DELETE an old session and retry', 503, init.id);
    // One identity holds at most sessions_per_identity of the table (429 with Retry-After).
    let lease: SessionLease;
    try {
      lease = deps.limiter.openSession(ctx.caller);
    } catch (e) {
      return jsonRpcErrorResponse(e, { id: init.id });
    }
    const s: HttpSession = { id: toHex(deps.random(16)), slug, identityId: ctx.caller.identityId, lease, lastSeen: deps.clock(), queue: [] };
    const downstream: RelayDownstream = {
      unsolicited(m) {
        if (s.stream && !s.stream.closed) return s.stream.write(m);
        if (s.queue.length >= QUEUE_LIMIT) s.queue.shift();
        s.queue.push(m);
      },
      ended: () => forget(s),
    };
    let opened: Awaited<ReturnType<OpenRelay>>;
    try {
      opened = await deps.openRelay(slug, ctx, init, downstream, (m) => downstream.unsolicited(m));
    } catch (e) {
      lease.release();
      throw e;
    }
    if (!opened.relay) {
      lease.release();
      const failure = (opened.response.error as { data?: { code?: string } } | undefined)?.data?.code;
      const status = failure === 'rate_limited' ? 429 : failure?.startsWith('upstream_') ? 502 : 200;
      const retryAfter = retryAfterOf(opened.response);
      return new BufferedResponse(JSON.stringify(opened.response), { status, headers: { 'content-type': 'application/json', ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }) } });
    }
    s.relay = opened.relay;
    const version = (opened.response.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof version === 'string') s.protocolVersion = version;
    sessions.set(s.id, s);
    return new BufferedResponse(JSON.stringify(opened.response), { status: 200, headers: { 'content-type': 'application/json', 'mcp-session-id': s.id } });
  }

  return {
    async handle(request, slug, ctx) {
      const sessionId = request.headers.get('mcp-session-id');
      let s: HttpSession | undefined;
      if (sessionId !== null) {
        s = sessions.get(sessionId);
        // Another identity presenting this id learns nothing: same answer as an unknown id.
        if (!s || s.slug !== slug || s.identityId !== ctx.caller.identityId) return sessionNotFound();
        s.lastSeen = deps.clock();
        const version = request.headers.get('mcp-protocol-version');
        // As the SDK's transport: a version this gateway speaks (clients such as the conformance
        // suite send an older one than they negotiated, and servers accept it).
        if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
          return badRequest(`Bad Request: unsupported Mcp-Protocol-Version ${version.slice(0, 40)} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}); send the version initialize returned (${s.protocolVersion ?? 'none'})`);
        }
      }
      if (request.method === 'GET') {
        if (!s) return badRequest('Bad Request: GET needs the Mcp-Session-Id header from initialize');
        if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) return badRequest('Not Acceptable: a GET stream needs Accept: text/event-stream', 406);
        if (s.stream && !s.stream.closed) return badRequest('Conflict: this session has a GET stream open already', 409);
        const session = s;
        const stream = (s.stream = new SseStream(() => (session.stream === stream ? (session.stream = undefined) : undefined)));
        for (const m of s.queue.splice(0)) stream.write(m);
        return sseResponse(stream, s.id);
      }
      if (request.method === 'DELETE') {
        if (!s) return badRequest('Bad Request: DELETE needs the Mcp-Session-Id header from initialize');
        await closeSession(s);
        return new Response(null, { status: 200 });
      }
      if (request.method !== 'POST') return jsonRpcErrorResponse(new JsonRpcFailure(JSON_RPC.serverError, 'Method not allowed: use POST, GET or DELETE'), { status: 405, headers: { allow: 'GET, POST, DELETE' } });

      const accept = request.headers.get('accept') ?? '';
      if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return badRequest('Not Acceptable: Accept must list both application/json and text/event-stream', 406);
      if (request.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase() !== 'application/json') return badRequest('Unsupported Media Type: Content-Type must be application/json', 415);
      const body = await readJsonRpcBody(request, deps.maxBodyBytes);
      if (!body.ok) return jsonRpcErrorResponse(body.error, { id: body.id, status: body.status });
      const messages = body.messages;
      const init = messages.find((m) => m.method === 'initialize');
      const firstId = typeof messages[0]!.id === 'string' || typeof messages[0]!.id === 'number' ? (messages[0]!.id as string | number) : null;
      if (init) {
        if (s) return badRequest('Bad Request: this session is initialized already; initialize without Mcp-Session-Id for a new one', 400, firstId);
        if (messages.length > 1 || init.id === undefined) return badRequest('Bad Request: initialize must be the only message of its request', 400, firstId);
        return initialize(request, slug, ctx, init as unknown as JsonRpcRequest);
      }
      if (!s) return badRequest('Bad Request: no Mcp-Session-Id; start with an initialize request', 400, firstId);
      const requests: JsonRpcRequest[] = [];
      for (const m of messages) {
        if (isRequest(m)) requests.push(m as unknown as JsonRpcRequest);
        else await s.relay!.notify(ctx, m);
      }
      if (!requests.length) return new Response(null, { status: 202 });
      return answer(s, ctx, requests, request.signal, Array.isArray(body.value));
    },
    async reap() {
      const now = deps.clock();
      await Promise.all([...sessions.values()].filter((s) => now - s.lastSeen > deps.idleMs).map(closeSession));
    },
    async close() {
      await Promise.all([...sessions.values()].map(closeSession));
    },
  };
}
