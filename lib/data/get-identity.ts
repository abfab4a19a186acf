import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { AppError } from '../errors';

export async function getIdentity(actor: SessionUser, id: string) {
  assertPermission(actor, 'console:read');
  const identity = await db.identity.findUnique({
    where: { id },
    select: {
      id: true, name: true, owner: true, kind: true, labels: true, allowedServers: true, status: true, createdAt: true, lastSeenAt: true, lastSuite: true,
      keys: { orderBy: { version: 'desc' }, select: { id: true, version: true, state: true, algorithm: true, fingerprint: true, createdAt: true } },
      apiTokens: { orderBy: { createdAt: 'desc' }, select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true, revokedAt: true, lastUsedAt: true } },
    },
  });
  if (!identity) throw new AppError('not_found', 'No such identity.');
  return identity;
}
