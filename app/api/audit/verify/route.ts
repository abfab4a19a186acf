import { requireUser } from '@/lib/auth/current-user';
import { verifyAuditLog } from '@/lib/data/verify-audit-log';
import { errorResponse } from '@/lib/errors';

/**
 * "Verify now": recomputes the audit tree from the stored events and checks every checkpoint.
 * A route rather than a server action: it changes nothing (bar its own audit event), and
 * auditors, who may run no console mutation, must be able to run it.
 */
export async function POST() {
  try {
    const user = await requireUser('console:read');
    return Response.json(await verifyAuditLog(user), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
