import { auditEventLeafHash, exportedEventFields, openCheckpoint, toBase64, verifyInclusion } from '@/gateway/audit';
import { equalBytes } from '@/gateway/crypto';
import { HASHED_COLUMNS } from '../audit/audit-bundle';
import { auditLogContext } from '../audit/audit-log-state';
import { auditVerifierKeys } from '../audit/audit-signer';
import { auditTree } from '../audit/audit-tree';
import { checkpointAuditLog } from '../audit/checkpoint-audit-log';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { AppError } from '../errors';

/**
 * One audit event with its inclusion proof in the newest checkpoint, checked here: the event's
 * fields are rehashed, the checkpoint's signature is verified with the gateway's key, and the
 * proof must lead from the rehashed leaf to the signed root.
 */
export async function getAuditEvent(actor: SessionUser, seq: number) {
  assertPermission(actor, 'console:read');
  const row = await db.auditEvent.findUnique({ where: { seq: BigInt(seq) }, select: { seq: true, leafHash: true, ...HASHED_COLUMNS } });
  if (!row) throw new AppError('not_found', `There is no audit event #${seq}. Pick one from the Audit page.`);
  const { seq: _seq, leafHash, ...fields } = row;
  const recomputed = auditEventLeafHash(exportedEventFields(fields));
  const { origin } = await auditLogContext(db);
  const latest = await checkpointAuditLog(db);
  const base = { event: { ...fields, seq: Number(row.seq) }, leafHash: toBase64(leafHash), leafHashMatches: equalBytes(recomputed, leafHash) };
  if (!latest || latest.size <= seq) return { ...base, proof: undefined, problem: 'No checkpoint covers this event yet.' };
  let root: Uint8Array;
  let signedBy: string;
  try {
    const opened = openCheckpoint(latest.note, await auditVerifierKeys(origin), { origin });
    root = opened.checkpoint.rootHash;
    signedBy = opened.verifiedBy.map((k) => `${k.name}+${k.keyId.toString(16).padStart(8, '0')}`).join(', ');
  } catch (e) {
    return { ...base, proof: undefined, problem: `The newest checkpoint does not verify with the gateway's keys: ${(e as Error).message}` };
  }
  let hashes: Uint8Array[] = [];
  try {
    hashes = (await auditTree(db, latest.size)).inclusionProof(seq, latest.size);
  } catch {
    // Stored events are missing: the proof cannot be built, and verification fails below.
  }
  const verified = hashes.length > 0 || latest.size === 1 ? verifyInclusion(recomputed, seq, latest.size, hashes, root) : false;
  return { ...base, proof: { treeSize: latest.size, rootHash: toBase64(root), signedBy, checkpoint: latest.note, hashes: hashes.map(toBase64), verified }, problem: undefined };
}
