/**
 * One bad value never erases other events (docs/security.md): the same assertions on the
 * embedded database and on PostgreSQL (hostile-traffic.{pglite,postgres}.test.ts). Each file
 * points lib/db at a fresh database before importing this.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { db, dbConnection, ensureMigrated } from '../db';
import { ensureGatewayKeys } from '../keys/gateway-keys';
import { recordTraffic } from './record-traffic';
import { clinicCall, seedClinic } from './traffic-test-data';

export function hostileTrafficSuite(): void {
  let upstreamIds = new Map<string, string>();
  let identities: string[] = [];
  let t = Date.UTC(2026, 10, 25, 12);

  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
    const seeded = await seedClinic(db);
    upstreamIds = seeded.upstreamIds;
    const more = await Promise.all(['billing-agent', 'triage-agent'].map((name) => db.identity.create({ data: { name, owner: 'clinic' }, select: { id: true } })));
    identities = [seeded.identityId, ...more.map((m) => m.id)];
    // Stands in for a refusal nobody foresaw: the database rejects one event's audit row.
    await dbConnection().sql.exec(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."requestId" = 'poison' AND NEW.action <> 'gateway.traffic_unstored' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
  });

  /** 20 good calls from each of the three identities, with one `bad` event in the middle. */
  function batchAround(bad: TrafficEvent): TrafficEvent[] {
    const good = identities.flatMap((id) => Array.from({ length: 20 }, (_, i) => clinicCall(id, i % 2 ? 'read_chart' : 'list_patients', i % 5 ? 'allow' : 'deny', t++)));
    return [...good.slice(0, 30), bad, ...good.slice(30)];
  }

  async function storedIds(batch: readonly TrafficEvent[]): Promise<Set<string>> {
    const rows = await db.auditEvent.findMany({ where: { requestId: { in: batch.map((e) => e.requestId) } }, select: { requestId: true } });
    return new Set(rows.map((r) => r.requestId!));
  }

  const hostile: [string, (e: TrafficEvent) => TrafficEvent][] = [
    ['U+0000 in the tool name', (e) => ({ ...e, tool: 'read\u0000chart' })],
    ['a lone surrogate in the tool name', (e) => ({ ...e, tool: 'read_\uD800chart' })],
    ['a 1 MiB tool name', (e) => ({ ...e, tool: 'x'.repeat(1 << 20) })],
    ['U+0000 and a lone surrogate in the upstream error (jsonb)', (e) => ({ ...e, upstreamError: 'boom\u0000\uDC00' })],
    ['a lone surrogate in the identity', (e) => ({ ...e, identityId: '\uDBFFagent' })],
  ];

  for (const [what, make] of hostile) {
    it(`stores every good event of a batch with ${what}, and the hostile one visibly altered`, async () => {
      const bad = make(clinicCall(identities[0]!, 'read_chart', 'allow', t++));
      const batch = batchAround(bad);
      await recordTraffic(batch, upstreamIds);
      expect((await storedIds(batch)).size).toBe(batch.length);
      const row = await db.auditEvent.findFirstOrThrow({ where: { requestId: bad.requestId }, select: { targetId: true, actorId: true, details: true } });
      const details = row.details as { sanitized?: string[]; upstreamError?: string; at?: number };
      expect(details.sanitized?.length).toBeGreaterThan(0);
      expect(details.at).toBe(bad.time);
      const text = `${row.targetId} ${row.actorId} ${details.upstreamError ?? ''}`;
      expect(text).not.toMatch(/\u0000/);
      expect(text).toMatch(/\uFFFD|…\[\+\d+ chars\]/);
    });
  }

  it('counts the good calls in the discovery edges of a batch with a hostile event', async () => {
    const before = await db.discoveryEdge.findFirst({ where: { subject: identities[1]!, toolName: 'read_chart' }, select: { calls: true } });
    await recordTraffic(batchAround({ ...clinicCall(identities[0]!, 'read_chart', 'allow', t++), tool: 'a\u0000b' }), upstreamIds);
    const after = await db.discoveryEdge.findFirstOrThrow({ where: { subject: identities[1]!, toolName: 'read_chart' }, select: { calls: true } });
    expect(after.calls - (before?.calls ?? 0)).toBe(10);
  });

  it('writes an event the database refuses alone, and accounts for it: logged, audited and alerted', async () => {
    const bad = { ...clinicCall(identities[2]!, 'read_chart', 'allow', t++), requestId: 'poison' };
    const batch = batchAround(bad);
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      await recordTraffic(batch, upstreamIds);
    } finally {
      spy.mockRestore();
    }
    const ids = await storedIds(batch);
    expect(batch.filter((e) => e !== bad).every((e) => ids.has(e.requestId))).toBe(true);
    const accounted = await db.auditEvent.findMany({ where: { requestId: 'poison' }, select: { action: true, targetId: true, decision: true, details: true } });
    expect(accounted).toHaveLength(1);
    expect(accounted[0]).toMatchObject({ action: 'gateway.traffic_unstored', targetId: 'clinic/read_chart', decision: 'error', details: { identityId: identities[2], why: expect.stringMatching(/refused by the test trigger/) } });
    const alert = await db.alert.findUniqueOrThrow({ where: { dedupKey: 'traffic_unstored:clinic' }, select: { kind: true, count: true, status: true } });
    expect(alert).toEqual({ kind: 'traffic_unstored', count: 1, status: 'open' });
    const line = logged.map((l) => l).find((l) => l.includes('event not stored'));
    expect(JSON.parse(line!)).toMatchObject({ identityId: identities[2], upstream: 'clinic', tool: 'read_chart', requestId: 'poison', why: expect.stringMatching(/refused by the test trigger/) });
  });

  it('stores each event once when a batch is written again (a retry or a journal replay)', async () => {
    const batch = batchAround(clinicCall(identities[1]!, 'read_chart', 'allow', t++));
    await recordTraffic(batch.slice(0, 20), upstreamIds);
    await recordTraffic(batch, upstreamIds);
    await recordTraffic(batch, upstreamIds);
    const rows = await db.auditEvent.findMany({ where: { requestId: { in: batch.map((e) => e.requestId) } }, select: { requestId: true } });
    expect(rows).toHaveLength(batch.length);
  });
}
