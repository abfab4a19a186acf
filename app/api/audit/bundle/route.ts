import { requireUser } from '@/lib/auth/current-user';
import { exportAuditBundle } from '@/lib/data/export-audit-bundle';
import { errorResponse } from '@/lib/errors';

/** Downloads the auditor's bundle (docs/audit.md), streamed. Admins and auditors (`audit:export`). */
export async function GET() {
  try {
    const user = await requireUser('audit:export');
    const { filename, stream } = await exportAuditBundle(user);
    return new Response(stream, {
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
