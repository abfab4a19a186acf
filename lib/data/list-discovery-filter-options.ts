import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

/** The labels and servers the discovery map can be filtered by. */
export async function listDiscoveryFilterOptions(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const [labels, servers] = await Promise.all([
    db.label.findMany({ orderBy: { name: 'asc' }, select: { name: true } }),
    db.upstream.findMany({ orderBy: { slug: 'asc' }, select: { slug: true } }),
  ]);
  return { labels, servers };
}
