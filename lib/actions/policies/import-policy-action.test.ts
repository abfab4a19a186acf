/**
 * Importing a policy (issue 13 #2): the import is reviewed before it is saved, merges into the
 * policy in force by default, replaces it only when asked, and saves exactly what was reviewed.
 * Only an admin may do any of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../../auth/permission';
import { embeddedTestDatabase } from '../../db/embedded-test-database';

const database = embeddedTestDatabase('pqgate-import');

let current: SessionUser | null = null;
vi.mock('../../auth/current-user', () => ({ currentUser: async () => current }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const { closeDatabase, db, ensureMigrated } = await import('../../db');
const { parsePolicyYaml } = await import('../../policy/policy-document');
const { savePolicyVersion } = await import('../../policy/save-policy-version');
const { previewPolicyImportAction } = await import('./preview-policy-import-action');
const { importPolicyAction } = await import('./import-policy-action');
const { previewPolicySaveAction } = await import('./preview-policy-save-action');
const { savePolicyAction } = await import('./save-policy-action');

const SNIPPET = readFileSync(join(import.meta.dirname, '../../../e2e/fixtures/design-policy.yaml'), 'utf8');
const FLOORS = { labels: { healthcare: 'ML-KEM-768' }, servers: {}, tools: { 'clinic/export_chart': 'ML-KEM-1024' } };

const users: Record<string, SessionUser> = {
  admin: { id: 'u-admin', email: 'admin@example.test', name: 'Admin', role: 'admin' },
  approver: { id: 'u-approver', email: 'approver@example.test', name: 'Approver', role: 'approver' },
  auditor: { id: 'u-auditor', email: 'auditor@example.test', name: 'Auditor', role: 'auditor' },
};

const file = (text: string, name = 'design-policy.yaml') => new File([text], name, { type: 'application/yaml' });
const activeVersion = async () => (await db.policyVersion.findFirst({ where: { active: true }, select: { version: true } }))?.version ?? 0;
const activeFloors = async () => (await db.cryptoFloor.findMany({ select: { floor: true, label: { select: { name: true } }, tool: { select: { name: true } } } })).map((f) => `${f.label?.name ?? f.tool?.name}=${f.floor}`).sort();

beforeAll(async () => {
  await ensureMigrated();
  for (const u of Object.values(users)) await db.user.create({ data: { id: u.id, email: u.email, name: u.name, role: u.role, passwordHash: 'x' } });
  const upstream = await db.upstream.create({ data: { slug: 'clinic', name: 'Clinic', transport: 'http', url: 'http://127.0.0.1:1/mcp', labels: [] } });
  await db.tool.create({ data: { upstreamId: upstream.id, name: 'export_chart', definitionHash: new Uint8Array(32) } });
});
beforeEach(async () => {
  const parsed = parsePolicyYaml(`floors:\n  labels: { healthcare: ML-KEM-768 }\n  tools: { "clinic/export_chart": ML-KEM-1024 }\n`);
  if (!parsed.ok) throw new Error('fixture');
  await savePolicyVersion({ document: parsed.document, comment: 'fixture', actorId: null });
  current = users.admin!;
});
afterAll(async () => {
  await closeDatabase();
  database.drop();
});

describe('importing a policy', () => {
  it('merges by default: the snippet keeps every floor, and the review lists only what it changes', async () => {
    const before = await activeVersion();
    const preview = await previewPolicyImportAction(undefined, { file: file(SNIPPET) });
    expect(preview.status).toBe('success');
    if (preview.status !== 'success' || !preview.data) throw new Error('no preview');
    expect(preview.data).toMatchObject({ strategy: 'merge', reviewedVersion: before, fileName: 'design-policy.yaml' });
    expect(preview.data.changes.map((c) => c.text)).toEqual(['p2p_connectivity.enforce_pqc: false → true', 'p2p_connectivity.allowed_algos: any suite → ML-KEM-768, ML-DSA-65']);
    expect(await activeVersion()).toBe(before); // a preview saves nothing

    const saved = await importPolicyAction(undefined, { yaml: preview.data.yaml, fileName: 'design-policy.yaml', strategy: 'merge', reviewedVersion: String(before) });
    expect(saved).toMatchObject({ status: 'success', message: `design-policy.yaml merged into v${before}: saved as v${before + 1} (enforce), 2 change(s).` });
    expect(await activeFloors()).toEqual(['export_chart=ML-KEM-1024', 'healthcare=ML-KEM-768']);
    const version = await db.policyVersion.findFirst({ where: { active: true }, select: { document: true, comment: true } });
    expect(version?.comment).toBe('Imported from design-policy.yaml (merge)');
    expect(version?.document).toMatchObject({ p2p_connectivity: { enforce_pqc: true }, floors: FLOORS });
  });

  it('replaces only when asked, and the review names every floor that goes, as weakening', async () => {
    const before = await activeVersion();
    const preview = await previewPolicyImportAction(undefined, { file: file(SNIPPET), strategy: 'replace' });
    if (preview.status !== 'success' || !preview.data) throw new Error('no preview');
    expect(preview.data.changes.filter((c) => c.kind === 'removed').map((c) => [c.text, c.weakens])).toEqual([
      ['floor of label healthcare removed (was ML-KEM-768)', true],
      ['floor of tool clinic/export_chart removed (was ML-KEM-1024)', true],
    ]);
    const saved = await importPolicyAction(undefined, { yaml: SNIPPET, fileName: 'design-policy.yaml', strategy: 'replace', reviewedVersion: String(before) });
    expect(saved).toMatchObject({ status: 'success', message: expect.stringContaining('design-policy.yaml replaced') });
    expect(saved.status === 'success' && saved.message).toContain('2 weakening the policy');
    expect(await activeFloors()).toEqual([]);
  });

  it('refuses to save a review made against an older version, and saves nothing', async () => {
    const reviewed = await activeVersion();
    const preview = await previewPolicyImportAction(undefined, { file: file(SNIPPET) });
    if (preview.status !== 'success' || !preview.data) throw new Error('no preview');
    // Another admin saves in between (here: a floor removed), so the review no longer holds.
    await savePolicyVersion({ document: (c) => ({ ...c, floors: { ...c.floors, labels: {} } }), comment: 'someone else', actorId: null });
    const stale = await importPolicyAction(undefined, { yaml: preview.data.yaml, fileName: 'design-policy.yaml', strategy: 'merge', reviewedVersion: String(reviewed) });
    expect(stale).toMatchObject({ status: 'error', code: 'conflict', message: expect.stringContaining(`after you reviewed this change against v${reviewed}`) });
    expect(await activeVersion()).toBe(reviewed + 1);
  });

  it('a bad file is refused at review with its line, before anything is saved', async () => {
    const before = await activeVersion();
    const preview = await previewPolicyImportAction(undefined, { file: file('p2p_connectivity:\n  enforce_pqc: maybe\n') });
    expect(preview).toMatchObject({ status: 'error', code: 'invalid_input', fieldErrors: { yaml: [expect.stringContaining('line 2')] } });
    expect(await activeVersion()).toBe(before);
  });
});

describe('saving from the editor', () => {
  it('is reviewed as an import is, and refused when the policy moved since', async () => {
    const before = await activeVersion();
    const yaml = 'mode: monitor\nfloors:\n  labels: { healthcare: ML-KEM-1024 }\n';
    const preview = await previewPolicySaveAction(undefined, { yaml, comment: 'stricter' });
    if (preview.status !== 'success' || !preview.data) throw new Error('no preview');
    expect(preview.data.changes.map((c) => c.text)).toEqual([
      'floor of label healthcare changed: ML-KEM-768 → ML-KEM-1024',
      'floor of tool clinic/export_chart removed (was ML-KEM-1024)',
      'mode: enforce → monitor',
    ]);
    expect(await activeVersion()).toBe(before);
    expect(await savePolicyAction(undefined, { yaml, comment: 'stricter', reviewedVersion: String(before - 1) })).toMatchObject({ status: 'error', code: 'conflict' });
    expect(await savePolicyAction(undefined, { yaml, comment: 'stricter', reviewedVersion: String(before) })).toMatchObject({ status: 'success', message: expect.stringContaining(`Saved as v${before + 1} (monitor), 3 change(s), 2 weakening the policy`) });
  });

  it('a save without a review is refused', async () => {
    const form = new FormData();
    form.set('yaml', 'mode: enforce\n');
    // As a stale page (or a hand-made request) would post it: no reviewed version.
    expect(await savePolicyAction(undefined, form)).toMatchObject({ status: 'error', code: 'invalid_input', fieldErrors: { reviewedVersion: ['Review the change before saving it.'] } });
  });
});

describe.each(['approver', 'auditor', 'signed-out caller'])('as %s', (who) => {
  it('every step is refused, and nothing is saved', async () => {
    const before = await activeVersion();
    current = users[who] ?? null;
    const code = who === 'signed-out caller' ? 'unauthenticated' : 'forbidden';
    for (const result of [
      await previewPolicyImportAction(undefined, { file: file(SNIPPET) }),
      await importPolicyAction(undefined, { yaml: SNIPPET, fileName: 'x.yaml', strategy: 'replace', reviewedVersion: String(before) }),
      await previewPolicySaveAction(undefined, { yaml: SNIPPET, comment: '' }),
      await savePolicyAction(undefined, { yaml: SNIPPET, comment: '', reviewedVersion: String(before) }),
    ]) {
      expect(result).toMatchObject({ status: 'error', code });
    }
    expect(await activeVersion()).toBe(before);
    expect(await activeFloors()).toEqual(['export_chart=ML-KEM-1024', 'healthcare=ML-KEM-768']);
  });
});
