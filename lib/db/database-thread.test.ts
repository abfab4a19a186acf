import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicCall, seedClinic } from '../gateway-store/traffic-test-data';

// The embedded database on its own thread, as server.ts runs it: the console's Prisma client
// reaches PGlite in the worker through the forwarding driver adapter, and the worker writes the
// gateway's traffic batches itself.
const dir = mkdtempSync(join(tmpdir(), 'pqgate-db-thread-'));
delete process.env.DATABASE_URL;
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');

const { ensureLocalSecrets } = await import('../local-secrets');
ensureLocalSecrets(process.env);
const { startDatabaseThread } = await import('./database-thread');
const { connectionHolder } = await import('./connection-holder');
const thread = startDatabaseThread({ onError: () => undefined });
connectionHolder.__pqgateDbConnection = thread.connection;
const { closeDatabase, db, dbConnection, ensureMigrated } = await import('.');
const { ensureGatewayKeys } = await import('../keys/gateway-keys');

describe('the embedded database on its own thread', () => {
  let identityId = '';
  let upstreamIds = new Map<string, string>();

  beforeAll(async () => {
    const report = await ensureMigrated();
    expect(report.applied.length).toBeGreaterThan(0);
    await ensureGatewayKeys();
    ({ identityId, upstreamIds } = await seedClinic(db));
  });
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the folder under PQGATE_DATA_DIR, opened by the worker', () => {
    expect(dbConnection().kind).toBe('pglite');
    expect(dbConnection().location).toBe(join(dir, 'pglite'));
  });

  it('answers Prisma queries and raw SQL from this thread', async () => {
    expect(await db.identity.findUniqueOrThrow({ where: { id: identityId }, select: { name: true } })).toEqual({ name: 'ehr-agent' });
    expect(await dbConnection().sql.query<{ n: number }>('select 1 + 1 as n')).toEqual([{ n: 2 }]);
  });

  it('keeps Prisma\'s error codes: a duplicate is P2002', async () => {
    await expect(db.upstream.create({ data: { slug: 'clinic', name: 'Again', transport: 'http', url: 'http://127.0.0.1:1/mcp', labels: [] } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('runs interactive transactions: committed whole, or rolled back whole', async () => {
    await db.$transaction(async (tx) => {
      await tx.identity.create({ data: { name: 'tx-a', owner: 'clinic' } });
      await tx.identity.create({ data: { name: 'tx-b', owner: 'clinic' } });
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.identity.create({ data: { name: 'tx-c', owner: 'clinic' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const names = (await db.identity.findMany({ where: { name: { startsWith: 'tx-' } }, select: { name: true }, orderBy: { name: 'asc' } })).map((i) => i.name);
    expect(names).toEqual(['tx-a', 'tx-b']);
  });

  it('writes traffic batches in the worker: edges and one audit event per decision', async () => {
    const t = Date.UTC(2026, 10, 25, 12);
    const inPlace = () => Promise.reject(new Error('nothing is written in place'));
    await Promise.all([thread.write([clinicCall(identityId, 'read_chart', 'allow', t), clinicCall(identityId, 'read_chart', 'deny', t + 1)], upstreamIds, inPlace), thread.write([clinicCall(identityId, 'read_chart', 'allow', t + 2)], upstreamIds, inPlace)]);
    expect(await db.discoveryEdge.findFirstOrThrow({ where: { subject: identityId, toolName: 'read_chart' }, select: { calls: true, allowed: true, refused: true } })).toEqual({ calls: 3, allowed: 2, refused: 1 });
    const audit = await db.auditEvent.findMany({ where: { action: 'gateway.tools/call' }, select: { requestId: true } });
    expect(audit.map((a) => a.requestId).sort()).toEqual([`r-${t}`, `r-${t + 1}`, `r-${t + 2}`]);
  });

  it('survives its worker dying: a new one opens the same folder on the next query', async () => {
    await thread.terminate();
    expect(await db.identity.count({ where: { name: { startsWith: 'tx-' } } })).toBe(2);
  });

  it('fails a query in flight when the worker dies, saying to retry; the next one works', async () => {
    const slow = dbConnection().sql.query('select pg_sleep(2)');
    await new Promise((r) => setTimeout(r, 200));
    await thread.terminate();
    await expect(slow).rejects.toThrow(/database thread stopped .*retry it/);
    expect(await db.identity.count()).toBeGreaterThan(0);
  });
});

describe('a database thread whose folder cannot be opened', () => {
  it('says so, naming the cause, instead of hanging', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pqgate-db-thread-bad-')), 'not-a-folder');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'x');
    const before = process.env.PQGATE_DATA_DIR;
    process.env.PQGATE_DATA_DIR = file;
    try {
      const bad = startDatabaseThread({ onError: () => undefined });
      await expect(bad.connection.sql.query('select 1')).rejects.toThrow(/embedded database could not be opened: .*(EEXIST|ENOTDIR)/);
    } finally {
      process.env.PQGATE_DATA_DIR = before;
      rmSync(join(file, '..'), { recursive: true, force: true });
    }
  });
});
