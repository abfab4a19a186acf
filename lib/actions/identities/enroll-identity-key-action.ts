'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { enrollIdentityKey } from '../../identities/enroll-identity-key';
import { enrollKeySchema } from '../../validations/identity';
import { defineAction } from '../safe-action';

export const enrollIdentityKeyAction = defineAction({
  name: 'identities.enroll_key',
  permission: 'identities:manage',
  schema: enrollKeySchema,
  async run(input) {
    const key = await enrollIdentityKey(input);
    await bumpGatewayEpoch();
    revalidatePath(`/identities/${input.identityId}`);
    return {
      message: `Key ${key.fingerprint.slice(0, 16)}… enrolled for ${key.identityName}: it can connect with pqgate connect now.`,
      audit: { targetType: 'identity', targetId: input.identityId, details: { keyId: key.id, fingerprint: key.fingerprint, algorithm: input.algorithm } },
    };
  },
});
