import { readHealth } from '@/lib/health/read-health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness for load balancers: 200 when healthy, 503 otherwise. No secrets. */
export async function GET() {
  const health = await readHealth();
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
