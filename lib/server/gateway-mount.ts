import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeListener } from '@/gateway/http/node-adapter';
import type { McpGateway } from '@/gateway/mcp';

/** Where the gateway answers: `/api/mcp/<server>` and below (the route file's path too). */
const MCP_PREFIX = '/api/mcp/';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The upstream slug a request path addresses (`/api/mcp/<server>[/...][?...]`), decoded as Next.js
 * decodes the route's `[server]` segment; null for any other path. A segment that does not decode
 * is returned as sent: no slug looks like that, so the gateway answers 404 naming it.
 */
export function mcpServerOf(url: string | undefined): string | null {
  if (!url?.startsWith(MCP_PREFIX)) return null;
  const rest = url.slice(MCP_PREFIX.length);
  const segment = rest.slice(0, rest.search(/[/?#]|$/));
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A request listener that answers MCP paths with the running gateway straight from `node:http`
 * and hands everything else to `fallback` (Next.js's request handler). Next.js's router costs
 * about 0.65 ms a request on a small machine, most of the 1 ms a gateway may add to a tool call
 * (DESIGN §8), and does nothing for these routes: they authenticate callers themselves and no
 * proxy, page or header config applies to them. Until the gateway has been started (by
 * instrumentation, before the first request in practice), MCP paths go to `fallback` too, where
 * the route file (app/api/mcp/...) serves them with the same core.
 */
export function mountGateway(running: () => Promise<{ gateway: McpGateway }> | undefined, fallback: Listener): Listener {
  return (req, res) => {
    const server = mcpServerOf(req.url);
    const runtime = server === null ? undefined : running();
    if (!runtime) return fallback(req, res);
    // Awaited only once the body is in; a start-up failure is answered then, not left unhandled.
    runtime.catch(() => undefined);
    nodeListener(async (request) => (await runtime).gateway.handle(request, server!))(req, res);
  };
}
