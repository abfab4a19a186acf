'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { createIdentity } from '../../identities/create-identity';
import { createIdentitySchema } from '../../validations/identity';
import { defineAction } from '../safe-action';

export const createIdentityAction = defineAction({
  name: 'identities.create',
  permission: 'identities:manage',
  schema: createIdentitySchema,
  async run(input) {
    const identity = await createIdentity(input);
    await bumpGatewayEpoch();
    revalidatePath('/identities');
    return {
      message: `${identity.name} created. Enroll its key or issue an API token below.`,
      data: { id: identity.id },
      audit: { targetType: 'identity', targetId: identity.id, details: { name: identity.name, kind: input.kind, labels: input.labels, allowedServers: input.allowedServers } },
    };
  },
});
