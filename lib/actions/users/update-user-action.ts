'use server';

import { revalidatePath } from 'next/cache';
import { updateUser } from '../../users/update-user';
import { updateUserSchema } from '../../validations/user';
import { defineAction } from '../safe-action';

export const updateUserAction = defineAction({
  name: 'users.update',
  permission: 'users:manage',
  schema: updateUserSchema,
  async run(input, actor) {
    const user = await updateUser(actor.id, input);
    revalidatePath('/settings');
    const state = user.disabled ? 'disabled' : 'active';
    return {
      message: `${user.email} is now ${user.role} (${state}).`,
      audit: { targetType: 'user', targetId: user.id, details: { role: user.role, disabled: user.disabled } },
    };
  },
});
