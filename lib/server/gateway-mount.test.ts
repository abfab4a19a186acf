import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpGateway } from '@/gateway/mcp';
import { mcpServerOf, mountGateway } from './gateway-mount';

describe('mcpServerOf', () => {
  it('reads the server segment of gateway paths, with or without more path and query', () => {
    expect(mcpServerOf('/api/mcp/inventory')).toBe('inventory');
    expect(mcpServerOf('/api/mcp/inventory/pq/handshake')).toBe('inventory');
    expect(mcpServerOf('/api/mcp/clinic-records?x=1')).toBe('clinic-records');
    expect(mcpServerOf('/api/mcp/a%2Db')).toBe('a-b');
  });

  it('leaves every other path to Next.js', () => {
    for (const url of ['/', '/api/mcp', '/api/mcp/', '/api/mcp/?x', '/api/health', '/tools?server=inventory', '/x/api/mcp/inventory', undefined]) expect(mcpServerOf(url)).toBeNull();
  });

  it('passes a segment that does not decode through as sent, so the gateway says it is unknown', () => {
    expect(mcpServerOf('/api/mcp/nope%zz/pq')).toBe('nope%zz');
  });
});

describe('mountGateway', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(running: () => Promise<{ gateway: McpGateway }> | undefined): Promise<{ url: string; seen: string[] }> {
    const seen: string[] = [];
    server = createServer(
      mountGateway(running, (req, res) => {
        seen.push(`next ${req.url}`);
        res.end('from next');
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  const gateway = (seen: string[]) =>
    ({
      handle: async (request: Request, slug: string) => {
        seen.push(`gateway ${slug} ${request.method} ${new URL(request.url).pathname} ${await request.text()}`);
        return Response.json({ ok: slug }, { status: 202 });
      },
    }) as unknown as McpGateway;

  it('answers MCP paths with the running gateway, body and all, and everything else with Next.js', async () => {
    const log: string[] = [];
    const { url, seen } = await serve(() => Promise.resolve({ gateway: gateway(log) }));
    const mcp = await fetch(`${url}/api/mcp/inventory`, { method: 'POST', body: '{"jsonrpc":"2.0"}' });
    expect(mcp.status).toBe(202);
    expect(await mcp.json()).toEqual({ ok: 'inventory' });
    expect(await (await fetch(`${url}/tools`)).text()).toBe('from next');
    expect(log).toEqual(['gateway inventory POST /api/mcp/inventory {"jsonrpc":"2.0"}']);
    expect(seen).toEqual(['next /tools']);
  });

  it('hands MCP paths to Next.js (the route file) until the gateway has been started', async () => {
    const { url, seen } = await serve(() => undefined);
    expect(await (await fetch(`${url}/api/mcp/inventory`, { method: 'POST', body: '{}' })).text()).toBe('from next');
    expect(seen).toEqual(['next /api/mcp/inventory']);
  });

  it('answers 500 with a JSON error when the gateway failed to start, and keeps serving', async () => {
    const { url } = await serve(() => Promise.reject(new Error('database unreachable')));
    const res = await fetch(`${url}/api/mcp/inventory`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error' } });
  });
});
