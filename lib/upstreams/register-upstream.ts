import { db } from '../db';
import { AppError } from '../errors';
import { credentialsContext, type UpstreamCredentials } from '../gateway-store/build-snapshot';
import { sealSecret } from '../keys/envelope';
import type { RegisterUpstreamInput } from '../validations/upstream';

export function sealCredentials(upstreamId: string, credentials: UpstreamCredentials): Uint8Array<ArrayBuffer> | null {
  const empty = !Object.keys(credentials.headers ?? {}).length && !Object.keys(credentials.env ?? {}).length;
  return empty ? null : sealSecret(new TextEncoder().encode(JSON.stringify(credentials)), credentialsContext(upstreamId));
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
    return { ...upstream, hasCredentials: Boolean(sealed) };
  });
}

export async function replaceUpstreamCredentials(input: { upstreamId: string; secretHeaders: Record<string, string>; secretEnv: Record<string, string> }) {
  const upstream = await db.upstream.findUnique({ where: { id: input.upstreamId }, select: { id: true, slug: true, transport: true } });
  if (!upstream) throw new AppError('not_found', 'That server is no longer registered. Reload the page.');
  const sealed = sealCredentials(upstream.id, upstream.transport === 'http' ? { headers: input.secretHeaders } : { env: input.secretEnv });
  await db.upstream.update({ where: { id: upstream.id }, data: { credentialsSealed: sealed } });
  return { ...upstream, hasCredentials: Boolean(sealed) };
}

export async function removeUpstream(upstreamId: string) {
  const upstream = await db.upstream.findUnique({ where: { id: upstreamId }, select: { id: true, slug: true } });
  if (!upstream) throw new AppError('not_found', 'That server is no longer registered. Reload the page.');
  await db.upstream.delete({ where: { id: upstream.id } });
  return upstream;
}
