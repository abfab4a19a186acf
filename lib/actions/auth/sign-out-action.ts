'use server';

import { appendAuditEvent } from '../../audit/append-audit-event';
import { signOut } from '../../auth';
import { currentUser } from '../../auth/current-user';

/** Ends the session. Needs no role: anyone may sign themselves out. */
export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await appendAuditEvent({ actorType: 'user', actorId: user.id, action: 'auth.sign_out', targetType: 'user', targetId: user.id, decision: 'ok' });
  await signOut({ redirectTo: '/sign-in' });
}
