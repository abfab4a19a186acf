import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createClinicRecordsServer, createClinicStore } from './clinic-records';
import { createInventoryServer, createInventoryStore } from './inventory';
import { serveHttp, type RunningUpstream } from './serve-http';

// Each entry makes one store and returns a factory over it: every session gets
// its own McpServer, but all sessions of one running upstream see the same data.
const DEMO_UPSTREAMS = {
  'clinic-records': () => {
    const store = createClinicStore();
    return () => createClinicRecordsServer(store);
  },
  inventory: () => {
    const store = createInventoryStore();
    return () => createInventoryServer(store);
  },
} satisfies Record<string, () => () => McpServer>;

/** Names accepted by {@link startDemoUpstream} and the CLI. */
export type DemoUpstreamName = keyof typeof DEMO_UPSTREAMS;

/** Every demo upstream name, in a stable order. */
export const DEMO_UPSTREAM_NAMES = Object.keys(DEMO_UPSTREAMS) as DemoUpstreamName[];

/** Narrows an untrusted string (CLI argument, config) to a demo upstream name. */
export function isDemoUpstreamName(name: string): name is DemoUpstreamName {
  return Object.hasOwn(DEMO_UPSTREAMS, name);
}

/**
 * Starts a demo upstream over Streamable HTTP with fresh seed data.
 * `port: 0` picks a free port; the returned `url` names the one bound.
 */
export function startDemoUpstream(name: DemoUpstreamName, options: { port: number; host?: string }): Promise<RunningUpstream> {
  if (!isDemoUpstreamName(name)) throw new TypeError(`unknown demo upstream "${String(name)}"; expected one of ${DEMO_UPSTREAM_NAMES.join(', ')}`);
  const { port, host = '127.0.0.1' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be an integer 0-65535, got ${port}`);
  return serveHttp(DEMO_UPSTREAMS[name](), { port, host });
}

/** Runs a demo upstream on this process's stdin/stdout until the client closes stdin. */
export async function runDemoUpstreamStdio(name: DemoUpstreamName): Promise<McpServer> {
  const server = DEMO_UPSTREAMS[name]()();
  await server.connect(new StdioServerTransport());
  return server;
}
