import { createMcpGateway, type McpGateway } from '@/gateway/mcp';
import { PrismaGatewayStore } from './gateway-store/prisma-gateway-store';

interface Runtime {
  gateway: McpGateway;
  store: PrismaGatewayStore;
}

// One gateway per process, on globalThis for the same reason as the database (lib/db): Next.js
// bundles instrumentation and route handlers separately.
const holder = globalThis as typeof globalThis & { __pqgateGateway?: Promise<Runtime> };

async function start(): Promise<Runtime> {
  const store = await PrismaGatewayStore.open();
  const gateway = createMcpGateway({
    store,
    options: {
      onError: (where, error) => console.error(`pqgate gateway: ${where}: ${error instanceof Error ? error.message : String(error)}`),
    },
  });
  return { gateway, store };
}

/** The process's gateway, started on first use (or by bootstrap, so discovery begins at once). */
export function gatewayRuntime(): Promise<Runtime> {
  holder.__pqgateGateway ??= start().catch((error) => {
    holder.__pqgateGateway = undefined;
    throw error;
  });
  return holder.__pqgateGateway;
}

/** Closes sessions and upstreams and flushes traffic events (shutdown). */
export async function stopGatewayRuntime(): Promise<void> {
  const running = holder.__pqgateGateway;
  holder.__pqgateGateway = undefined;
  if (!running) return;
  const { gateway, store } = await running;
  await gateway.close();
  store.close();
}
