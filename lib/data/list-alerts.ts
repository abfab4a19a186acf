import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { alertActor } from '../detection/record-alerts';
import type { Prisma } from '../generated/prisma/client';
import type { AlertFilter } from '../validations/alert';

/**
 * Alerts for the Alerts page, open ones first, newest first, with what each links to: the
 * identity or upstream on the discovery map, and the audit events behind it.
 */
export async function listAlerts(actor: SessionUser, filter: Partial<AlertFilter> = {}, take = 200) {
  assertPermission(actor, 'console:read');
  const where: Prisma.AlertWhereInput = {};
  const status = filter.status ?? 'active';
  if (status === 'active') where.status = { not: 'resolved' };
  else if (status !== 'all') where.status = status;
  if (filter.severity) where.severity = filter.severity;
  if (filter.kind) where.kind = filter.kind;
  if (filter.q) {
    where.OR = [
      { title: { contains: filter.q, mode: 'insensitive' } },
      { source: { contains: filter.q } },
      { identity: { name: { contains: filter.q, mode: 'insensitive' } } },
      { upstream: { slug: { contains: filter.q } } },
    ];
  }
  const rows = await db.alert.findMany({
    where,
    orderBy: [{ status: 'asc' }, { lastSeenAt: 'desc' }],
    take,
    select: {
      id: true, kind: true, severity: true, title: true, status: true, count: true, firstSeenAt: true, lastSeenAt: true, source: true, identityId: true,
      identity: { select: { name: true } },
      upstream: { select: { slug: true } },
    },
  });
  return rows.map((a) => ({
    ...a,
    mapHref: a.identityId ? `/discovery?focus=${encodeURIComponent(`identity:${a.identityId}`)}` : a.upstream ? `/discovery?focus=${encodeURIComponent(`upstream:${a.upstream.slug}`)}` : '/discovery',
    auditHref: `/audit?${new URLSearchParams({ action: `detection.${a.kind}`, actor: alertActor(a) })}`,
  }));
}

export type AlertRow = Awaited<ReturnType<typeof listAlerts>>[number];
