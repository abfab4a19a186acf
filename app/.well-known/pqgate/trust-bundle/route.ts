import { getTrustBundle } from '@/lib/data/get-trust-bundle';

export const dynamic = 'force-dynamic';

/** The gateway keys, each version signed by the previous one (docs/keys.md). Public: clients verify it themselves. */
export async function GET() {
  return Response.json(await getTrustBundle(), { headers: { 'cache-control': 'no-store' } });
}
