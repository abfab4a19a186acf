import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh embedded database folder that lib/ now runs on, and how to remove it. */
export interface EmbeddedTestDatabase {
  readonly dir: string;
  drop(): void;
}

/**
 * For tests on the embedded database (PGlite), as postgresTestDatabase is for PostgreSQL: points
 * PQGATE_DATA_DIR and PQGATE_SECRETS_FILE at a new temporary folder and unsets DATABASE_URL.
 * Call it before the first import of `lib/db` (the database opens lazily from the environment).
 */
export function embeddedTestDatabase(prefix: string): EmbeddedTestDatabase {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  process.env.PQGATE_DATA_DIR = dir;
  process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
  delete process.env.DATABASE_URL;
  return { dir, drop: () => rmSync(dir, { recursive: true, force: true }) };
}
