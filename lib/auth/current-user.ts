import { redirect } from 'next/navigation';
import { db } from '../db';
import { auth } from './index';
import { assertPermission, type SessionUser } from './permission';
import type { Permission } from './roles';

export { assertPermission, type SessionUser } from './permission';

/**
 * The signed-in user as the database knows them now: a role change or a disabled account
 * takes effect on the next request, not when the session cookie expires.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, disabled: true } });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** For actions and route handlers: the user, or an AppError (401 / 403) that says why. */
export async function requireUser(permission: Permission = 'console:read'): Promise<SessionUser> {
  const user = await currentUser();
  assertPermission(user, permission);
  return user;
}

/** For pages: the user, or a redirect to sign-in that comes back here afterwards. */
export async function requirePageUser(path: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}
