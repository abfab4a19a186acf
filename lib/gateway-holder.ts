import type { McpGateway } from '@/gateway/mcp';
import type { DetectionRuntime } from './detection/detection-runtime';
import type { PrismaGatewayStore } from './gateway-store/prisma-gateway-store';
import type { FileTrafficJournal } from './gateway-store/traffic-journal';
import type { TrafficWrite } from './gateway-store/traffic-writer';

/** The process's gateway and what it runs on. */
export interface GatewayRuntime {
  gateway: McpGateway;
  store: PrismaGatewayStore;
  detection: DetectionRuntime;
  journal: FileTrafficJournal;
}

/**
 * Where the process keeps its one gateway: on globalThis, because Next.js bundles
 * instrumentation and route handlers separately, and the product's server (server.ts) runs
 * outside the bundle altogether. Type imports only, so the server loads nothing else from here.
 */
export const gatewayHolder = globalThis as typeof globalThis & {
  __pqgateGateway?: Promise<GatewayRuntime>;
  /** Installed by server.ts on PostgreSQL: traffic batches are written off the request thread. */
  __pqgateTrafficWriter?: TrafficWrite;
};
