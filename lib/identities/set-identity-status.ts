import { db } from '../db';
import { AppError } from '../errors';

/** Suspends, reinstates or revokes an identity. Revocation is final. */
export async function setIdentityStatus(input: { identityId: string; status: 'active' | 'suspended' | 'revoked' }) {
  const identity = await db.identity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true, status: true } });
  if (!identity) throw new AppError('not_found', 'That identity no longer exists. Reload the page.');
  if (identity.status === 'revoked' && input.status !== 'revoked') {
    throw new AppError('conflict', `${identity.name} is revoked, which is final. Create a new identity.`);
  }
  return db.$transaction(async (tx) => {
    if (input.status === 'revoked') {
      await tx.apiToken.updateMany({ where: { identityId: identity.id, revokedAt: null }, data: { revokedAt: new Date() } });
      await tx.key.updateMany({ where: { identityId: identity.id, state: { not: 'retired' } }, data: { state: 'retired', retiredAt: new Date() } });
    }
    return tx.identity.update({ where: { id: identity.id }, data: { status: input.status }, select: { id: true, name: true, status: true } });
  });
}
