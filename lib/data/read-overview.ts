import { SUITES } from '@/gateway/crypto/suites';
import { suiteStrength } from '@/gateway/detection';
import type { SessionUser } from '../auth/current-user';
import { assertPermission } from '../auth/current-user';
import { db } from '../db';

const CLASSICAL_SUITES = ['classical-bearer', ...SUITES.filter((s) => !s.quantumSafe).map((s) => s.name)];
/** A key is "near its maximum age" in the last fifth of its life. */
const NEAR_MAX_AGE = 0.8;
const DAY_MS = 86_400_000;

export interface OverviewHour {
  hour: string;
  postQuantum: number;
  classical: number;
  refused: number;
  alerts: number;
}

/** The posture figures on the Overview page, each from the table it summarises, and the last 24 h by hour. */
export async function readOverview(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const since = new Date(Date.now() - 24 * 3_600_000);
  const [upstreams, tools, heldTools, identities, openAlerts, pendingRotations, classicalSessions, callsBySuite, activeKeys, callHours, alertHours] = await Promise.all([
    db.upstream.count(),
    db.tool.count({ where: { status: { not: 'removed' } } }),
    db.tool.count({ where: { status: 'held' } }),
    db.identity.count({ where: { status: { not: 'revoked' } } }),
    db.alert.count({ where: { status: { not: 'resolved' } } }),
    db.rotationRequest.count({ where: { status: 'pending' } }),
    db.identity.count({ where: { status: 'active', lastSuite: { in: CLASSICAL_SUITES } } }),
    db.discoveryEdge.groupBy({ by: ['suite'], _sum: { calls: true, refused: true } }),
    db.key.findMany({ where: { state: 'active' }, select: { createdAt: true, activatedAt: true, maxAgeDays: true } }),
    db.$queryRaw<{ hour: Date; suite: string | null; decision: string | null; n: number }[]>`
      SELECT date_trunc('hour', "time") AS hour, "suite", "decision", count(*)::int AS n
      FROM "AuditEvent" WHERE "time" >= ${since} AND "action" = 'gateway.tools/call'
      GROUP BY 1, 2, 3`,
    db.$queryRaw<{ hour: Date; n: number }[]>`
      SELECT date_trunc('hour', "firstSeenAt") AS hour, count(*)::int AS n FROM "Alert" WHERE "firstSeenAt" >= ${since} GROUP BY 1`,
  ]);

  const now = Date.now();
  let overdueKeys = 0;
  let keysNearMaxAge = 0;
  for (const k of activeKeys) {
    const age = (now - (k.activatedAt ?? k.createdAt).getTime()) / DAY_MS;
    if (age >= k.maxAgeDays) overdueKeys += 1;
    else if (age >= k.maxAgeDays * NEAR_MAX_AGE) keysNearMaxAge += 1;
  }

  const suites = callsBySuite.map((row) => ({ suite: row.suite, strength: suiteStrength(row.suite), calls: row._sum.calls ?? 0, refused: row._sum.refused ?? 0 }));
  const totalCalls = suites.reduce((sum, s) => sum + s.calls, 0);
  const pqCalls = suites.reduce((sum, s) => sum + (s.strength === 'classical' ? 0 : s.calls), 0);

  const hours = new Map<string, OverviewHour>();
  for (let t = Math.floor(since.getTime() / 3_600_000) + 1; t <= Math.floor(now / 3_600_000); t++) {
    const hour = new Date(t * 3_600_000).toISOString();
    hours.set(hour, { hour, postQuantum: 0, classical: 0, refused: 0, alerts: 0 });
  }
  for (const r of callHours) {
    const h = hours.get(new Date(r.hour).toISOString());
    if (!h) continue;
    if (r.decision === 'deny') h.refused += r.n;
    else if (suiteStrength(r.suite ?? '') === 'classical') h.classical += r.n;
    else h.postQuantum += r.n;
  }
  for (const r of alertHours) {
    const h = hours.get(new Date(r.hour).toISOString());
    if (h) h.alerts += r.n;
  }

  return {
    upstreams,
    tools,
    heldTools,
    identities,
    openAlerts,
    pendingRotations,
    overdueKeys,
    keysNearMaxAge,
    classicalSessions,
    totalCalls,
    pqShare: totalCalls ? pqCalls / totalCalls : null,
    refusedCalls: suites.reduce((sum, s) => sum + s.refused, 0),
    callsBySuite: suites,
    hours: [...hours.values()],
  };
}
