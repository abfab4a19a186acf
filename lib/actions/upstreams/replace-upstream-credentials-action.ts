'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { replaceUpstreamCredentials } from '../../upstreams/register-upstream';
import { replaceCredentialsSchema } from '../../validations/upstream';
import { defineAction } from '../safe-action';

export const replaceUpstreamCredentialsAction = defineAction({
  name: 'upstreams.replace_credentials',
  permission: 'upstreams:manage',
  schema: replaceCredentialsSchema,
  async run(input) {
    const upstream = await replaceUpstreamCredentials(input);
    // The gateway reconnects with the new credentials when its snapshot changes.
    await bumpGatewayEpoch();
    revalidatePath('/servers');
    return {
      message: upstream.hasCredentials ? `Credentials of ${upstream.slug} replaced; the gateway reconnects with them.` : `Credentials of ${upstream.slug} removed.`,
      audit: { targetType: 'upstream', targetId: upstream.id, details: { slug: upstream.slug, hasCredentials: upstream.hasCredentials } },
    };
  },
});
