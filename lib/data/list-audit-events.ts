import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

export const AUDIT_PAGE_SIZE = 50;

/** A page of the audit log, newest first; `before` is the sequence number to continue below. */
export async function listAuditEvents(actor: SessionUser, before?: bigint) {
  assertPermission(actor, 'console:read');
  const events = await db.auditEvent.findMany({
    where: before ? { seq: { lt: before } } : undefined,
    orderBy: { seq: 'desc' },
    take: AUDIT_PAGE_SIZE + 1,
    select: { seq: true, time: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true, decision: true, suite: true },
  });
  const hasMore = events.length > AUDIT_PAGE_SIZE;
  return { events: events.slice(0, AUDIT_PAGE_SIZE), hasMore };
}
