/**
 * A label discovery suggests carries no floor in the snapshot the gateway decides from; an
 * admin's confirmation is what makes it apply (and the decision says which is which).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSuite } from '@/gateway/crypto';
import { decide } from '@/gateway/policy/decide';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-labels-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { buildCompiledState } = await import('../gateway-store/build-snapshot');
const { savePolicyVersion } = await import('../policy/save-policy-version');
const { emptyPolicy } = await import('../policy/policy-document');
const { reviewToolLabel, suggestToolLabels } = await import('./tool-labels');

const hybrid = (() => {
  const s = getSuite('hybrid-xwing-mldsa65');
  return { suite: s.name, kemCategory: s.kemCategory, signatureCategory: s.signatureCategory, quantumSafe: s.quantumSafe };
})();

let identityId = '';
let toolId = '';
beforeAll(async () => {
  await ensureMigrated();
  const upstream = await db.upstream.create({ data: { slug: 'clinic', name: 'Clinic', transport: 'http', url: 'http://127.0.0.1:1/mcp', labels: [] } });
  toolId = (await db.tool.create({ data: { upstreamId: upstream.id, name: 'read_chart', description: 'Reads a patient chart', definitionHash: new Uint8Array(32) } })).id;
  identityId = (await db.identity.create({ data: { name: 'agent', owner: 'x' } })).id;
  const policy = emptyPolicy();
  await savePolicyVersion({ document: { ...policy, floors: { ...policy.floors, labels: { healthcare: 'ML-KEM-1024' } } }, comment: 'test', actorId: null });
});
afterAll(async () => {
  await closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

describe('suggested and confirmed labels in the gateway snapshot', () => {
  it('a suggested-only label sets no floor, and the decision names it as unconfirmed', async () => {
    expect(await suggestToolLabels()).toBeGreaterThan(0);
    expect(await db.toolLabel.count({ where: { toolId, source: 'suggested', label: { name: 'healthcare' } } })).toBe(1);
    const { snapshot } = await buildCompiledState(1);
    const d = decide({ strength: hybrid, identityId }, { kind: 'tool', upstream: 'clinic', tool: 'read_chart' }, snapshot);
    expect(d).toMatchObject({ allowed: true, rule: 'default' });
    expect(d.effectiveFloor?.unconfirmed).toEqual([{ label: 'healthcare', floor: 'ML-KEM-1024' }]);
  });

  it('confirming it applies the floor', async () => {
    await reviewToolLabel({ toolId, label: 'healthcare', decision: 'confirm' });
    const { snapshot } = await buildCompiledState(2);
    const d = decide({ strength: hybrid, identityId }, { kind: 'tool', upstream: 'clinic', tool: 'read_chart' }, snapshot);
    expect(d).toMatchObject({ allowed: false, code: 'below_floor', rule: 'label healthcare', effectiveFloor: { floor: 'ML-KEM-1024', rule: 'label healthcare' } });
    expect(d.effectiveFloor?.unconfirmed).toBeUndefined();
  });
});
