import { requireUser } from '@/lib/auth/current-user';
import { readDiscoveryGraph } from '@/lib/data/read-discovery-graph';
import { errorResponse } from '@/lib/errors';
import { discoveryFilterSchema } from '@/lib/validations/discovery';

export const dynamic = 'force-dynamic';

/** The discovery map's data, polled by the map every second (filters as search parameters). */
export async function GET(request: Request) {
  try {
    const user = await requireUser('console:read');
    const filter = discoveryFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await readDiscoveryGraph(user, filter), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
