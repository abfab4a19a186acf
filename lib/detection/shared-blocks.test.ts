import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GLOBAL_POLICY } from '@/gateway/policy/snapshot';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-blocks-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, ensureMigrated } = await import('../db');
const { createDetectionRuntime } = await import('./detection-runtime');
const { readSharedBlocks } = await import('./shared-blocks');

describe('downgrade blocks across replicas', () => {
  beforeAll(() => ensureMigrated());
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a source blocked on one replica is refused by another after it syncs', async () => {
    const policy = () => ({ ...DEFAULT_GLOBAL_POLICY, blockDowngradeAttempts: true });
    const a = createDetectionRuntime({ policy, blockMs: 60_000 });
    const b = createDetectionRuntime({ policy, blockMs: 60_000 });
    a.channelEvent({ type: 'downgrade', at: Date.now(), source: '203.0.113.9', identityKeyId: 'abcd:ef01', suite: 'classical-x25519-ed25519', detail: 'stripped offer' });
    expect(a.isBlocked('203.0.113.9')).toBe(true);
    expect(b.isBlocked('203.0.113.9')).toBe(false);
    await expect.poll(async () => (await readSharedBlocks()).map((x) => x.source), { timeout: 5000 }).toContain('203.0.113.9');
    await b.syncBlocks();
    expect(b.isBlocked('203.0.113.9')).toBe(true);
    expect(b.isBlocked('203.0.113.10')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });
});
