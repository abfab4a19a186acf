import { currentSigningRefusal } from '../audit/history-alarm';
import { signerState, signerStateFile } from '../audit/signer-state';
import { witnessStatus } from '../audit/witness-checkpoint';
import { assertPermission, type SessionUser } from '../auth/permission';
import { db } from '../db';

/**
 * Whether this replica's audit signer is signing, and why not: its own refusal (in memory), or
 * the open "Audit history rewritten" alert (raised by any replica); the size it signed last,
 * kept outside the database; and what the configured witness last did.
 */
export async function getAuditSigningStatus(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const refusal = currentSigningRefusal();
  const alert = await db.alert.findUnique({ where: { dedupKey: 'audit_history_rewritten' }, select: { id: true, status: true, title: true, lastSeenAt: true, count: true } });
  const state = signerState();
  return {
    refusal,
    alert: alert && alert.status !== 'resolved' ? alert : undefined,
    stateFile: signerStateFile(),
    signedSize: state.status === 'ok' ? state.head?.size : undefined,
    stateUnreadable: state.status === 'unreadable',
    witness: witnessStatus(),
  };
}
