import { auditLogContext } from '../audit/audit-log-state';
import { pseudonymsOf } from '../audit/pseudonymize';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { AuditFilter } from '../validations/audit';

export const AUDIT_PAGE_SIZE = 50;

/**
 * A page of the audit log, newest first, filtered by actor, action, decision and time range;
 * `before` is the sequence number to continue below. The actor matches an actor id, the user
 * with that email, or the pseudonym of an IP or email address (as sign-in failures log them).
 * Each filter column has an index ending in `seq`, so a page reads ~50 index entries.
 */
export async function listAuditEvents(actor: SessionUser, filter: Partial<AuditFilter> = {}) {
  assertPermission(actor, 'console:read');
  const where: Prisma.AuditEventWhereInput = {};
  if (filter.before !== undefined) where.seq = { lt: BigInt(filter.before) };
  if (filter.action) where.action = filter.action;
  if (filter.decision) where.decision = filter.decision;
  if (filter.from || filter.to) where.time = { ...(filter.from && { gte: filter.from }), ...(filter.to && { lte: filter.to }) };
  if (filter.actor) {
    const { salt } = await auditLogContext(db);
    const user = filter.actor.includes('@') ? await db.user.findUnique({ where: { email: filter.actor.toLowerCase() }, select: { id: true } }) : null;
    where.actorId = { in: [filter.actor, ...(user ? [user.id] : []), ...pseudonymsOf(filter.actor, salt)] };
  }
  const events = await db.auditEvent.findMany({
    where,
    orderBy: { seq: 'desc' },
    take: AUDIT_PAGE_SIZE + 1,
    select: { seq: true, time: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true, decision: true, suite: true },
  });
  const hasMore = events.length > AUDIT_PAGE_SIZE;
  const page = events.slice(0, AUDIT_PAGE_SIZE);
  // Show users by email: one query for the page's user actors.
  const userIds = [...new Set(page.filter((e) => e.actorType === 'user').map((e) => e.actorId))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return { events: page.map((e) => ({ ...e, actorEmail: emails.get(e.actorId) })), hasMore };
}
