import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { bumpGatewayEpoch } from '../gateway-store/gateway-epoch';
import { AppError } from '../errors';
import { loadKeyToRotate, openRotation, ROTATABLE_PURPOSES } from './open-rotation';
import { keyExpiresAt } from './rotation-settings';

/**
 * One pass of the key schedule, safe to run on every replica at once:
 * 1. retiring keys whose overlap window has ended become retired, and their secrets are
 *    erased (each row changes once: the update is conditional on its state);
 * 2. active keys past their maximum age get a `schedule` rotation request (at most one per
 *    key: its dedupe key is unique).
 * Returns what it did, for the audit log and tests.
 */
export async function runKeyMaintenance(now = new Date()): Promise<{ retired: string[]; requested: string[] }> {
  const retired: string[] = [];
  const due = await db.key.findMany({ where: { state: 'retiring', retireAt: { lte: now } }, select: { id: true, purpose: true, version: true, fingerprint: true } });
  for (const key of due) {
    const changed = await db.key.updateMany({ where: { id: key.id, state: 'retiring' }, data: { state: 'retired', retiredAt: now, secretSealed: null } });
    if (changed.count !== 1) continue; // another replica retired it
    retired.push(key.id);
    await appendAuditEvent({ actorType: 'system', actorId: 'key-schedule', action: 'keys.retire', targetType: 'key', targetId: key.id, decision: 'ok', details: { purpose: key.purpose, version: key.version, fingerprint: key.fingerprint } });
  }
  // Identity keys leave the gateway's snapshot, signing keys its trust set, at once.
  if (retired.length) await bumpGatewayEpoch();

  const requested: string[] = [];
  const active = await db.key.findMany({
    where: { state: 'active', purpose: { in: [...ROTATABLE_PURPOSES] }, rotationsOld: { none: { status: 'pending' } } },
    select: { id: true, createdAt: true, activatedAt: true, maxAgeDays: true },
  });
  for (const key of active) {
    if (keyExpiresAt(key) > now) continue;
    try {
      const old = await loadKeyToRotate({ id: key.id });
      const request = await openRotation({ old, source: 'schedule', reason: `past its maximum age of ${old.maxAgeDays} days`, dedupeKey: `schedule:${old.id}` });
      requested.push(request.id);
      await appendAuditEvent({ actorType: 'system', actorId: 'key-schedule', action: 'rotations.request', targetType: 'rotation', targetId: request.id, decision: 'ok', details: { source: 'schedule', keyId: old.id, newFingerprint: request.newFingerprint } });
    } catch (error) {
      // Already requested (by another replica, or rejected once: an admin then requests it by hand).
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  return { retired, requested };
}
