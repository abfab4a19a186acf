/**
 * An admin sets how client sessions meet a server (shared, or one upstream session each) and
 * which server-to-client requests are relayed. Nobody else may, a refused attempt changes
 * nothing and is audited, and the gateway's next snapshot carries what was saved.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../../auth/permission';
import { embeddedTestDatabase } from '../../db/embedded-test-database';

const database = embeddedTestDatabase('pqgate-relay-settings');

let current: SessionUser | null = null;
vi.mock('../../auth/current-user', () => ({ currentUser: async () => current }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const { closeDatabase, db, ensureMigrated } = await import('../../db');
const { buildCompiledState } = await import('../../gateway-store/build-snapshot');
const { updateUpstreamSettingsAction } = await import('./update-upstream-settings-action');

const users: Record<string, SessionUser> = {
  admin: { id: 'u-admin', email: 'admin@example.test', name: 'Admin', role: 'admin' },
  approver: { id: 'u-approver', email: 'approver@example.test', name: 'Approver', role: 'approver' },
  auditor: { id: 'u-auditor', email: 'auditor@example.test', name: 'Auditor', role: 'auditor' },
};

const DEFAULTS = { shared: false, allowSampling: true, allowElicitation: true };
let upstreamId: string;

/** The form as the browser posts it: a ticked checkbox sends `on`, a clear one sends nothing. */
function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

const settings = async () => db.upstream.findUniqueOrThrow({ where: { id: upstreamId }, select: { shared: true, allowSampling: true, allowElicitation: true } });
const config = async () => (await buildCompiledState(0)).upstreamConfigs.get('notes');

beforeAll(async () => {
  await ensureMigrated();
  for (const u of Object.values(users)) await db.user.create({ data: { id: u.id, email: u.email, name: u.name, role: u.role, passwordHash: 'x' } });
  upstreamId = (await db.upstream.create({ data: { slug: 'notes', name: 'Notes', transport: 'stdio', command: 'node', args: ['notes.js'], labels: [] }, select: { id: true } })).id;
});
beforeEach(async () => {
  await db.upstream.update({ where: { id: upstreamId }, data: DEFAULTS });
  await db.auditEvent.deleteMany({ where: { action: 'upstreams.update_settings' } });
  current = users.admin!;
});
afterAll(async () => {
  await closeDatabase();
  database.drop();
});

describe('updateUpstreamSettingsAction', () => {
  it('lets an admin share a server and switch off sampling, audits what changed, and the gateway snapshot carries it', async () => {
    const state = await updateUpstreamSettingsAction(undefined, form({ upstreamId, shared: 'on', allowElicitation: 'on' }));
    expect(state).toMatchObject({ status: 'success', message: expect.stringContaining('Settings of notes saved') });
    expect(await settings()).toEqual({ shared: true, allowSampling: false, allowElicitation: true });
    expect(await config()).toMatchObject({ slug: 'notes', transport: 'stdio', shared: true, allowSampling: false, allowElicitation: true });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'upstreams.update_settings' }, select: { actorId: true, targetType: true, targetId: true, decision: true, details: true } });
    expect(audit).toEqual({
      actorId: 'u-admin',
      targetType: 'upstream',
      targetId: upstreamId,
      decision: 'ok',
      details: { slug: 'notes', shared: { from: false, to: true }, allowSampling: { from: true, to: false } },
    });
  });

  it('reads a clear checkbox as off: an empty form refuses both server requests and keeps one session per client', async () => {
    expect(await updateUpstreamSettingsAction(undefined, form({ upstreamId }))).toMatchObject({ status: 'success' });
    expect(await settings()).toEqual({ shared: false, allowSampling: false, allowElicitation: false });
  });

  it('says so when nothing changed', async () => {
    expect(await updateUpstreamSettingsAction(undefined, { upstreamId, ...DEFAULTS })).toMatchObject({ status: 'success', message: 'Settings of notes unchanged.' });
  });

  it.each([
    ['approver', 'forbidden'],
    ['auditor', 'forbidden'],
    ['signed-out caller', 'unauthenticated'],
  ] as const)('refuses a %s, changes nothing, and audits the attempt', async (who, code) => {
    current = who === 'signed-out caller' ? null : users[who]!;
    const state = await updateUpstreamSettingsAction(undefined, form({ upstreamId, shared: 'on' }));
    expect(state).toMatchObject({ status: 'error', code });
    expect(await settings()).toEqual(DEFAULTS);
    expect(await config()).toMatchObject(DEFAULTS);
    expect(await db.auditEvent.findMany({ where: { action: 'upstreams.update_settings' }, select: { decision: true, details: true } })).toEqual([{ decision: 'refused', details: { reason: code } }]);
  });

  it('refuses a value that is neither ticked nor clear, naming the field, and changes nothing', async () => {
    const state = await updateUpstreamSettingsAction(undefined, form({ upstreamId, shared: 'yes', allowSampling: 'false' }));
    expect(state).toMatchObject({ status: 'error', code: 'invalid_input', fieldErrors: { shared: ['Tick the box or leave it clear.'], allowSampling: ['Tick the box or leave it clear.'] } });
    expect(await settings()).toEqual(DEFAULTS);
  });

  it('asks for a server when none is named, and says so when the server is gone', async () => {
    expect(await updateUpstreamSettingsAction(undefined, form({ shared: 'on' }))).toMatchObject({ status: 'error', code: 'invalid_input', fieldErrors: { upstreamId: ['Choose a server: reload the page.'] } });
    expect(await updateUpstreamSettingsAction(undefined, form({ upstreamId: 'no-such-server', shared: 'on' }))).toMatchObject({ status: 'error', code: 'not_found', message: 'That server is no longer registered. Reload the page.' });
    expect(await settings()).toEqual(DEFAULTS);
  });
});
