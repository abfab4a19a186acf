/**
 * One upstream MCP session over Streamable HTTP, at the message level. Every message is one
 * keep-alive `node:http` POST written in one go (headers and body); a reply, JSON or SSE, is read
 * incrementally and each message in it is handed on as it arrives (progress, logging, sampling
 * and elicitation requests, then the response). After `notifications/initialized` the GET stream
 * is opened for messages tied to no request, if the server offers one (405: it does not).
 * Closing the session DELETEs it upstream.
 */
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { MAX_EVENT_CHARS, parseMessage, SseReader } from './sse';
import { describeFailure, isConnectFailure, isRequest, unavailable, type Id, type Message, type UpstreamConnection, type UpstreamEvents } from './upstream-connection';

/** Where and how to reach the upstream. */
export interface HttpUpstreamDeps {
  readonly slug: string;
  readonly url: URL;
  /** Registered credential headers, sent on every request and never logged. */
  readonly headers: Readonly<Record<string, string>>;
  /** Keep-alive agent shared by the sessions of one upstream. */
  readonly agent: Agent;
  readonly events: UpstreamEvents;
  /** Told when connecting to the upstream failed (it is down, not one request). */
  readonly onConnectFailed: (reason: string) => void;
}

/** A reply that cannot be used; its message is safe to show (no URLs, headers or bodies). */
class ReplyError extends Error {
  override readonly name = 'ReplyError';
}

