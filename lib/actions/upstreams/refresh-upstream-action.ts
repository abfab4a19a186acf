'use server';

import { revalidatePath } from 'next/cache';
import { db } from '../../db';
import { AppError } from '../../errors';
import { refreshUpstream } from '../../gateway-runtime';
import { upstreamIdSchema } from '../../validations/upstream';
import { defineAction } from '../safe-action';

export const refreshUpstreamAction = defineAction({
  name: 'upstreams.refresh',
  permission: 'upstreams:manage',
  schema: upstreamIdSchema,
  async run(input) {
    const upstream = await db.upstream.findUnique({ where: { id: input.upstreamId }, select: { id: true, slug: true } });
    if (!upstream) throw new AppError('not_found', 'That server is no longer registered. Reload the page.');
    const result = await refreshUpstream(upstream.slug);
    revalidatePath('/servers');
    revalidatePath('/tools');
    if (!result.ok) throw new AppError('conflict', `The gateway cannot reach ${upstream.slug}: ${result.error}`);
    return { message: `${upstream.slug} reached; its tools were listed again.`, audit: { targetType: 'upstream', targetId: upstream.id, details: { slug: upstream.slug } } };
  },
});
