import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

export async function listIdentities(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  return db.identity.findMany({
    orderBy: { name: 'asc' },
    take: 500,
    select: {
      id: true, name: true, owner: true, kind: true, labels: true, status: true, lastSeenAt: true, lastSuite: true,
      _count: { select: { keys: true, apiTokens: true } },
    },
  });
}
