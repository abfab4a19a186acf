'use server';

import { revalidatePath } from 'next/cache';
import { requestRotation } from '../../rotations/request-rotation';
import { requestRotationSchema } from '../../validations/rotation';
import { defineAction } from '../safe-action';

export const requestRotationAction = defineAction<typeof requestRotationSchema, { requestId: string }>({
  name: 'rotations.request',
  permission: 'rotations:request',
  schema: requestRotationSchema,
  async run(input, user) {
    const request = await requestRotation(input, user.id);
    revalidatePath('/rotations');
    return {
      message: `Rotation of ${request.oldKey.purpose.replace('_', ' ')} key v${request.oldKey.version} requested. Another approver must approve it.`,
      data: { requestId: request.id },
      audit: { targetType: 'rotation', targetId: request.id, details: { source: 'admin', keyId: request.oldKey.id, oldFingerprint: request.oldKey.fingerprint, newFingerprint: request.newFingerprint, overlapSeconds: request.overlapSeconds, reason: input.reason } },
    };
  },
});
