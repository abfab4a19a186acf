/**
 * Runs a `Request → Response` core on a plain `node:http` server (tests, benches, the product's
 * server.ts). The few lines hono's node adapter needs: build a web Request from the incoming
 * message, stream the Response back, and abort the Request when the client goes away.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { readIncoming } from './read-incoming';

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

function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal, body?: Buffer): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    signal,
    ...(body ? { body } : hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers = [...response.headers].flat();
  if (!response.body) return void res.writeHead(response.status, headers).end();
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    // A complete body leaves in one write with its headers (a syscall each costs more than the copy).
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
    const aborter = new AbortController();
    // Only a client that left before the response was complete aborts (an abort allocates).
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    const origin = `http://${req.headers.host ?? fallbackHost}`;
    const body = req.method !== 'GET' && req.method !== 'HEAD' ? readDeclaredBody(req) : null;
    (body ? body.then((b) => handler(toRequest(req, origin, aborter.signal, b))) : handler(toRequest(req, origin, aborter.signal)))
      .then((response) => send(res, response))
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
