import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** The most recently seen identity -> upstream -> tool edges. */
export async function listDiscoveryEdges(actor: SessionUser, take = 200) {
  assertPermission(actor, 'console:read');
  const [edges, total] = await Promise.all([
    db.discoveryEdge.findMany({
      orderBy: { lastSeenAt: 'desc' },
      take,
      select: {
        id: true, subject: true, toolName: true, suite: true, calls: true, allowed: true, refused: true, lastSeenAt: true,
        identity: { select: { name: true } },
        upstream: { select: { slug: true } },
      },
    }),
    db.discoveryEdge.count(),
  ]);
  return { edges, total };
}
