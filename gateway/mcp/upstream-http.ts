/**
 * Message-level forwarding to a Streamable HTTP upstream, on the session the pool's SDK `Client`
 * opened (its `Mcp-Session-Id` and protocol version). A request is one keep-alive `node:http`
 * POST written in one go; the reply (JSON or SSE) is parsed once. The SDK client stays in charge
 * of initialize, discovery and progress-carrying requests; this path only carries requests that
 * expect nothing but their response, which is what the hot path (`tools/call`) is.
 *
 * Ids are strings (`pqgate-<n>`) so they never meet the SDK client's numeric ids on the same
 * upstream session.
 */
import { request as httpRequest, Agent as HttpAgent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { GatewayError } from '../errors';
import { JsonRpcFailure, toJsonRpcFailure } from './json-rpc-errors';

/** Where and how to reach the upstream session. */
export interface HttpForwarderDeps {
  readonly slug: string;
  readonly url: URL;
  /** Registered credential headers, sent on every request and never logged. */
  readonly headers: Readonly<Record<string, string>>;
  /** The session the SDK client negotiated (read per call: it is set during connect). */
  readonly session: () => { id?: string; protocolVersion?: string };
  readonly timeoutMs: number;
  /** Told that the connection is unusable (the pool reconnects on the next call). */
  readonly onBroken: (reason: string) => void;
}

/** Sends one request and resolves with its result; failures are `JsonRpcFailure`s. */
export type HttpForwarder = (method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal) => Promise<Record<string, unknown>>;

/** Largest upstream reply accepted on this path (the SDK path has no limit of its own). */
const MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** Creates a forwarder with its own keep-alive agent. */
export function createHttpForwarder(deps: HttpForwarderDeps): HttpForwarder & { close(): void } {
  const https = deps.url.protocol === 'https:';
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 256 }) : new HttpAgent({ keepAlive: true, maxSockets: 256 });
  const send = https ? httpsRequest : httpRequest;
  // Request options from the URL once: given a URL, node:http converts it on every request.
  const target = urlToHttpOptions(deps.url);
  let nextId = 0;

  const unavailable = (why: string) => toJsonRpcFailure(new GatewayError('upstream_unavailable', `upstream ${deps.slug} is unavailable (${why})`));

  /** Starts one POST on the upstream session (headers and body leave in one write). */
  function post(body: string): { req: ClientRequest; response: Promise<IncomingMessage> } {
    const { id, protocolVersion } = deps.session();
    const headers: Record<string, string | number> = {
      ...deps.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': Buffer.byteLength(body),
    };
    if (id) headers['mcp-session-id'] = id;
    if (protocolVersion) headers['mcp-protocol-version'] = protocolVersion;
    let req!: ClientRequest;
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req = send({ ...target, method: 'POST', agent, headers }, resolve);
      req.once('error', reject);
      req.end(body);
    });
    return { req, response };
  }

  /** Sends a message that needs no answer (best effort). */
  function respond(message: Record<string, unknown>): void {
    post(JSON.stringify(message)).response.then(
      (res) => res.resume(),
      () => undefined,
    );
  }

  /** Tells the upstream to stop working on `id` (MCP cancellation). */
  const cancel = (id: string, reason: string) => respond({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });

  async function forward(method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (signal?.aborted) throw unavailable('request cancelled');
    const id = `pqgate-${++nextId}`;
    const { req, response } = post(JSON.stringify(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }));
    // A timeout or a cancellation destroys the request; the failure says which it was.
    let stopped: JsonRpcFailure | undefined;
    const stop = (failure: JsonRpcFailure) => {
      stopped ??= failure;
      req.destroy();
    };
    const timer = setTimeout(() => stop(toJsonRpcFailure(new GatewayError('upstream_timeout', `upstream ${deps.slug} did not answer within ${deps.timeoutMs} ms`))), deps.timeoutMs);
    const onAbort = () => stop(unavailable('request cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await readReply(await response, id);
      if ('error' in reply) {
        const e = reply.error as { code?: unknown; message?: unknown; data?: unknown } | null;
        if (typeof e?.code !== 'number' || typeof e.message !== 'string') throw unavailable('malformed error response');
        throw new JsonRpcFailure(e.code, e.message, e.data);
      }
      const result = reply.result;
      if (typeof result !== 'object' || result === null || Array.isArray(result)) throw unavailable('malformed result');
      return result as Record<string, unknown>;
    } catch (e) {
      if (stopped) {
        cancel(id, stopped.message);
        throw stopped;
      }
      if (e instanceof JsonRpcFailure) throw e;
      const failure = unavailable(describe(e));
      deps.onBroken(failure.message);
      throw failure;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The response to `id` in a JSON or SSE reply; anything else on the stream is dropped. Events,
   * not `for await`: leaving an async iterator early destroys the stream, and with it the
   * keep-alive socket.
   */
  function readReply(res: IncomingMessage, id: string): Promise<Record<string, unknown>> {
    const type = res.headers['content-type'] ?? '';
    if (res.statusCode !== 200) {
      res.resume();
      // 404: the upstream forgot the session (it restarted); the pool opens a new one.
      return Promise.reject(new ReplyError(res.statusCode === 404 ? 'session expired (HTTP 404)' : `HTTP ${res.statusCode}`));
    }
    const sse = type.startsWith('text/event-stream');
    if (!sse && !type.startsWith('application/json')) {
      res.resume();
      return Promise.reject(new ReplyError(`unexpected content type ${type.slice(0, 40)}`));
    }
    res.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let buffered = '';
      let size = 0;
      const done = (error: Error | null, message?: Record<string, unknown>) => {
        res.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
        if (error) {
          res.destroy();
          reject(error);
        } else {
          // The upstream ends the stream after the response; draining keeps the socket alive.
          res.resume();
          resolve(message!);
        }
      };
      const onData = (chunk: string) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) return done(new ReplyError('reply too large'));
        buffered += chunk;
        if (!sse) return;
        // SSE (WHATWG §9.2): events end with a blank line; `data:` lines carry the message.
        for (let end = eventEnd(buffered); end.at >= 0; end = eventEnd(buffered)) {
          const message = dataOf(buffered.slice(0, end.at));
          buffered = buffered.slice(end.at + end.length);
          if (!message) continue;
          if (message.id === id && !('method' in message)) return done(null, message);
          // The gateway's client declares no capabilities (as the SDK client would answer).
          if (typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')) {
            respond({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
          }
        }
      };
      const onEnd = () => {
        const message = sse ? undefined : parseMessage(buffered);
        if (!message || message.id !== id || 'method' in message) return done(new ReplyError(sse ? 'stream ended without a response' : 'malformed response'));
        done(null, message);
      };
      const onError = (e: Error) => done(e);
      const onClose = () => done(new ReplyError('connection closed mid-reply'));
      res.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
    });
  }

  return Object.assign(forward, { close: () => agent.destroy() });
}

