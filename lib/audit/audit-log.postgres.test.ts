import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { postgresTestDatabase } from '../db/postgres-test-database';

// The audit log on PostgreSQL (when PQGATE_TEST_DATABASE_URL is set): the 4 writers each have
// their own client and connection pool, like 4 replicas, and take turns through the row lock.
const database = await postgresTestDatabase('pqgate_audit');
const url = database?.url;
if (database) {
  process.env.PQGATE_AUDIT_CHECKPOINT_EVENTS = '4';
  process.env.PQGATE_AUDIT_CHECKPOINT_SECONDS = '3600';
}

describe.skipIf(!url)('audit log on PostgreSQL', async () => {
  const { closeDatabase, ensureMigrated } = await import('../db');
  const { PrismaClient } = await import('../generated/prisma/client');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { ensureGatewayKeys } = await import('../keys/gateway-keys');
  const { auditLogSuite } = await import('./audit-log-suite');
  const pools: pg.Pool[] = [];
  const clients: InstanceType<typeof PrismaClient>[] = [];

  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
    await Promise.all(pools.map((p) => p.end()));
    await closeDatabase();
    await database?.drop();
  });
  auditLogSuite(async () => {
    for (let i = 0; i < 4; i++) {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      // Dropping the test database ends connections still closing; that is expected here.
      pool.on('error', () => undefined);
      pools.push(pool);
      clients.push(new PrismaClient({ adapter: new PrismaPg(pool) }));
    }
    return clients as never;
  });
});
