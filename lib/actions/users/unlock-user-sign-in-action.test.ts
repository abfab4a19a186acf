/**
 * An admin lifts a user's sign-in delays from the Settings page: the delays go for every
 * address, the unlock is in the audit log, and the addresses' own counts stay.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../../auth/permission';
import { embeddedTestDatabase } from '../../db/embedded-test-database';

const database = embeddedTestDatabase('pqgate-unlock');

let current: SessionUser | null = null;
vi.mock('../../auth/current-user', () => ({ currentUser: async () => current }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const { closeDatabase, db, ensureMigrated } = await import('../../db');
const { createUser } = await import('../../users/create-user');
const { checkSignIn, listSignInDelays, recordSignInAttempt } = await import('../../auth/rate-limit');
const { unlockUserSignInAction } = await import('./unlock-user-sign-in-action');

const limits = { freeFailuresPerPair: 2, freeFailuresPerSource: 4, windowSeconds: 900 };

describe('unlockUserSignInAction', () => {
  beforeAll(async () => {
    await ensureMigrated();
  });
  afterAll(async () => {
    await closeDatabase();
    database.drop();
  });

  it('lifts the delays of the account from every address and is audited', async () => {
    const admin = await createUser({ email: 'root@example.test', name: 'Root', role: 'admin', password: 'a long admin password' });
    const user = await createUser({ email: 'ops@example.test', name: 'Ops', role: 'approver', password: 'a long user password' });
    current = { id: admin.id, email: admin.email, name: 'Root', role: 'admin' };
    for (const source of ['198.51.100.1', '198.51.100.2']) for (let i = 0; i < 2; i++) await recordSignInAttempt(user.email, source, false);
    expect(await listSignInDelays([user.email], { limits })).toEqual([expect.objectContaining({ email: user.email, sources: 2, failures: 4 })]);

    const state = await unlockUserSignInAction(undefined, { userId: user.id });
    expect(state).toMatchObject({ status: 'success', message: expect.stringContaining('ops@example.test can sign in again') });
    expect(await listSignInDelays([user.email], { limits })).toEqual([]);
    expect(await checkSignIn(user.email, '198.51.100.1', { limits })).toEqual({ allowed: true });
    const audit = await db.auditEvent.findFirst({ where: { action: 'users.unlock_sign_in' }, select: { actorId: true, targetId: true, decision: true, details: true } });
    expect(audit).toEqual({ actorId: admin.id, targetId: user.id, decision: 'ok', details: { cleared: 4 } });
  });

  it('says so when the user is gone', async () => {
    expect(await unlockUserSignInAction(undefined, { userId: 'no-such-user' })).toMatchObject({ status: 'error', code: 'not_found' });
  });
});
