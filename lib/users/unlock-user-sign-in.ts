import { unlockSignIn } from '../auth/rate-limit';
import { db } from '../db';
import { AppError } from '../errors';

/** Lifts the sign-in delays of a user's account from every source (an admin's unlock). */
export async function unlockUserSignIn(userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) throw new AppError('not_found', 'That user no longer exists. Reload the page.');
  return { ...user, cleared: await unlockSignIn(user.email) };
}
