import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';

// Hostile values in a traffic batch, on the embedded database (hostile-traffic-suite.ts).
const dir = mkdtempSync(join(tmpdir(), 'pqgate-hostile-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase } = await import('../db');
const { hostileTrafficSuite } = await import('./hostile-traffic-suite');

describe('hostile traffic values on embedded PGlite', () => {
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });
  hostileTrafficSuite();
});
