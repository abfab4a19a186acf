import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-rate-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, ensureMigrated } = await import('../db');
const { isSignInBlocked, recordSignInAttempt } = await import('./rate-limit');

const limits = { maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowSeconds: 60 };

describe('sign-in rate limiting', () => {
  beforeAll(async () => {
    await ensureMigrated();
  });
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('blocks an account after its failures reach the limit, whatever the address', async () => {
    for (let i = 0; i < 2; i++) await recordSignInAttempt('ana@example.test', `10.0.0.${i}`, false);
    expect(await isSignInBlocked('ana@example.test', '10.0.0.9', limits)).toBe(false);
    await recordSignInAttempt('ana@example.test', '10.0.0.3', false);
    expect(await isSignInBlocked('ana@example.test', '10.0.0.9', limits)).toBe(true);
    expect(await isSignInBlocked('bob@example.test', '10.0.0.9', limits)).toBe(false);
  });

  it('blocks an address spraying many accounts', async () => {
    for (let i = 0; i < 5; i++) await recordSignInAttempt(`user${i}@example.test`, '192.0.2.7', false);
    expect(await isSignInBlocked('fresh@example.test', '192.0.2.7', limits)).toBe(true);
    expect(await isSignInBlocked('fresh@example.test', '192.0.2.8', limits)).toBe(false);
  });

  it('counts only failures inside the window', async () => {
    await recordSignInAttempt('carol@example.test', '198.51.100.1', true);
    for (let i = 0; i < 3; i++) await recordSignInAttempt('carol@example.test', '198.51.100.1', false);
    expect(await isSignInBlocked('carol@example.test', '198.51.100.2', limits)).toBe(true);
    expect(await isSignInBlocked('carol@example.test', '198.51.100.2', { ...limits, windowSeconds: 10, maxFailuresPerAccount: 4 })).toBe(false);
  });
});
