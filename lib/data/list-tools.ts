import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** Tools grouped by upstream, with their labels and own floor. */
export async function listTools(actor: SessionUser, take = 500) {
  assertPermission(actor, 'console:read');
  const [tools, total] = await Promise.all([
    db.tool.findMany({
      where: { status: { not: 'removed' } },
      orderBy: [{ upstream: { slug: 'asc' } }, { name: 'asc' }],
      take,
      select: {
        id: true, name: true, description: true, status: true, lastSeenAt: true,
        upstream: { select: { slug: true, name: true } },
        labels: { select: { source: true, label: { select: { name: true } } } },
        floors: { select: { floor: true } },
      },
    }),
    db.tool.count({ where: { status: { not: 'removed' } } }),
  ]);
  return { tools, total };
}
