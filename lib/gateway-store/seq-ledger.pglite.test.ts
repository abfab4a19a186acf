import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { seqLedgerSuite } from './seq-ledger-suite';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-ledger-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;
const { closeDatabase, db, ensureMigrated } = await import('../db');

describe('channel sequence-number ledger on the embedded database', () => {
  beforeAll(() => ensureMigrated());
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });
  seqLedgerSuite(() => db);
});
