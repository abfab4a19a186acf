import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-upstream-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { registerUpstream, replaceUpstreamCredentials, removeUpstream } = await import('./register-upstream');
const { buildCompiledState } = await import('../gateway-store/build-snapshot');

const base = { description: '', transport: 'http' as const, url: 'http://127.0.0.1:1/mcp', command: '', args: [], env: {}, secretEnv: {}, labels: [] };

describe('upstream credentials', () => {
  beforeAll(() => ensureMigrated());
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are sealed, versioned as keys with an age, replaced, and retired with their server', async () => {
    const up = await registerUpstream({ ...base, slug: 'crm', name: 'CRM', secretHeaders: { Authorization: 'Bearer s3cret-v1' } });
    const row = await db.upstream.findUniqueOrThrow({ where: { id: up.id }, select: { credentialsSealed: true } });
    expect(Buffer.from(row.credentialsSealed!).includes(Buffer.from('s3cret-v1'))).toBe(false);
    expect((await buildCompiledState(0)).upstreamConfigs.get('crm')).toMatchObject({ headers: { Authorization: 'Bearer s3cret-v1' } });

    await replaceUpstreamCredentials({ upstreamId: up.id, secretHeaders: { Authorization: 'Bearer s3cret-v2' }, secretEnv: {} });
    expect((await buildCompiledState(0)).upstreamConfigs.get('crm')).toMatchObject({ headers: { Authorization: 'Bearer s3cret-v2' } });
    const keys = await db.key.findMany({ where: { purpose: 'upstream_credential', owner: up.id }, orderBy: { version: 'asc' }, select: { version: true, state: true, fingerprint: true, maxAgeDays: true } });
    expect(keys.map((k) => [k.version, k.state])).toEqual([[1, 'retired'], [2, 'active']]);
    for (const k of keys) expect(k.fingerprint).toMatch(/^credential:crm:v\d:[0-9a-f]{16}$/);
    expect(keys[1]!.maxAgeDays).toBe(90);

    await removeUpstream(up.id);
    expect(await db.key.count({ where: { purpose: 'upstream_credential', owner: up.id, state: { not: 'retired' } } })).toBe(0);
  });
});
