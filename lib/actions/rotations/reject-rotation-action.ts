'use server';

import { revalidatePath } from 'next/cache';
import { decideRotation } from '../../rotations/decide-rotation';
import { decideRotationSchema } from '../../validations/rotation';
import { defineAction } from '../safe-action';

export const rejectRotationAction = defineAction({
  name: 'rotations.reject',
  permission: 'rotations:approve',
  schema: decideRotationSchema,
  async run(input, user) {
    const result = await decideRotation({ ...input, decision: 'reject' }, user);
    revalidatePath('/rotations');
    revalidatePath(`/rotations/${input.requestId}`);
    return {
      message: 'Rejected: the current key stays in use and the proposed one was discarded.',
      audit: { targetType: 'rotation', targetId: result.id, details: { outcome: 'rejected', reason: input.reason, oldFingerprint: result.oldKey.fingerprint } },
    };
  },
});
