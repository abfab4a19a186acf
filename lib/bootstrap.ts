import { closeDatabase, dbConnection, ensureMigrated } from './db';
import { env } from './env';
import { seedDemo } from './demo/seed-demo';
import { ensureGatewayKeys } from './keys/gateway-keys';
import { resealUnderCurrentEnvelopeKey } from './keys/reseal-secrets';
import { startKeyMaintenance } from './rotations/key-maintenance-scheduler';
import { ensureFirstAdmin } from './users/ensure-first-admin';
import { gatewayRuntime, refreshAllUpstreams, stopGatewayRuntime } from './gateway-runtime';

/**
 * Everything the server does once before it answers: apply migrations, create the first
 * admin and the gateway's keys, register the demo. Called from instrumentation.ts, so `next start` alone is enough.
 */
export async function bootstrap(log: (line: string) => void = console.log): Promise<void> {
  const e = env();
  const report = await ensureMigrated();
  const where = dbConnection();
  log(`pqgate: database ${where.kind} (${where.location}); ${report.applied.length} migration(s) applied, ${report.alreadyApplied} already in place`);
  // Before anything opens a secret: finish an envelope-key rotation if one is under way.
  if (e.PQGATE_ENVELOPE_KEY_PREVIOUS) log(`pqgate: envelope key rotation: ${await resealUnderCurrentEnvelopeKey()} secret(s) re-sealed under the new key; remove PQGATE_ENVELOPE_KEY_PREVIOUS once every replica runs with the new key`);
  await ensureFirstAdmin({ email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD }, log);
  await ensureGatewayKeys();
  startKeyMaintenance(e.PQGATE_KEY_SCHEDULE_SECONDS * 1000, log);
  if (e.PQGATE_DEMO === '1') await seedDemo(e);
  // Start the gateway now rather than on its first request, so it connects to the upstreams
  // and lists their tools at once.
  await gatewayRuntime();
  // Not awaited: an upstream that is down must not hold up the console.
  void refreshAllUpstreams().catch((error) => log(`pqgate: listing upstream tools failed: ${error instanceof Error ? error.message : String(error)}`));
  const shutdown = () => {
    stopGatewayRuntime()
      .catch((error) => console.error('pqgate: gateway shutdown', error))
      .finally(() => closeDatabase().finally(() => process.exit(0)));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
