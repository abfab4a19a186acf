import { requireUser } from '@/lib/auth/current-user';
import { readAlertsVersion } from '@/lib/data/read-alerts-version';
import { errorResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** What the Alerts page's live refresh polls: a token that changes when the alerts do. */
export async function GET() {
  try {
    const user = await requireUser('console:read');
    return Response.json({ version: await readAlertsVersion(user) }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
