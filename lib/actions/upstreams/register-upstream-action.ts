'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { refreshUpstream } from '../../gateway-runtime';
import { registerUpstream } from '../../upstreams/register-upstream';
import { registerUpstreamSchema } from '../../validations/upstream';
import { defineAction } from '../safe-action';

export const registerUpstreamAction = defineAction({
  name: 'upstreams.register',
  permission: 'upstreams:manage',
  schema: registerUpstreamSchema,
  async run(input) {
    const upstream = await registerUpstream(input);
    await bumpGatewayEpoch();
    const listed = await refreshUpstream(upstream.slug);
    revalidatePath('/servers');
    revalidatePath('/tools');
    return {
      message: listed.ok
        ? `${upstream.slug} registered and its tools listed. Clients reach it at /api/mcp/${upstream.slug}.`
        : `${upstream.slug} registered, but the gateway cannot reach it yet: ${listed.error}. It retries on the next call or refresh.`,
      // Credentials are never logged: only whether there are any.
      audit: { targetType: 'upstream', targetId: upstream.id, details: { slug: upstream.slug, transport: input.transport, url: input.transport === 'http' ? input.url : undefined, command: input.transport === 'stdio' ? input.command : undefined, hasCredentials: upstream.hasCredentials } },
    };
  },
});
