'use server';

import { revalidatePath } from 'next/cache';
import { setRotationSettings } from '../../rotations/set-rotation-settings';
import { rotationSettingsSchema } from '../../validations/rotation';
import { defineAction } from '../safe-action';

export const setRotationSettingsAction = defineAction({
  name: 'rotations.settings',
  // Weakening the two-person rule is itself a change only an admin makes (and it is audited).
  permission: 'users:manage',
  schema: rotationSettingsSchema,
  async run(input) {
    const settings = await setRotationSettings(input);
    revalidatePath('/rotations');
    return {
      message: `Rotations opened from now on need ${settings.requiredApprovals} approval${settings.requiredApprovals === 1 ? '' : 's'}; default overlap ${settings.overlapSeconds} seconds.`,
      audit: { targetType: 'setting', targetId: 'rotations', details: { ...settings } },
    };
  },
});
