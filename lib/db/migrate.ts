import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SqlRunner } from './connection';

/** A migration folder from prisma/migrations, in Prisma's layout. */
export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of migration.sql, hex: the checksum Prisma records. */
  checksum: string;
}

export const MIGRATIONS_DIR = resolve(/*turbopackIgnore: true*/ process.cwd(), 'prisma/migrations');

/** Reads the committed migrations in name order (their timestamp prefix orders them). */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) throw new Error(`migrations folder not found: ${dir}`);
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(/*turbopackIgnore: true*/ join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// The ledger is Prisma's own table, created exactly as `prisma migrate deploy` creates it,
// so either tool can continue a history the other began.
const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any fixed 64-bit key works; this one is "pqgate" 0x0001 in ASCII hex (0x7071676174650001),
// written in decimal because PostgreSQL before 16 has no hex integer literals.
const LOCK_KEY = '8102370872878497793';

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies every committed migration not yet in the ledger, each in its own transaction,
 * under a PostgreSQL advisory lock so replicas starting together apply each one once.
 * A migration that was edited after it was applied, or one that failed before, stops
 * start-up with a message saying what to do.
 */
export async function applyMigrations(sql: SqlRunner, migrations: Migration[] = readMigrations()): Promise<MigrationReport> {
  await sql.exec(LEDGER);
  await sql.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    const rows = await sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const done = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const row = done.get(m.name);
      if (row?.finished_at) {
        if (row.checksum !== m.checksum) {
          throw new Error(
            `migration ${m.name} was edited after it was applied (checksum differs). ` +
              'Restore its migration.sql and put the change in a new migration (docs/migrations.md).',
          );
        }
        continue;
      }
      if (row) {
        throw new Error(
          `migration ${m.name} failed earlier and left the database half-way. Fix the database by hand, then mark it ` +
            `rolled back: UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${m.name}'`,
        );
      }
      const id = randomUUID();
      await sql.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, m.checksum, m.name],
      );
      try {
        await sql.exec(`BEGIN;\n${m.sql}\nCOMMIT;`);
      } catch (error) {
        await sql.exec('ROLLBACK').catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        await sql.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]);
        throw new Error(`migration ${m.name} failed: ${message}`);
      }
      await sql.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
      applied.push(m.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await sql.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  }
}

/** Names of committed migrations missing from the ledger (for the health check). */
export async function pendingMigrations(sql: SqlRunner, migrations: Migration[] = readMigrations()): Promise<string[]> {
  const exists = await sql.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists[0]?.t) return migrations.map((m) => m.name);
  const rows = await sql.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
