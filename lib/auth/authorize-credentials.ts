import { z } from 'zod';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { requestSource } from '../server/client-source';
import { verifyPassword } from './password';
import { checkSignIn, recordSignInAttempt } from './rate-limit';
import type { Role } from './roles';

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});

/**
 * Checks an email and password (the Credentials provider's `authorize`, lib/auth/config.ts):
 * the user, null, or `rate_limited` when the attempt is delayed. Throttled per (account, source)
 * pair and per source, the source named as the gateway names it (lib/server/client-source.ts),
 * so a forged X-Forwarded-For neither hides an attacker nor delays anyone else. Kept apart from
 * config.ts so it runs without Next.js.
 */
export async function authorizeCredentials(raw: unknown, request: Pick<Request, 'headers'>): Promise<{ id: string; email: string; name: string; role: Role } | null | 'rate_limited'> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const source = requestSource(request);
  const verdict = await checkSignIn(email, source);
  if (!verdict.allowed) {
    await appendAuditEvent({ actorType: 'system', actorId: source, action: 'auth.sign_in_blocked', targetType: 'user', targetId: email, decision: 'refused', details: { scope: verdict.scope, retryAfterSeconds: verdict.retryAfterSeconds } });
    return 'rate_limited';
  }
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, role: true, passwordHash: true, disabled: true } });
  const valid = await verifyPassword(user?.passwordHash, password);
  const ok = Boolean(user && valid && !user.disabled);
  await recordSignInAttempt(email, source, ok);
  if (!user || !ok) {
    await appendAuditEvent({ actorType: 'system', actorId: source, action: 'auth.sign_in_failed', targetType: 'user', targetId: email, decision: 'refused' });
    return null;
  }
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await appendAuditEvent({ actorType: 'user', actorId: user.id, action: 'auth.sign_in', targetType: 'user', targetId: user.id, decision: 'ok', details: { ip: source } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