const following = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * `fetch` for the SDK's Streamable HTTP client transport. The transport hands its one
 * long-lived AbortSignal to every fetch, and undici keeps an abort listener on it per request
 * until that request is garbage-collected: under load the signal collects thousands
 * (MaxListenersExceededWarning past 1500). Here each fetch gets its own signal that follows the
 * shared one, and stops following once the response body is done or the request failed.
 */
export const fetchWithOwnSignal: typeof fetch = async (input, init) => {
  const shared = init?.signal;
  if (!shared) return fetch(input, init);
  const own = new AbortController();
  if (shared.aborted) own.abort(shared.reason);
  // One listener on the shared signal however many requests are in flight.
  let followers = following.get(shared);
  if (!followers) {
    const set = (followers = new Set());
    following.set(shared, set);
    shared.addEventListener('abort', () => set.forEach((c) => c.abort(shared.reason)), { once: true });
  }
  followers.add(own);
  const unlink = () => followers.delete(own);
  let res: Response;
  try {
    res = await fetch(input, { ...init, signal: own.signal });
  } catch (e) {
    unlink();
    throw e;
  }
  // Errors and redirects are read (or followed) at once and keep their own shape.
  if (!res.body || !res.ok) {
    unlink();
    return res;
  }
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          unlink();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        unlink();
        controller.error(e);
      }
    },
    cancel(reason) {
      unlink();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
};

/** A reply that cannot be used; its message is safe to show (no URLs, headers or bodies). */
class ReplyError extends Error {}

function eventEnd(s: string): { at: number; length: number } {
  const lf = s.indexOf('\n\n');
  const crlf = s.indexOf('\r\n\r\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}

function dataOf(event: string): Record<string, unknown> | undefined {
  let data = '';
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line.startsWith('data: ') ? 6 : 5);
  }
  return data ? parseMessage(data) : undefined;
}

function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    const m = JSON.parse(text) as unknown;
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A short, secret-free description of a transport failure (no URLs or headers). */
function describe(e: unknown): string {
  if (e instanceof ReplyError) return e.message;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'connection failed';
}
