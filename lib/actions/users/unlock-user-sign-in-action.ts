'use server';

import { revalidatePath } from 'next/cache';
import { unlockUserSignIn } from '../../users/unlock-user-sign-in';
import { unlockUserSignInSchema } from '../../validations/user';
import { defineAction } from '../safe-action';

export const unlockUserSignInAction = defineAction({
  name: 'users.unlock_sign_in',
  permission: 'users:manage',
  schema: unlockUserSignInSchema,
  async run(input) {
    const user = await unlockUserSignIn(input.userId);
    revalidatePath('/settings');
    return {
      message: `${user.email} can sign in again from every address (${user.cleared} failed attempt${user.cleared === 1 ? '' : 's'} cleared).`,
      audit: { targetType: 'user', targetId: user.id, details: { cleared: user.cleared } },
    };
  },
});
