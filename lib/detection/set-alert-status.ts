import type { SessionUser } from '../auth/permission';
import { db } from '../db';
import { AppError } from '../errors';

/**
 * Moves an alert to `acknowledged` (someone is on it) or `resolved` (handled; it reopens if it
 * fires again), recording who did it.
 */
export async function setAlertStatus(alertId: string, status: 'acknowledged' | 'resolved', actor: SessionUser) {
  const alert = await db.alert.findUnique({ where: { id: alertId }, select: { id: true, status: true, kind: true, title: true } });
  if (!alert) throw new AppError('not_found', 'That alert no longer exists; reload the Alerts page.');
  if (alert.status === 'resolved' && status === 'acknowledged') throw new AppError('conflict', 'That alert is already resolved.');
  return db.alert.update({
    where: { id: alertId },
    data: status === 'acknowledged' ? { status, acknowledgedById: actor.id } : { status, resolvedById: actor.id },
    select: { id: true, kind: true, title: true, status: true },
  });
}
