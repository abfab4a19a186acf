'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { issueApiToken } from '../../identities/issue-api-token';
import { issueTokenSchema } from '../../validations/identity';
import { defineAction } from '../safe-action';

export const issueApiTokenAction = defineAction<typeof issueTokenSchema, { token: string }>({
  name: 'identities.issue_token',
  permission: 'identities:manage',
  schema: issueTokenSchema,
  async run(input) {
    const issued = await issueApiToken(input);
    await bumpGatewayEpoch();
    revalidatePath(`/identities/${input.identityId}`);
    return {
      message: `Token for ${issued.identityName} issued. Copy it now: it is shown only once.`,
      data: { token: issued.token },
      // The audit log records the prefix, never the token.
      audit: { targetType: 'api_token', targetId: issued.id, details: { identityId: input.identityId, prefix: issued.prefix, expiresAt: issued.expiresAt?.toISOString() } },
    };
  },
});
