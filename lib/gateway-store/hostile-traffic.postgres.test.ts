import { afterAll, describe } from 'vitest';
import { postgresTestDatabase } from '../db/postgres-test-database';

// Hostile values in a traffic batch, on PostgreSQL (hostile-traffic-suite.ts).
const database = await postgresTestDatabase('pqgate_hostile');

describe.skipIf(!database)('hostile traffic values on PostgreSQL', async () => {
  const { closeDatabase } = await import('../db');
  const { hostileTrafficSuite } = await import('./hostile-traffic-suite');
  afterAll(async () => {
    await closeDatabase();
    await database?.drop();
  });
  hostileTrafficSuite();
});
