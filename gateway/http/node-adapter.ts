/**
 * Runs a `Request → Response` core on a plain `node:http` server (tests, benches, the product's
 * server.ts). What hono's node adapter does: a web Request over the incoming message (built
 * lazily, incoming-request.ts), the Response streamed back, and the Request's signal aborted when
 * the client goes away.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BufferedResponse } from './buffered-response';
import { incomingRequest, type IncomingRequest } from './incoming-request';
import { readIncoming } from './read-body';

/** A core from web Request to web Response. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A listening server. */
export interface NodeServer {
  /** `http://host:port` (no trailing slash). */
  readonly origin: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Bodies declared (Content-Length) at most this large are read before the Request is built, which
 * spares a web stream per request; larger or chunked bodies stream, and the core applies its own
 * limits to both.
 */
const BUFFERED_BODY_BYTES = 64 * 1024;

function readDeclaredBody(req: IncomingMessage): Promise<Buffer> | null {
  const declared = req.headers['content-length'];
  if (req.headers['transfer-encoding'] || !declared || !/^\d{1,9}$/.test(declared) || Number(declared) > BUFFERED_BODY_BYTES) return null;
  return readIncoming(req, BUFFERED_BODY_BYTES, (bytes) => new Error(`body of ${bytes} bytes exceeds its declared length`));
}

/**
 * Writes `response`. When the core answered without reading the whole request body (it refused
 * it as too large, or before reading it), the connection closes after the answer: otherwise
 * Node would go on reading, and discarding, a body that may never end.
 */
async function send(res: ServerResponse, response: Response, bodyUnread: boolean): Promise<void> {
  const headers = [...response.headers].flat();
  if (bodyUnread) headers.push('connection', 'close');
  const bytes = BufferedResponse.bytesOf(response);
  // A complete body leaves in one write with its headers (a syscall each costs more than the copy).
  if (bytes) return void res.writeHead(response.status, [...headers, 'content-length', String(bytes.length)]).end(bytes);
  if (!response.body) return void res.writeHead(response.status, headers).end();
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const body = new Uint8Array(await response.arrayBuffer());
    return void res.writeHead(response.status, [...headers, 'content-length', String(body.length)]).end(body);
  }
  // Streaming keeps SSE responses flowing as events are produced.
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

/**
 * The `node:http` request listener that answers with `handler`: for `serveNode`, and for the
 * product's server, which mounts the gateway ahead of Next.js's router (server.ts).
 */
export function nodeListener(handler: FetchHandler, fallbackHost = '127.0.0.1'): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const origin = `http://${req.headers.host ?? fallbackHost}`;
    const body = req.method !== 'GET' && req.method !== 'HEAD' ? readDeclaredBody(req) : null;
    let request: IncomingRequest | undefined;
    let gone = false;
    // Only a client that left before the response was complete aborts the request's signal.
    res.once('close', () => {
      gone = !res.writableFinished;
      if (gone) request?.abort();
    });
    const answer = (b?: Buffer) => {
      request = incomingRequest(req, origin, b);
      if (gone) request.abort();
      return handler(request);
    };
    (body ? body.then(answer) : answer())
      .then((response) => send(res, response, !req.complete))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"internal_error"}}');
        else res.end();
      });
  };
}

/** Serves `handler` on `port` (0 picks a free one). */
export async function serveNode(handler: FetchHandler, options: { port?: number; host?: string } = {}): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(nodeListener(handler, host));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
