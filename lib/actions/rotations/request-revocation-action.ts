'use server';

import { revalidatePath } from 'next/cache';
import { requestRevocation } from '../../rotations/request-revocation';
import { requestRevocationSchema } from '../../validations/rotation';
import { defineAction } from '../safe-action';

export const requestRevocationAction = defineAction<typeof requestRevocationSchema, { requestId: string }>({
  name: 'rotations.request_revocation',
  permission: 'rotations:request',
  schema: requestRevocationSchema,
  async run(input, user) {
    const request = await requestRevocation(input, user.id);
    revalidatePath('/rotations');
    const successor = request.newFingerprint ? ` Its successor ${request.newFingerprint.slice(0, 16)} is published as the next key.` : '';
    return {
      message: `Revocation of gateway signing key v${request.oldKey.version} requested.${successor} Another approver must approve it.`,
      data: { requestId: request.id },
      audit: { targetType: 'rotation', targetId: request.id, details: { kind: 'revoke', keyId: request.oldKey.id, state: request.oldKey.state, oldFingerprint: request.oldKey.fingerprint, newFingerprint: request.newFingerprint, reason: input.reason } },
    };
  },
});
