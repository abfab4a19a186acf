import { hashPassword } from '../auth/password';
import type { Role } from '../auth/roles';
import { db } from '../db';
import { AppError } from '../errors';

/** Creates a console user. The caller has already checked who asks. */
export async function createUser(input: { email: string; name: string; role: Role; password: string }) {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) {
    throw new AppError('conflict', `A user with ${input.email} already exists. Change their role instead.`, {
      email: ['This email already has an account.'],
    });
  }
  return db.user.create({
    data: { email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, role: true },
  });
}
