import { formatVerifierKey } from '@/gateway/audit';
import { auditLogContext } from '../audit/audit-log-state';
import { auditVerifierKeys } from '../audit/audit-signer';
import { db } from '../db';

/**
 * The keys that sign audit checkpoints, as C2SP verifier keys (active first). Public on
 * purpose and taking no user: an auditor pins them from a channel apart from the bundle.
 */
export async function getAuditVerifierKeys(): Promise<{ origin: string; keys: string[] }> {
  const { origin } = await auditLogContext(db);
  return { origin, keys: (await auditVerifierKeys(origin)).map(formatVerifierKey) };
}
