import { assertPermission, type SessionUser } from '../auth/current-user';
import { listSignInDelays, type SignInDelay } from '../auth/rate-limit';

/** The sign-in delays in force on these accounts, by email (the Settings page). */
export async function listAccountSignInDelays(actor: SessionUser, emails: string[]): Promise<Map<string, SignInDelay>> {
  assertPermission(actor, 'console:read');
  return new Map((await listSignInDelays(emails)).map((d) => [d.email, d]));
}
