import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

export async function listUpstreams(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  return db.upstream.findMany({
    orderBy: { slug: 'asc' },
    select: {
      id: true, slug: true, name: true, description: true, transport: true, url: true, command: true, args: true, labels: true,
      status: true, lastError: true, lastListedAt: true,
      _count: { select: { tools: true } },
    },
  });
}