/** Opens (lazily: on the first message, which is `initialize`) one upstream session. */
export function createHttpUpstream(deps: HttpUpstreamDeps): UpstreamConnection {
  const { slug, events } = deps;
  const send = deps.url.protocol === 'https:' ? httpsRequest : httpRequest;
  // Request options from the URL once: given a URL, node:http converts it on every request.
  const target = { ...urlToHttpOptions(deps.url), agent: deps.agent };
  let sessionId: string | undefined;
  let protocolVersion: string | undefined;
  let initializeId: Id | undefined;
  let closed = false;
  let stream: ClientRequest | undefined;
  const inflight = new Map<Id, ClientRequest>();

  function headers(extra: Record<string, string | number>): Record<string, string | number> {
    const h: Record<string, string | number> = { ...deps.headers, ...extra };
    if (sessionId) h['mcp-session-id'] = sessionId;
    if (protocolVersion) h['mcp-protocol-version'] = protocolVersion;
    return h;
  }

  function post(body: string): ClientRequest {
    const req = send({ ...target, method: 'POST', headers: headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body) }) });
    req.end(body);
    return req;
  }

  /** The upstream said something: remember the session it negotiated, then hand it on. */
  function deliver(m: Message, related?: Id): void {
    if (closed) return;
    if (initializeId !== undefined && m.id === initializeId && !('method' in m)) {
      initializeId = undefined;
      const v = (m.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (typeof v === 'string') protocolVersion = v;
    }
    events.message(m, related);
  }

  function fail(id: Id, e: unknown): void {
    if (inflight.get(id) === undefined) return;
    inflight.delete(id);
    if (isConnectFailure(e)) deps.onConnectFailed(describeFailure(e));
    events.failed(id, unavailable(slug, describeFailure(e)));
  }

  function expired(): void {
    if (closed) return;
    closed = true;
    stream?.destroy();
    for (const [id, req] of inflight) {
      req.destroy();
      events.failed(id, unavailable(slug, 'session expired (HTTP 404)'));
    }
    inflight.clear();
    events.closed(`upstream ${slug} ended the session (HTTP 404)`);
  }

  /** Reads the reply to request `id`, handing on each message as it completes. */
  function readReply(req: ClientRequest, res: IncomingMessage, id: Id): void {
    if (req.getHeader('mcp-session-id') === undefined && id === initializeId) {
      const sid = res.headers['mcp-session-id'];
      if (typeof sid === 'string') sessionId = sid;
    }
    const type = res.headers['content-type'] ?? '';
    if (res.statusCode === 404 && sessionId) {
      res.resume();
      return expired();
    }
    const sse = res.statusCode === 200 && type.startsWith('text/event-stream');
    if (!sse && !type.startsWith('application/json')) {
      res.resume();
      return fail(id, new ReplyError(res.statusCode === 200 ? `unexpected content type ${type.slice(0, 40)}` : `HTTP ${res.statusCode}`));
    }
    res.setEncoding('utf8');
    let answered = false;
    let body = '';
    const reader = sse
      ? new SseReader((m) => {
          if (inflight.get(id) !== req) return;
          if (m.id === id && !('method' in m)) {
            answered = true;
            inflight.delete(id);
          }
          deliver(m, id);
        })
      : undefined;
    // Events, not `for await`: leaving an async iterator early destroys the keep-alive socket.
    res.on('data', (chunk: string) => {
      if (reader ? reader.push(chunk) : (body += chunk).length <= MAX_EVENT_CHARS) return;
      res.destroy();
      fail(id, new ReplyError('reply too large'));
    });
    res.once('end', () => {
      if (sse) return answered ? undefined : fail(id, new ReplyError('stream ended without a response'));
      const m = parseMessage(body);
      // A JSON error body (e.g. 400 with a JSON-RPC error) is the upstream's own answer.
      if (m && m.id === id && !('method' in m) && inflight.get(id) === req) {
        inflight.delete(id);
        return deliver(m, id);
      }
      fail(id, new ReplyError(res.statusCode === 200 ? 'malformed response' : `HTTP ${res.statusCode}`));
    });
    res.once('error', (e) => fail(id, e));
    res.once('close', () => fail(id, new ReplyError('connection closed mid-reply')));
  }

  /** The GET stream: server messages tied to no request. Reopened while the server keeps it. */
  function openStream(): void {
    if (closed || stream) return;
    const req = send({ ...target, method: 'GET', headers: headers({ accept: 'text/event-stream' }) });
    stream = req;
    const again = () => {
      if (stream !== req) return;
      stream = undefined;
      if (!closed) setTimeout(openStream, 1000).unref();
    };
    req.once('error', () => (stream === req ? (stream = undefined) : undefined));
    req.once('response', (res) => {
      if (res.statusCode === 404 && sessionId) return res.resume(), expired();
      // 405: the server offers no GET stream; anything but an SSE 200 is not one either.
      if (res.statusCode !== 200 || !(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      const reader = new SseReader((m) => deliver(m));
      res.on('data', (chunk: string) => void (reader.push(chunk) || res.destroy()));
      res.once('end', again);
      res.once('close', again);
    });
    req.end();
  }

  return {
    tellsRelated: true,
    async send(m) {
      if (closed) {
        if (isRequest(m)) events.failed(m.id as Id, unavailable(slug, 'session ended'));
        return;
      }
      const req = post(JSON.stringify(m));
      if (isRequest(m)) {
        const id = m.id as Id;
        if (m.method === 'initialize') initializeId = id;
        inflight.set(id, req);
        req.once('response', (res) => readReply(req, res, id));
        req.once('error', (e) => (inflight.get(id) === req ? fail(id, e) : undefined));
        return;
      }
      // A notification or a response: accepted with 202 (or 200); the client's order is kept by
      // resolving only then.
      await new Promise<void>((resolve) => {
        req.once('response', (res) => {
          res.resume();
          if (res.statusCode === 404 && sessionId) expired();
          resolve();
        });
        req.once('error', (e) => {
          if (isConnectFailure(e)) deps.onConnectFailed(describeFailure(e));
          resolve();
        });
      });
      if (m.method === 'notifications/initialized') openStream();
    },
    drop(id) {
      const req = inflight.get(id);
      inflight.delete(id);
      req?.destroy();
    },
    async close() {
      if (closed) return;
      closed = true;
      stream?.destroy();
      for (const req of inflight.values()) req.destroy();
      inflight.clear();
      if (!sessionId) return;
      // Best effort: the upstream frees the session now instead of when it idles out.
      await new Promise<void>((resolve) => {
        const req = send({ ...target, method: 'DELETE', headers: headers({}), timeout: 2000 });
        req.once('response', (res) => (res.resume(), resolve()));
        req.once('error', () => resolve());
        req.once('timeout', () => (req.destroy(), resolve()));
        req.end();
      });
    },
  };
}
