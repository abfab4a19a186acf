import { getCryptoProvider, toHex } from '@/gateway/crypto';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { credentialsContext, type UpstreamCredentials } from '../gateway-store/build-snapshot';
import { sealSecret } from '../keys/envelope';
import type { RegisterUpstreamInput } from '../validations/upstream';

export function sealCredentials(upstreamId: string, credentials: UpstreamCredentials): Uint8Array<ArrayBuffer> | null {
  const empty = !Object.keys(credentials.headers ?? {}).length && !Object.keys(credentials.env ?? {}).length;
  return empty ? null : sealSecret(new TextEncoder().encode(JSON.stringify(credentials)), credentialsContext(upstreamId));
}

const CREDENTIAL_MAX_AGE_DAYS = 90;

/**
 * Credentials are keys too: each version gets a Key row (state, age, fingerprint) so the
 * Rotations page shows how old they are. The fingerprint is random per version, never derived
 * from the secret (a low-entropy password must not be guessable from its hash).
 */
async function recordCredentialVersion(tx: Prisma.TransactionClient, upstream: { id: string; slug: string }, present: boolean): Promise<void> {
  const now = new Date();
  const last = await tx.key.findFirst({ where: { purpose: 'upstream_credential', owner: upstream.id }, orderBy: { version: 'desc' }, select: { version: true } });
  await tx.key.updateMany({ where: { purpose: 'upstream_credential', owner: upstream.id, state: { not: 'retired' } }, data: { state: 'retired', retiredAt: now } });
  if (!present) return;
  const version = (last?.version ?? 0) + 1;
  await tx.key.create({
    data: {
      purpose: 'upstream_credential',
      owner: upstream.id,
      version,
      state: 'active',
      algorithm: 'sealed AES-256-GCM',
      fingerprint: `credential:${upstream.slug}:v${version}:${toHex(getCryptoProvider().randomBytes(8))}`,
      maxAgeDays: CREDENTIAL_MAX_AGE_DAYS,
      activatedAt: now,
    },
  });
}

/**
 * Registers an upstream. Its credentials (headers for HTTP, environment for stdio) are sealed
 * under the envelope key, bound to this upstream's id, and never shown again.
 */
export async function registerUpstream(input: RegisterUpstreamInput) {
  if (await db.upstream.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
    throw new AppError('conflict', `A server named ${input.slug} is already registered.`, { slug: ['This name is taken.'] });
  }
  return db.$transaction(async (tx) => {
    const upstream = await tx.upstream.create({
      data: {
        slug: input.slug,
        name: input.name,
        description: input.description,
        transport: input.transport,
        url: input.transport === 'http' ? input.url : null,
        command: input.transport === 'stdio' ? input.command : null,
        args: input.transport === 'stdio' ? input.args : [],
        env: input.transport === 'stdio' ? input.env : {},
        labels: input.labels,
      },
      select: { id: true, slug: true },
    });
    const sealed = sealCredentials(upstream.id, input.transport === 'http' ? { headers: input.secretHeaders } : { env: input.secretEnv });
    if (sealed) await tx.upstream.update({ where: { id: upstream.id }, data: { credentialsSealed: sealed } });
    await recordCredentialVersion(tx, upstream, Boolean(sealed));
    return { ...upstream, hasCredentials: Boolean(sealed) };
  });
}

export async function replaceUpstreamCredentials(input: { upstreamId: string; secretHeaders: Record<string, string>; secretEnv: Record<string, string> }) {
  const upstream = await db.upstream.findUnique({ where: { id: input.upstreamId }, select: { id: true, slug: true, transport: true } });
  if (!upstream) throw new AppError('not_found', 'That server is no longer registered. Reload the page.');
  const sealed = sealCredentials(upstream.id, upstream.transport === 'http' ? { headers: input.secretHeaders } : { env: input.secretEnv });
  await db.$transaction(async (tx) => {
    await tx.upstream.update({ where: { id: upstream.id }, data: { credentialsSealed: sealed } });
    await recordCredentialVersion(tx, upstream, Boolean(sealed));
  });
  return { ...upstream, hasCredentials: Boolean(sealed) };
}

export async function removeUpstream(upstreamId: string) {
  const upstream = await db.upstream.findUnique({ where: { id: upstreamId }, select: { id: true, slug: true } });
  if (!upstream) throw new AppError('not_found', 'That server is no longer registered. Reload the page.');
  await db.$transaction(async (tx) => {
    await tx.upstream.delete({ where: { id: upstream.id } });
    await recordCredentialVersion(tx, upstream, false);
  });
  return upstream;
}
