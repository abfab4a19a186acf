import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';

export async function listUsers(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  return db.user.findMany({
    orderBy: { email: 'asc' },
    select: { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, lastSignInAt: true },
  });
}
