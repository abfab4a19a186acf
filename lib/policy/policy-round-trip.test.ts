import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITES } from '@/gateway/crypto';
import { decide } from '@/gateway/policy/decide';
import { DEFAULT_LIMITS } from '@/gateway/policy/limits';
import { BEARER_STRENGTH, type SessionStrength } from '@/gateway/policy/floors';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-policy-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { buildCompiledState } = await import('../gateway-store/build-snapshot');
const { emptyPolicy, parsePolicyYaml, policyToYaml } = await import('./policy-document');
const { savePolicyVersion } = await import('./save-policy-version');

const STRENGTHS: SessionStrength[] = [BEARER_STRENGTH, ...SUITES.map((s) => ({ suite: s.name, kemCategory: s.kemCategory, signatureCategory: s.signatureCategory, quantumSafe: s.quantumSafe }))];
const TOOLS = ['read_chart', 'export_chart', 'ping'];

async function decisions(identityId: string): Promise<string[]> {
  const { snapshot } = await buildCompiledState(0);
  return STRENGTHS.flatMap((strength) =>
    TOOLS.map((tool) => {
      const d = decide({ strength, identityId }, { kind: 'tool', upstream: 'clinic', tool }, snapshot);
      return `${strength.suite} ${tool}: ${d.verdict} ${d.allowed} ${d.rule}`;
    }),
  );
}

let identityId = '';
beforeAll(async () => {
    await ensureMigrated();
    const upstream = await db.upstream.create({ data: { slug: 'clinic', name: 'Clinic', transport: 'http', url: 'http://127.0.0.1:1/mcp', labels: [] } });
    const label = await db.label.create({ data: { name: 'healthcare' } });
    for (const name of TOOLS) {
      const tool = await db.tool.create({ data: { upstreamId: upstream.id, name, definitionHash: new Uint8Array(32) } });
      if (name !== 'ping') await db.toolLabel.create({ data: { toolId: tool.id, labelId: label.id } });
    }
    identityId = (await db.identity.create({ data: { name: 'agent', owner: 'x' } })).id;
});
afterAll(async () => {
  await closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

describe('policy YAML round trip', () => {

  it('export then import gives the same decisions for every suite and tool', async () => {
    const original = parsePolicyYaml(`mode: monitor
p2p_connectivity:
  enforce_pqc: false
  allowed_algos: ["ML-KEM-768", "ML-DSA-65", "X25519", "Ed25519"]
floors:
  labels: { healthcare: ML-KEM-768 }
  tools: { "clinic/export_chart": ML-KEM-1024 }
`);
    if (!original.ok) throw new Error(JSON.stringify(original.problems));
    await savePolicyVersion({ document: original.document, comment: 'original', actorId: null });
    const before = await decisions(identityId);
    expect(before).toContain('classical-bearer read_chart: deny true label healthcare');
    expect(before).toContain('hybrid-xwing-mldsa65 export_chart: deny true tool clinic/export_chart');

    const exported = policyToYaml(original.document);
    const other = parsePolicyYaml('mode: enforce\n');
    if (!other.ok) throw new Error(JSON.stringify(other.problems));
    await savePolicyVersion({ document: other.document, comment: 'something else in between', actorId: null });
    expect(await decisions(identityId)).not.toEqual(before);

    const reimported = parsePolicyYaml(exported);
    if (!reimported.ok) throw new Error(JSON.stringify(reimported.problems));
    await savePolicyVersion({ document: reimported.document, yaml: exported, comment: 'reimported', actorId: null });
    expect(await decisions(identityId)).toEqual(before);
  });
});

describe('policy limits', () => {
  it('reach the gateway snapshot as saved, and survive export and import', async () => {
    const original = parsePolicyYaml('limits:\n  handshakes_per_source_per_minute: 7\n  sessions_per_identity: 2\n  calls_per_identity_per_minute: 30\n  calls_per_tool_per_minute: 5\n');
    if (!original.ok) throw new Error(JSON.stringify(original.problems));
    await savePolicyVersion({ document: original.document, comment: 'tight limits', actorId: null });
    const expected = { handshakesPerSourcePerMinute: 7, sessionsPerIdentity: 2, callsPerIdentityPerMinute: 30, callsPerToolPerMinute: 5 };
    expect((await buildCompiledState(0)).snapshot.global.limits).toEqual(expected);
    const reimported = parsePolicyYaml(policyToYaml(original.document));
    if (!reimported.ok) throw new Error(JSON.stringify(reimported.problems));
    await savePolicyVersion({ document: emptyPolicy(), comment: 'defaults', actorId: null });
    expect((await buildCompiledState(0)).snapshot.global.limits).toEqual(DEFAULT_LIMITS);
    await savePolicyVersion({ document: reimported.document, comment: 'reimported', actorId: null });
    expect((await buildCompiledState(0)).snapshot.global.limits).toEqual(expected);
  });
});

describe('concurrent floor changes', () => {
  it('queue instead of undoing each other', async () => {
    const { setFloors } = await import('./set-floors');
    const actorId = (await db.user.create({ data: { email: 'admin@example.test', name: 'A', passwordHash: 'x', role: 'admin' } })).id;
    await Promise.all([
      setFloors({ scope: 'tool', targets: ['clinic/read_chart'], floor: 'ML-KEM-1024', actorId }),
      setFloors({ scope: 'tool', targets: ['clinic/ping'], floor: 'ML-KEM-768', actorId }),
      setFloors({ scope: 'label', targets: ['finance'], floor: 'ML-KEM-768', actorId }),
    ]);
    const active = await db.policyVersion.findFirstOrThrow({ where: { active: true }, select: { document: true } });
    expect(active.document).toMatchObject({ floors: { tools: { 'clinic/read_chart': 'ML-KEM-1024', 'clinic/ping': 'ML-KEM-768' }, labels: { finance: 'ML-KEM-768' } } });
    expect(await db.policyVersion.count({ where: { active: true } })).toBe(1);
  });
});
