import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';

// The audit log on the embedded database: one PGlite, so the 4 "writers" share its connection.
const dir = mkdtempSync(join(tmpdir(), 'pqgate-audit-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
process.env.PQGATE_AUDIT_CHECKPOINT_EVENTS = '4';
process.env.PQGATE_AUDIT_CHECKPOINT_SECONDS = '3600';
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { ensureGatewayKeys } = await import('../keys/gateway-keys');
const { auditLogSuite } = await import('./audit-log-suite');

describe('audit log on embedded PGlite', () => {
  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
  });
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });
  auditLogSuite(async () => [db, db, db, db]);
});
