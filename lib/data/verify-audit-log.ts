import { appendAuditEvent } from '../audit/append-audit-event';
import { verifyAuditLog as verifyStoredLog, type AuditLogVerification } from '../audit/verify-audit-log';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** "Verify now": recomputes the tree from the stored events and checks every checkpoint; the check is audited. */
export async function verifyAuditLog(actor: SessionUser): Promise<AuditLogVerification> {
  assertPermission(actor, 'console:read');
  const result = await verifyStoredLog(db);
  await appendAuditEvent({
    actorType: 'user',
    actorId: actor.id,
    action: 'audit.verify',
    targetType: 'audit_log',
    decision: result.valid ? 'ok' : 'error',
    details: { events: result.eventCount, checkpoints: result.checkpointCount, ...(result.firstBad && { firstBad: { kind: result.firstBad.kind, seq: result.firstBad.seq ?? null } }) },
  });
  return result;
}
