import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { createMcpGateway } from '@/gateway/mcp';
import { createDetectionRuntime } from './detection/detection-runtime';
import { env } from './env';
import { gatewayHolder, type GatewayRuntime } from './gateway-holder';
import { PrismaGatewayStore } from './gateway-store/prisma-gateway-store';
import { requestSource } from './server/client-source';
import { openTrafficJournal } from './gateway-store/traffic-journal';
import { markUpstreamDown } from './upstreams/mark-upstream-down';

async function start(): Promise<GatewayRuntime> {
  const store = await PrismaGatewayStore.open();
  const detection = createDetectionRuntime({ policy: () => store.snapshot().global, blockMs: env().PQGATE_DOWNGRADE_BLOCK_SECONDS * 1000 });
  store.trafficObserver = (events) => detection.traffic(events);
  // Blocks raised on another replica arrive with the next snapshot rebuild.
  store.afterRebuild = () => detection.syncBlocks();
  await detection.seed().catch((error: unknown) => console.error('pqgate detection: seeding failed', error));
  const journal = openTrafficJournal({ folder: trafficJournalFolder(), fsync: env().PQGATE_TRAFFIC_JOURNAL_FSYNC === '1' });
  const recovered = journal.recovered().length;
  const gateway = createMcpGateway({
    store,
    journal,
    options: {
      channelEvents: (event) => detection.channelEvent(event),
      sourceOf: requestSource,
      isBlocked: (source) => detection.isBlocked(source),
      publicOrigins: env().PQGATE_PUBLIC_ORIGINS,
      stdioSessionsPerServer: env().PQGATE_STDIO_SESSIONS_PER_SERVER,
      stdioSessionsPerIdentity: env().PQGATE_STDIO_SESSIONS_PER_IDENTITY,
      onError: (where, error) => console.error(`pqgate gateway: ${where}: ${error instanceof Error ? error.message : String(error)}`),
    },
  });
  // Calls answered before a crash are stored before this run answers any.
  if (recovered) {
    await gateway.flushTraffic();
    console.log(`pqgate: traffic journal ${journal.folder}: ${recovered} answered call(s) of an earlier run checked against the audit log, the missing ones stored`);
  }
  return { gateway, store, detection, journal };
}

/** This replica's traffic journal folder (docs/audit.md, "Acknowledged calls are durable"). */
export function trafficJournalFolder(): string {
  const e = env();
  const replica = e.PQGATE_REPLICA ?? (hostname().replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || 'replica');
  return join(resolve(e.PQGATE_DATA_DIR), 'traffic-journal', replica);
}

/** The process's gateway, started on first use (or by bootstrap, so discovery begins at once). */
export function gatewayRuntime(): Promise<GatewayRuntime> {
  gatewayHolder.__pqgateGateway ??= start().catch((error) => {
    gatewayHolder.__pqgateGateway = undefined;
    throw error;
  });
  return gatewayHolder.__pqgateGateway;
}

/** Closes sessions and upstreams and flushes traffic events (shutdown). */
export async function stopGatewayRuntime(): Promise<void> {
  const running = gatewayHolder.__pqgateGateway;
  gatewayHolder.__pqgateGateway = undefined;
  if (!running) return;
  const { gateway, store, detection, journal } = await running;
  await gateway.close();
  journal.close();
  await detection.close();
  store.close();
}

/**
 * Connects to an upstream and lists its tools now (registration, start-up, the Servers page).
 * Success is recorded by the tool list itself; a failure marks the upstream down with why.
 */
export async function refreshUpstream(slug: string): Promise<{ ok: boolean; error?: string }> {
  const { gateway } = await gatewayRuntime();
  try {
    await gateway.refresh(slug);
    return { ok: true };
  } catch (error) {
    await markUpstreamDown(slug, error);
    return { ok: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/** Refreshes every registered upstream in the background (start-up). */
export async function refreshAllUpstreams(): Promise<void> {
  const { store } = await gatewayRuntime();
  await Promise.all([...store.snapshot().upstreams.keys()].map((slug) => refreshUpstream(slug)));
}

/** The policy snapshot the gateway is deciding from right now (the console shows and simulates with it). */
export async function currentPolicySnapshot() {
  return (await gatewayRuntime()).store.snapshot();
}
