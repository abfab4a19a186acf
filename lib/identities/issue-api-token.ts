import { getCryptoProvider, toBase64Url } from '@/gateway/crypto';
import { db } from '../db';
import { AppError } from '../errors';
import { apiTokenHash } from '../gateway-store/prisma-gateway-store';

/**
 * Issues a bearer API token for a classical MCP client. The token is returned once and only
 * its SHA-256 is stored; a lost token is revoked and replaced, never shown again.
 */
export async function issueApiToken(input: { identityId: string; name: string; expiresInDays: number }) {
  const identity = await db.identity.findUnique({ where: { id: input.identityId }, select: { id: true, name: true, status: true } });
  if (!identity) throw new AppError('not_found', 'That identity no longer exists. Reload the page.');
  if (identity.status !== 'active') throw new AppError('conflict', `${identity.name} is ${identity.status}; reinstate it before issuing tokens.`);
  const token = `pqg_${toBase64Url(getCryptoProvider().randomBytes(32))}`;
  const row = await db.apiToken.create({
    data: {
      identityId: identity.id,
      name: input.name,
      prefix: token.slice(0, 10),
      tokenHash: Buffer.from(apiTokenHash(token), 'hex'),
      expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000),
    },
    select: { id: true, prefix: true, expiresAt: true },
  });
  return { ...row, token, identityName: identity.name };
}

export async function revokeApiToken(tokenId: string) {
  const row = await db.apiToken.findUnique({ where: { id: tokenId }, select: { id: true, prefix: true, revokedAt: true } });
  if (!row) throw new AppError('not_found', 'That token no longer exists. Reload the page.');
  if (row.revokedAt) return row;
  return db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() }, select: { id: true, prefix: true, revokedAt: true } });
}
