import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

export async function listAlerts(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  return db.alert.findMany({
    orderBy: [{ status: 'asc' }, { lastSeenAt: 'desc' }],
    take: 200,
    select: { id: true, kind: true, severity: true, title: true, status: true, count: true, firstSeenAt: true, lastSeenAt: true, source: true },
  });
}
