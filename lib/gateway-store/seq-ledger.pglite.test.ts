import { afterAll, beforeAll, describe } from 'vitest';
import { seqLedgerSuite } from './seq-ledger-suite';
import { embeddedTestDatabase } from '../db/embedded-test-database';

const database = embeddedTestDatabase('pqgate-ledger');
const { closeDatabase, db, ensureMigrated } = await import('../db');

describe('channel sequence-number ledger on the embedded database', () => {
  beforeAll(() => ensureMigrated());
  afterAll(async () => {
    await closeDatabase();
    database.drop();
  });
  seqLedgerSuite(() => db);
});
