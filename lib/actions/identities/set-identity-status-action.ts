'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { setIdentityStatus } from '../../identities/set-identity-status';
import { setIdentityStatusSchema } from '../../validations/identity';
import { defineAction } from '../safe-action';

export const setIdentityStatusAction = defineAction({
  name: 'identities.set_status',
  permission: 'identities:manage',
  schema: setIdentityStatusSchema,
  async run(input) {
    const identity = await setIdentityStatus(input);
    await bumpGatewayEpoch();
    revalidatePath('/identities');
    revalidatePath(`/identities/${input.identityId}`);
    return { message: `${identity.name} is now ${identity.status}; the gateway applies it within 2 seconds.`, audit: { targetType: 'identity', targetId: identity.id, details: { status: identity.status } } };
  },
});
