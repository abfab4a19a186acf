import { auditBundleStream } from '../audit/audit-bundle';
import { appendAuditEvent } from '../audit/append-audit-event';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/**
 * The auditor's bundle (docs/audit.md) as a stream of JSON: every event up to a checkpoint
 * signed for the export, every checkpoint, the gateway's verifier keys and consistency proofs.
 * The export is itself an audit event (it comes before the checkpoint, so it is in the bundle).
 */
export async function exportAuditBundle(actor: SessionUser): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  assertPermission(actor, 'audit:export');
  const now = new Date();
  await appendAuditEvent({ actorType: 'user', actorId: actor.id, action: 'audit.export', targetType: 'audit_log', decision: 'ok' });
  return { filename: `pqgate-audit-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`, stream: auditBundleStream(db, now) };
}
