'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { removeUpstream } from '../../upstreams/register-upstream';
import { upstreamIdSchema } from '../../validations/upstream';
import { defineAction } from '../safe-action';

export const removeUpstreamAction = defineAction({
  name: 'upstreams.remove',
  permission: 'upstreams:manage',
  schema: upstreamIdSchema,
  async run(input) {
    const upstream = await removeUpstream(input.upstreamId);
    await bumpGatewayEpoch();
    revalidatePath('/servers');
    revalidatePath('/tools');
    return { message: `${upstream.slug} removed: /api/mcp/${upstream.slug} now answers 404.`, audit: { targetType: 'upstream', targetId: upstream.id, details: { slug: upstream.slug } } };
  },
});
