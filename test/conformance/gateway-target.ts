/**
 * The conformance fixture behind the gateway core's bearer path: the core on a real `node:http`
 * server (the node adapter the product uses), an in-memory store with the fixture registered as
 * upstream `conformance` and one identity with an API token.
 *
 * The conformance CLI cannot send an `Authorization` header, so this server sets
 * `Authorization: Bearer <token>` on every incoming request before the core sees it: a
 * `'request'` listener that runs ahead of the adapter's, and the only thing that differs from a
 * real client. Everything else (Host, Origin, the session headers, bodies, SSE) is what the CLI
 * sent and what the core answered. The unauthenticated path is covered in gateway/mcp/bearer.test.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { KeyPair } from '../../gateway/channel';
import { serveNode } from '../../gateway/http/node-adapter';
import { createMcpGateway } from '../../gateway/mcp/gateway';
import { ALICE, GATEWAY_KEYS, TOKEN } from '../../gateway/mcp/testing/fixture';
import { MemoryGatewayStore } from '../../gateway/mcp/testing/memory-store';

/** The upstream's name at the gateway: the endpoint is `/api/mcp/conformance`. */
export const UPSTREAM_SLUG = 'conformance';

/**
 * Starts the gateway in front of the MCP server at `upstreamUrl`; `url` is its bearer endpoint.
 * `channelKey`, when given, is enrolled for the same identity (for the `pqgate connect --http` target).
 */
export async function startGatewayTarget(upstreamUrl: string, channelKey?: KeyPair): Promise<{ url: string; close(): Promise<void> }> {
  const store = new MemoryGatewayStore(GATEWAY_KEYS)
    .addUpstream({ slug: UPSTREAM_SLUG, transport: 'http', url: upstreamUrl, headers: {} })
    .addIdentity(ALICE.identityId, ALICE.identityName)
    .addToken(TOKEN, ALICE);
  if (channelKey) store.enrollKey(channelKey, ALICE);
  const gateway = createMcpGateway({ store, options: { trafficIntervalMs: 50 } });
  const http = await serveNode((request) => gateway.handle(request, UPSTREAM_SLUG));
  // The adapter builds the Request's headers from rawHeaders (incoming-request.ts).
  http.server.prependListener('request', (req: IncomingMessage) => void req.rawHeaders.push('Authorization', `Bearer ${TOKEN}`));
  return {
    url: `${http.origin}/api/mcp/${UPSTREAM_SLUG}`,
    async close() {
      await gateway.close();
      await http.close();
    },
  };
}
