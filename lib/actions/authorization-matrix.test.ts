import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../auth/permission';

// Every console mutation, called the way the browser calls it, as an auditor and signed out:
// the server must refuse each before it touches anything. New actions join the matrix
// automatically (any *-action.ts under lib/actions except sign-in and sign-out, which need no role).

let current: SessionUser | null = null;
// Only who is asking is replaced; the permission check itself is the real one (auth/permission).
vi.mock('../auth/current-user', () => ({ currentUser: async () => current }));
const appended: unknown[] = [];
vi.mock('../audit/append-audit-event', () => ({ appendAuditEvent: async (e: unknown) => void appended.push(e), appendAuditEvents: async () => undefined }));
vi.mock('../db', () => ({
  // Any database access at all means the check came too late.
  db: new Proxy({}, { get: (_t, p) => { throw new Error(`database touched (${String(p)}) before the permission check`); } }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => { throw new Error('revalidatePath before the permission check'); } }));

function actionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'auth' ? [] : actionFiles(path);
    return name.endsWith('-action.ts') && name !== 'safe-action.ts' ? [path] : [];
  });
}

const files = actionFiles(import.meta.dirname);

const users: Record<string, SessionUser | null> = {
  auditor: { id: 'u-auditor', email: 'auditor@example.test', name: 'Auditor', role: 'auditor' },
  'signed-out caller': null,
};

describe.each(Object.entries(users))('every mutation as %s', (who, user) => {
  beforeEach(() => {
    current = user;
    appended.length = 0;
  });

  it('covers the actions that exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files.map((f) => [relative(import.meta.dirname, f), f]))('%s is refused by the server', async (_name, file) => {
    const module = (await import(file)) as Record<string, unknown>;
    const actions = Object.entries(module).filter(([name, value]) => name.endsWith('Action') && typeof value === 'function');
    expect(actions.length).toBe(1);
    const [, action] = actions[0]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({ userId: 'x', identityId: 'x', toolId: 'x', tokenId: 'x', name: 'n', email: 'a@b.test', role: 'admin', password: 'long-enough-password', scope: 'tool', targets: 'a/b', floor: 'none', label: 'x', yaml: 'mode: enforce', version: '1', mode: 'monitor', status: 'revoked', decision: 'confirm', owner: 'o', kind: 'agent', algorithm: 'ML-DSA-65', publicKey: 'AAAA', expiresInDays: '1' })) form.set(k, v);
    form.set('file', new File(['mode: enforce'], 'p.yaml'));
    const result = (await (action as (s: unknown, f: FormData) => Promise<{ status: string; code?: string }>)(undefined, form));
    expect(result.status).toBe('error');
    expect(result.code).toBe(who === 'auditor' ? 'forbidden' : 'unauthenticated');
    expect(appended).toEqual([expect.objectContaining({ decision: 'refused' })]);
  });
});
