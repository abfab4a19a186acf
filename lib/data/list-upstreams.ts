import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { gatewayRuntime } from '../gateway-runtime';

/** Registered upstreams with the gateway's live view of each (state, restarts, pid). */
export async function listUpstreams(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const live = new Map((await gatewayRuntime()).gateway.upstreams().map((u) => [u.slug, u]));
  const rows = await db.upstream.findMany({
    orderBy: { slug: 'asc' },
    select: {
      id: true, slug: true, name: true, description: true, transport: true, url: true, command: true, args: true, labels: true, credentialsSealed: true, shared: true, allowSampling: true, allowElicitation: true,
      status: true, lastError: true, lastListedAt: true,
      _count: { select: { tools: { where: { status: { not: 'removed' } } } } },
    },
  });
  // Whether credentials exist is shown; the sealed bytes never leave this function.
  return rows.map(({ credentialsSealed, ...u }) => ({ ...u, hasCredentials: credentialsSealed !== null, live: live.get(u.slug) }));
}
