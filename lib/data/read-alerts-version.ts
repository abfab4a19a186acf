import { createHash } from 'node:crypto';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/**
 * A short token that changes whenever an alert is raised, recurs or changes status: the Alerts
 * page polls it (one indexed aggregate, a few bytes on the wire) and re-renders only when it
 * moves, instead of rendering the whole page on every tick.
 */
export async function readAlertsVersion(actor: SessionUser): Promise<string> {
  assertPermission(actor, 'console:read');
  const groups = await db.alert.groupBy({ by: ['status'], orderBy: { status: 'asc' }, _count: { _all: true }, _sum: { count: true }, _max: { lastSeenAt: true } });
  const summary = groups.map((g) => `${g.status}:${g._count._all}:${g._sum.count ?? 0}:${g._max.lastSeenAt?.getTime() ?? 0}`).join('|');
  return createHash('sha256').update(summary).digest('base64url').slice(0, 16);
}
