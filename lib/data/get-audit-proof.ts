import { toBase64 } from '@/gateway/audit';
import { auditTree } from '../audit/audit-tree';
import { checkpointAuditLog } from '../audit/checkpoint-audit-log';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { AppError } from '../errors';
import type { AuditProofQuery } from '../validations/audit';

/**
 * An RFC 9162 proof from the stored leaf hashes: inclusion of event `seq` in the tree of `size`
 * (default: the newest checkpoint), or consistency between two checkpoint sizes. Auditors check
 * them against checkpoints they hold; hashes are standard base64 as in bundles.
 */
export async function getAuditProof(actor: SessionUser, query: AuditProofQuery) {
  assertPermission(actor, 'audit:export');
  const latest = await checkpointAuditLog(db);
  const newest = latest?.size ?? 0;
  if ('seq' in query) {
    const size = query.size ?? newest;
    if (query.seq >= size || size > newest) throw new AppError('invalid_input', `Ask for an event below the tree size, and a size up to the newest checkpoint (${newest}).`);
    const tree = await auditTree(db, size);
    return { kind: 'inclusion' as const, seq: query.seq, treeSize: size, hashes: tree.inclusionProof(query.seq, size).map(toBase64) };
  }
  if (query.from < 1 || query.from > query.to || query.to > newest) throw new AppError('invalid_input', `Ask for 0 < from ≤ to ≤ ${newest} (the newest checkpoint's size).`);
  const tree = await auditTree(db, query.to);
  return { kind: 'consistency' as const, size1: query.from, size2: query.to, hashes: tree.consistencyProof(query.from, query.to).map(toBase64) };
}
