'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { revokeApiToken } from '../../identities/issue-api-token';
import { defineAction } from '../safe-action';

export const revokeApiTokenAction = defineAction({
  name: 'identities.revoke_token',
  permission: 'identities:manage',
  schema: z.object({ tokenId: z.string().min(1), identityId: z.string().min(1) }),
  async run(input) {
    const token = await revokeApiToken(input.tokenId);
    await bumpGatewayEpoch();
    revalidatePath(`/identities/${input.identityId}`);
    return { message: `Token ${token.prefix}… revoked; the gateway refuses it within 2 seconds.`, audit: { targetType: 'api_token', targetId: token.id, details: { prefix: token.prefix } } };
  },
});
