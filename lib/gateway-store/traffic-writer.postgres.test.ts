import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestDatabase } from '../db/postgres-test-database';
import { clinicCall, seedClinic } from './traffic-test-data';

// The traffic writer thread on PostgreSQL (when PQGATE_TEST_DATABASE_URL is set): batches written
// by the worker's own client land like batches written in place, and a worker that cannot run
// hands its batches back to be written in place.
const database = await postgresTestDatabase('pqgate_writer');
const url = database?.url;

describe.skipIf(!url)('traffic writer thread on PostgreSQL', async () => {
  const { closeDatabase, db, ensureMigrated } = await import('../db');
  const { ensureGatewayKeys } = await import('../keys/gateway-keys');
  const { startTrafficWriter } = await import('./traffic-writer');
  let identityId = '';
  let upstreamIds = new Map<string, string>();

  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
    ({ identityId, upstreamIds } = await seedClinic(db));
  });
  afterAll(async () => {
    await closeDatabase();
    await database?.drop();
  });

  it('writes batches from its own thread: discovery edges, last use and one audit event per decision', async () => {
    const writer = startTrafficWriter();
    const inPlace = () => Promise.reject(new Error('the worker was running: nothing should be written in place'));
    const t = Date.UTC(2026, 10, 25, 12);
    await Promise.all([
      writer.write([clinicCall(identityId, 'read_chart', 'allow', t), clinicCall(identityId, 'read_chart', 'deny', t + 1)], upstreamIds, inPlace),
      writer.write([clinicCall(identityId, 'read_chart', 'allow', t + 2)], upstreamIds, inPlace),
    ]);
    await writer.close();
    const edge = await db.discoveryEdge.findFirstOrThrow({ where: { subject: identityId, toolName: 'read_chart' }, select: { calls: true, allowed: true, refused: true } });
    expect(edge).toEqual({ calls: 3, allowed: 2, refused: 1 });
    expect((await db.identity.findUniqueOrThrow({ where: { id: identityId }, select: { lastSuite: true } })).lastSuite).toBe('hybrid-xwing-mldsa65');
    // Two batches in flight at once take the log's lock in either order; each lands whole.
    const audit = await db.auditEvent.findMany({ where: { action: 'gateway.tools/call' }, orderBy: { seq: 'asc' }, select: { decision: true, requestId: true } });
    expect(audit.map((a) => a.requestId).sort()).toEqual([`r-${t}`, `r-${t + 1}`, `r-${t + 2}`]);
    expect(audit.map((a) => a.decision).sort()).toEqual(['allow', 'allow', 'deny']);
    const first = audit.findIndex((a) => a.requestId === `r-${t}`);
    expect(audit[first + 1]?.requestId).toBe(`r-${t + 1}`);
  });

  it('writes a batch in place, and says so, when its thread cannot run', async () => {
    const said: string[] = [];
    const writer = startTrafficWriter({ thread: new URL('./no-such-thread.ts', import.meta.url), onError: (m) => said.push(m) });
    let inPlace = 0;
    await writer.write([clinicCall(identityId, 'ping', 'allow', Date.now())], upstreamIds, async () => void inPlace++);
    expect(inPlace).toBe(1);
    expect(said.join('\n')).toMatch(/pqgate traffic writer: worker (failed|exited).*writing 1 batch\(es\) and the next minute's batches on the main thread/);
    // The next batch is written in place at once, without starting (and losing) another worker.
    said.length = 0;
    await writer.write([clinicCall(identityId, 'ping', 'allow', Date.now())], upstreamIds, async () => void inPlace++);
    expect(inPlace).toBe(2);
    expect(said).toEqual([]);
    await writer.close();
  });
});
