import { env } from '../env';
import { PrismaClient } from '../generated/prisma/client';
import { openConnection, type Connection } from './connection';
import { connectionHolder } from './connection-holder';
import { applyMigrations, type MigrationReport } from './migrate';

export type { PrismaClient } from '../generated/prisma/client';

interface Database {
  connection: Connection;
  prisma: PrismaClient;
  ready?: Promise<MigrationReport>;
}

// One database per process. Kept on globalThis because Next.js bundles instrumentation,
// route handlers and pages separately, and hot reload re-evaluates modules: a module-level
// singleton would open the embedded database twice, which PGlite does not allow.
const holder = globalThis as typeof globalThis & { __pqgateDb?: Database };

function open(): Database {
  const e = env();
  // server.ts installs the embedded database's own thread; a DATABASE_URL (from a .env file
  // Next.js loaded after server.ts looked) still wins.
  const installed = e.DATABASE_URL ? undefined : connectionHolder.__pqgateDbConnection;
  const connection = installed ?? openConnection({ databaseUrl: e.DATABASE_URL, dataDir: e.PQGATE_DATA_DIR });
  const prisma = new PrismaClient({ adapter: connection.adapter });
  return { connection, prisma };
}

function database(): Database {
  holder.__pqgateDb ??= open();
  return holder.__pqgateDb;
}

/** The Prisma client: the only way to the database (STYLE.md rule 4: only lib/ imports it). */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  // Opening lazily lets `next build` import pages without touching a database.
  get: (_target, property) => {
    const prisma = database().prisma;
    const value = Reflect.get(prisma, property);
    return typeof value === 'function' ? value.bind(prisma) : value;
  },
});

/** The raw connection, for migrations and health checks. */
export function dbConnection(): Connection {
  return database().connection;
}

/** Applies pending migrations once per process; later callers await the same run. */
export function ensureMigrated(): Promise<MigrationReport> {
  const d = database();
  d.ready ??= d.connection.session((sql) => applyMigrations(sql));
  d.ready.catch(() => {
    d.ready = undefined;
  });
  return d.ready;
}

/** Closes the database (shutdown, tests). */
export async function closeDatabase(): Promise<void> {
  const d = holder.__pqgateDb;
  holder.__pqgateDb = undefined;
  if (!d) return;
  await d.prisma.$disconnect();
  await d.connection.close();
}
