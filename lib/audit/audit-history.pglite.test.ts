import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';

// The audit history promise on the embedded database, with a real witness over HTTP on port 0.
const dir = mkdtempSync(join(tmpdir(), 'pqgate-audit-history-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
process.env.PQGATE_AUDIT_CHECKPOINT_EVENTS = '4';
process.env.PQGATE_AUDIT_CHECKPOINT_SECONDS = '3600';
delete process.env.DATABASE_URL;
const { witnessFixture } = await import('./witness-fixture');
const fixture = await witnessFixture(join(dir, 'witness-state.json'));

const { closeDatabase, ensureMigrated } = await import('../db');
const { ensureGatewayKeys } = await import('../keys/gateway-keys');
const { auditHistorySuite } = await import('./audit-history-suite');

describe('audit history on embedded PGlite', () => {
  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
    await fixture.trustGatewayKeys();
  });
  afterAll(async () => {
    await fixture.close();
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });
  auditHistorySuite(fixture);
});
