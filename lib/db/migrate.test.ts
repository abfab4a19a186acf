import { afterAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../generated/prisma/client';
import { openConnection, type Connection } from './connection';
import { freshPostgres } from './fresh-postgres';
import { applyMigrations, pendingMigrations, readMigrations } from './migrate';

// Applies the whole committed history to a fresh database of each kind we support, then
// checks that the schema really works through Prisma (arrays, enums, BigInt, Bytes, JSON).

const postgresUrl = process.env.PQGATE_TEST_DATABASE_URL;
const requirePostgres = process.env.PQGATE_REQUIRE_POSTGRES === '1';

if (requirePostgres && !postgresUrl) {
  throw new Error('PQGATE_REQUIRE_POSTGRES=1 but PQGATE_TEST_DATABASE_URL is not set: start PostgreSQL (see .ci/run)');
}

const kinds: { name: string; open: () => Promise<{ conn: Connection; cleanup(): Promise<void> }> }[] = [
  {
    name: 'embedded PGlite',
    open: async () => {
      const conn = openConnection({ dataDir: '', memory: true });
      return { conn, cleanup: () => conn.close() };
    },
  },
];
if (postgresUrl) {
  kinds.push({
    name: 'PostgreSQL',
    open: async () => {
      const fresh = await freshPostgres(postgresUrl);
      const conn = openConnection({ databaseUrl: fresh.url, dataDir: '' });
      return {
        conn,
        cleanup: async () => {
          await conn.close();
          await fresh.drop();
        },
      };
    },
  });
}

describe.each(kinds)('migrations on $name', ({ open }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('applies the whole history once, records it in the Prisma ledger, and the schema works through Prisma', async () => {
    const { conn, cleanup } = await open();
    cleanups.push(cleanup);
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(await pendingMigrations(conn.sql)).toEqual(migrations.map((m) => m.name));

    const first = await conn.session((sql) => applyMigrations(sql));
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const again = await conn.session((sql) => applyMigrations(sql));
    expect(again).toEqual({ applied: [], alreadyApplied: migrations.length });
    expect(await pendingMigrations(conn.sql)).toEqual([]);

    const ledger = await conn.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(ledger.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1]),
    );

    const prisma = new PrismaClient({ adapter: conn.adapter });
    const user = await prisma.user.create({ data: { email: 'a@example.test', name: 'A', passwordHash: 'x', role: 'auditor' } });
    expect(user.role).toBe('auditor');
    const identity = await prisma.identity.create({
      data: { name: 'ehr-agent', owner: 'clinic', labels: ['healthcare', 'pii'], allowedServers: ['clinic-records'] },
    });
    expect((await prisma.identity.findUniqueOrThrow({ where: { id: identity.id } })).labels).toEqual(['healthcare', 'pii']);
    const event = await prisma.auditEvent.create({
      data: { seq: 0n, actorType: 'user', actorId: user.id, action: 'test', details: { n: 1 }, leafHash: new Uint8Array([1, 2, 3]) },
    });
    expect(typeof event.seq).toBe('bigint');
    expect(Array.from(event.leafHash)).toEqual([1, 2, 3]);
    await expect(
      prisma.user.create({ data: { email: 'a@example.test', name: 'B', passwordHash: 'x', role: 'admin' } }),
    ).rejects.toThrow();
    await prisma.$disconnect();
  });

  it('refuses to start when an applied migration was edited, and says what to do', async () => {
    const { conn, cleanup } = await open();
    cleanups.push(cleanup);
    const migrations = readMigrations();
    await conn.session((sql) => applyMigrations(sql, migrations));
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: '0'.repeat(64) } : m));
    await expect(conn.session((sql) => applyMigrations(sql, edited))).rejects.toThrow(/edited after it was applied/);
  });

  it('records a failed migration and refuses to continue past it', async () => {
    const { conn, cleanup } = await open();
    cleanups.push(cleanup);
    const broken = [{ name: '99990101000000_broken', sql: 'CREATE TABLE "ok" (id int); SELECT * FROM no_such_table;', checksum: 'f'.repeat(64) }];
    await expect(conn.session((sql) => applyMigrations(sql, broken))).rejects.toThrow(/migration 99990101000000_broken failed/);
    // The transaction rolled back: the table from the first statement is not there.
    expect((await conn.sql.query<{ t: string | null }>(`SELECT to_regclass('"ok"')::text AS t`))[0]?.t).toBeNull();
    await expect(conn.session((sql) => applyMigrations(sql, broken))).rejects.toThrow(/failed earlier/);
  });
});

describe('schema and migration history', () => {
  it('agree: every change to schema.prisma is carried by a committed migration', async () => {
    const { diffMigrationsToSchema } = await import('../../scripts/schema-engine');
    expect(await diffMigrationsToSchema()).toBe('');
  }, 120_000);
});
