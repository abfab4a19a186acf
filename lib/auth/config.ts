import type { NextAuthConfig } from 'next-auth';
import { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db';
import { env } from '../env';
import { verifyPassword } from './password';
import { isSignInBlocked, recordSignInAttempt } from './rate-limit';
import type { Role } from './roles';

class RateLimited extends CredentialsSignin {
  override code = 'rate_limited';
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});

/** The client address as Next.js saw it: the last hop it appended to x-forwarded-for. */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const hops = forwarded?.split(',').map((h) => h.trim()).filter(Boolean) ?? [];
  return hops.at(-1) ?? headers.get('x-real-ip') ?? 'unknown';
}

export const authConfig = {
  // Self-hosted behind whatever host name the operator uses; next-auth checks the CSRF token.
  trustHost: true,
  secret: env().AUTH_SECRET,
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  pages: { signIn: '/sign-in' },
  logger: {
    // A wrong password is an expected answer (and already audited), not a server error.
    error(error) {
      if ((error as { type?: string }).type === 'CredentialsSignin') return;
      console.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientIp(request.headers);
        if (await isSignInBlocked(email, ip)) {
          await appendAuditEvent({ actorType: 'system', actorId: ip, action: 'auth.sign_in_blocked', targetType: 'user', targetId: email, decision: 'refused' });
          throw new RateLimited();
        }
        const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, role: true, passwordHash: true, disabled: true } });
        const valid = await verifyPassword(user?.passwordHash, password);
        const ok = Boolean(user && valid && !user.disabled);
        await recordSignInAttempt(email, ip, ok);
        if (!user || !ok) {
          await appendAuditEvent({ actorType: 'system', actorId: ip, action: 'auth.sign_in_failed', targetType: 'user', targetId: email, decision: 'refused' });
          return null;
        }
        await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await appendAuditEvent({ actorType: 'user', actorId: user.id, action: 'auth.sign_in', targetType: 'user', targetId: user.id, decision: 'ok', details: { ip } });
        return { id: user.id, email: user.email, name: user.name, role: user.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = (user as { role: Role }).role;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.user.role = token.role as Role;
      return session;
    },
  },
} satisfies NextAuthConfig;

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
}
