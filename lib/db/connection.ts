import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';

/** Raw SQL access for the migration runner and health checks (Prisma stays the way in for data). */
export interface SqlRunner {
  /** Runs a script of one or more statements. */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** One open database: the Prisma driver adapter and a raw runner over the same connection. */
export interface Connection {
  kind: 'pglite' | 'postgres';
  /** Where it is, without credentials: a folder or host/database. */
  location: string;
  adapter: SqlDriverAdapterFactory;
  sql: SqlRunner;
  /** Runs `fn` on one physical connection (session-level locks need that on a pool). */
  session<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  /** A postgresql:// URL; when absent the embedded database (PGlite) in `dataDir` is used. */
  databaseUrl?: string;
  dataDir: string;
  /** Open an in-memory embedded database instead of a folder (tests). */
  memory?: boolean;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database in a folder. */
export function openConnection(options: ConnectionOptions): Connection {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.memory ? undefined : resolve(options.dataDir, 'pglite'));
}

function openPglite(folder: string | undefined): Connection {
  if (folder) mkdirSync(folder, { recursive: true });
  // PGlite queues queries until its WebAssembly Postgres is ready, so opening is synchronous.
  const client = new PGlite(folder);
  const sql: SqlRunner = {
    exec: async (text) => {
      await client.exec(text);
    },
    query: async (text, params) => (await client.query(text, params)).rows as never,
  };
  return {
    kind: 'pglite',
    location: folder ?? 'memory',
    adapter: new PrismaPGlite(client),
    sql,
    session: (fn) => fn(sql),
    close: () => client.close(),
  };
}

function openPostgres(url: string): Connection {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client whose server connection drops (a restart, a failover) emits 'error' on the
  // pool; unhandled, that would end the process. The pool replaces the client on next use.
  pool.on('error', (error) => console.error(`pqgate: database connection lost (${error.message}); reconnecting on next use`));
  const parsed = new URL(url);
  return {
    kind: 'postgres',
    location: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    adapter: new PrismaPg(pool),
    sql: runnerOver(pool),
    session: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn(runnerOver(client));
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function runnerOver(target: pg.Pool | pg.PoolClient): SqlRunner {
  return {
    exec: async (text) => {
      await target.query(text);
    },
    query: async (text, params) => (await target.query(text, params as unknown[])).rows,
  };
}
