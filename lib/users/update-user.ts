import type { Role } from '../auth/roles';
import { db } from '../db';
import { AppError } from '../errors';

/**
 * Changes a user's role or disables them, refusing any change that would leave no active
 * admin (nobody could then manage the console).
 */
export async function updateUser(actorId: string, input: { userId: string; role?: Role; disabled?: boolean }) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, role: true, disabled: true } });
    if (!user) throw new AppError('not_found', 'That user no longer exists. Reload the page.');
    const losesAdmin = user.role === 'admin' && !user.disabled && ((input.role && input.role !== 'admin') || input.disabled === true);
    if (losesAdmin) {
      const admins = await tx.user.count({ where: { role: 'admin', disabled: false } });
      if (admins <= 1) {
        throw new AppError('conflict', 'This is the last active admin. Make another user admin first.');
      }
    }
    if (input.disabled === true && user.id === actorId) {
      throw new AppError('conflict', 'You cannot disable your own account. Ask another admin.');
    }
    return tx.user.update({
      where: { id: user.id },
      data: { role: input.role ?? user.role, disabled: input.disabled ?? user.disabled },
      select: { id: true, email: true, role: true, disabled: true },
    });
  });
}
