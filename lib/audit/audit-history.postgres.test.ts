import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { postgresTestDatabase } from '../db/postgres-test-database';

// The audit history promise on PostgreSQL (when PQGATE_TEST_DATABASE_URL is set), with a real
// witness over HTTP on port 0.
const database = await postgresTestDatabase('pqgate_audit_history');
process.env.PQGATE_AUDIT_CHECKPOINT_EVENTS = '4';
process.env.PQGATE_AUDIT_CHECKPOINT_SECONDS = '3600';
const { witnessFixture } = await import('./witness-fixture');
const fixture = database ? await witnessFixture(join(process.env.PQGATE_DATA_DIR!, 'witness-state.json')) : undefined;

describe.skipIf(!database)('audit history on PostgreSQL', async () => {
  const { closeDatabase, ensureMigrated } = await import('../db');
  const { ensureGatewayKeys } = await import('../keys/gateway-keys');
  const { auditHistorySuite } = await import('./audit-history-suite');
  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
    await fixture!.trustGatewayKeys();
  });
  afterAll(async () => {
    await fixture?.close();
    await closeDatabase();
    await database?.drop();
  });
  auditHistorySuite(fixture!);
});
