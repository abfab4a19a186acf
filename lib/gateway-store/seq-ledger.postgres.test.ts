import { afterAll, beforeAll, describe } from 'vitest';
import { postgresTestDatabase } from '../db/postgres-test-database';
import { seqLedgerSuite } from './seq-ledger-suite';

const database = await postgresTestDatabase('pqgate_ledger');

describe.skipIf(!database)('channel sequence-number ledger on PostgreSQL', async () => {
  const { closeDatabase, db, ensureMigrated } = await import('../db');
  beforeAll(() => ensureMigrated());
  afterAll(async () => {
    await closeDatabase();
    await database?.drop();
  });
  seqLedgerSuite(() => db);
});
