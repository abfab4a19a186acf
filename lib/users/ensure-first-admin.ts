import { randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../audit/append-audit-event';
import { hashPassword } from '../auth/password';
import { db } from '../db';

export const DEFAULT_ADMIN_EMAIL = 'admin@pqgate.local';

/**
 * Creates the first admin when the console has no users: from ADMIN_EMAIL/ADMIN_PASSWORD,
 * or with a generated password printed once in the server log (it is never stored in clear).
 */
export async function ensureFirstAdmin(config: { email?: string; password?: string }, log: (line: string) => void = console.log): Promise<void> {
  if ((await db.user.count()) > 0) return;
  const email = (config.email ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  const generated = !config.password;
  const password = config.password ?? randomBytes(15).toString('base64url');
  const user = await db.user.create({
    data: { email, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password) },
    select: { id: true },
  });
  await appendAuditEvent({ actorType: 'system', actorId: 'bootstrap', action: 'users.create_first_admin', targetType: 'user', targetId: user.id, decision: 'ok', details: { email, generatedPassword: generated } });
  if (generated) {
    const lines = [
      'pqgate: first start — an admin account was created.',
      `  email:    ${email}`,
      `  password: ${password}`,
      'This password is shown once. Sign in and create your own accounts under Settings.',
    ];
    const width = Math.max(...lines.map((l) => l.length));
    log(`\n+${'-'.repeat(width + 2)}+\n${lines.map((l) => `| ${l.padEnd(width)} |`).join('\n')}\n+${'-'.repeat(width + 2)}+\n`);
  } else {
    log(`pqgate: first admin ${email} created from ADMIN_EMAIL.`);
  }
}
