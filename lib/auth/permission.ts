import { AppError } from '../errors';
import { can, type Permission, type Role } from './roles';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Throws the AppError (401 / 403) that says why `user` may not do `permission`. */
export function assertPermission(user: SessionUser | null, permission: Permission): asserts user is SessionUser {
  if (!user) throw new AppError('unauthenticated', 'You are signed out. Sign in again and retry.');
  if (!can(user.role, permission)) {
    throw new AppError('forbidden', `Your role (${user.role}) does not allow this. Ask an admin for a role that has "${permission}".`);
  }
}
