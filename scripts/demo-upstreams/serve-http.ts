import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** Where to listen. Port 0 picks a free port (tests use it). */
export interface ServeHttpOptions { port: number; host?: string; path?: string; maxSessions?: number }

/** A listening server: its MCP endpoint and a close that ends every session first. */
export interface RunningUpstream { url: string; close(): Promise<void> }

// Hostnames a loopback server answers to; anything else in Host is a DNS-rebinding attempt.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Serves MCP Streamable HTTP at `path` with stateful sessions: each initialize
 * gets its own McpServer (from `createMcpServer`) and transport, found again by
 * its `Mcp-Session-Id` for POST, the GET SSE stream and DELETE.
 */
export async function serveHttp(createMcpServer: () => McpServer, options: ServeHttpOptions): Promise<RunningUpstream> {
  const { port, host = '127.0.0.1', path = '/mcp', maxSessions = 100 } = options;
  const sessions = new Map<string, { server: McpServer; transport: StreamableHTTPServerTransport }>();
  const checkHost = host === '127.0.0.1' || host === 'localhost' || host === '::1';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== path) return sendError(res, 404, -32000, `Not found: the MCP endpoint is ${path}`);
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (checkHost && !LOOPBACK_HOSTS.has(hostname)) return sendError(res, 403, -32000, `Forbidden: Host "${hostname}" is not a loopback name`);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendError(res, 404, -32001, 'Session not found: send a new initialize request without Mcp-Session-Id');
      return session.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return sendError(res, 400, -32000, 'Bad Request: GET and DELETE need the Mcp-Session-Id header from initialize');
    if (sessions.size >= maxSessions) return sendError(res, 503, -32000, 'Too many open sessions: DELETE an old session and retry');
    await openSession(req, res);
  }

  // The fresh transport itself rejects a body that is not an initialize request,
  // so the SDK stays the only parser of JSON-RPC; we then drop what it did not keep.
  async function openSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const server = createMcpServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { server, transport }),
    });
    // Set before connect: Protocol.connect chains this handler rather than replacing it.
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    if (transport.sessionId === undefined) await server.close();
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('pqgate-demo: request failed', error);
      if (res.headersSent) res.end();
      else sendError(res, 500, -32603, 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  const { port: bound } = http.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${bound}${path}`,
    async close() {
      await Promise.all([...sessions.values()].map(({ server }) => server.close()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        // Keep-alive sockets would hold close() open; sessions are already gone.
        http.closeAllConnections();
      });
    },
  };
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
