import { getAuditVerifierKeys } from '@/lib/data/get-audit-verifier-keys';
import { errorResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/**
 * The audit checkpoint verifier keys, one C2SP vkey per line, active first: public, so an
 * auditor can pin them apart from any bundle (`pqgate audit verify b.json --key <line or file>`).
 */
export async function GET() {
  try {
    const { keys } = await getAuditVerifierKeys();
    return new Response(`${keys.join('\n')}\n`, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' } });
  } catch (error) {
    return errorResponse(error);
  }
}
