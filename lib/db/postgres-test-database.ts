import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from './fresh-postgres';

/** A fresh database that lib/ now runs on, and how to remove it and its data folder. */
export interface PostgresTestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * For the `*.postgres.test.ts` files: a fresh database `<prefix>_<random>` on the server of
 * PQGATE_TEST_DATABASE_URL, with DATABASE_URL, PQGATE_DATA_DIR and PQGATE_SECRETS_FILE pointed
 * at it and a temporary folder; undefined when no server is named (the tests skip), an error when
 * PQGATE_REQUIRE_POSTGRES=1 demands one (.ci/run).
 */
export async function postgresTestDatabase(prefix: string): Promise<PostgresTestDatabase | undefined> {
  const serverUrl = process.env.PQGATE_TEST_DATABASE_URL;
  if (!serverUrl) {
    if (process.env.PQGATE_REQUIRE_POSTGRES === '1') throw new Error('PQGATE_REQUIRE_POSTGRES=1 but PQGATE_TEST_DATABASE_URL is not set: start PostgreSQL (see .ci/run)');
    return undefined;
  }
  const database = await freshPostgres(serverUrl, prefix);
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  process.env.DATABASE_URL = database.url;
  process.env.PQGATE_DATA_DIR = dir;
  process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
  return {
    url: database.url,
    async drop() {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
