'use server';

import { revalidatePath } from 'next/cache';
import { createUser } from '../../users/create-user';
import { createUserSchema } from '../../validations/user';
import { defineAction } from '../safe-action';

export const createUserAction = defineAction({
  name: 'users.create',
  permission: 'users:manage',
  schema: createUserSchema,
  async run(input) {
    const user = await createUser(input);
    revalidatePath('/settings');
    return {
      message: `${user.email} can now sign in as ${user.role}.`,
      audit: { targetType: 'user', targetId: user.id, details: { email: user.email, role: user.role } },
    };
  },
});
