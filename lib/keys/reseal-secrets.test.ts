import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// An envelope-key rotation end to end: secrets sealed under key A, restart with B and A as the
// previous key, everything is re-sealed under B, then B alone opens it all.

const dir = mkdtempSync(join(tmpdir(), 'pqgate-reseal-'));
const keyA = randomBytes(32).toString('base64url');
const keyB = randomBytes(32).toString('base64url');

function useKeys(current: string, previous?: string) {
  process.env.PQGATE_DATA_DIR = dir;
  process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
  process.env.AUTH_SECRET = 'x'.repeat(43);
  process.env.PQGATE_ENVELOPE_KEY = current;
  if (previous) process.env.PQGATE_ENVELOPE_KEY_PREVIOUS = previous;
  else delete process.env.PQGATE_ENVELOPE_KEY_PREVIOUS;
  delete process.env.DATABASE_URL;
}

/** A fresh module graph (the environment is parsed once per graph, like once per process). */
async function boot() {
  vi.resetModules();
  const dbModule = await import('../db');
  await dbModule.ensureMigrated();
  return {
    ...dbModule,
    keys: await import('./gateway-keys'),
    reseal: await import('./reseal-secrets'),
    register: await import('../upstreams/register-upstream'),
    snapshot: await import('../gateway-store/build-snapshot'),
    audit: await import('../audit/append-audit-event'),
  };
}

describe('envelope key rotation', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-seals every secret under the new key at start, and records the new key version', async () => {
    useKeys(keyA);
    let app = await boot();
    await app.keys.ensureGatewayKeys();
    await app.register.registerUpstream({ slug: 'crm', name: 'CRM', description: '', transport: 'http', url: 'http://127.0.0.1:1/mcp', command: '', args: [], env: {}, secretHeaders: { Authorization: 'Bearer upstream-secret' }, secretEnv: {}, labels: [] });
    await app.audit.appendAuditEvent({ actorType: 'system', actorId: 'test', action: 'test.before', details: { ip: '192.0.2.1' } });
    const seedsBefore = (await app.keys.loadGatewaySigningKeys()).map((k) => Buffer.from(k.seed).toString('hex')).sort();
    const fingerprintA = app.keys.envelopeFingerprint();
    await app.closeDatabase();

    // B alone cannot open what A sealed: the start-up error says how to rotate.
    useKeys(keyB);
    app = await boot();
    await expect(app.keys.loadGatewaySigningKeys()).rejects.toThrow(/PQGATE_ENVELOPE_KEY_PREVIOUS/);
    await app.closeDatabase();

    useKeys(keyB, keyA);
    app = await boot();
    expect(await app.reseal.resealUnderCurrentEnvelopeKey()).toBe(6); // 3 signing keys, 1 ticket key, 1 upstream, the audit salt
    expect(await app.reseal.resealUnderCurrentEnvelopeKey()).toBe(0); // idempotent
    const envelopeRows = await app.db.key.findMany({ where: { purpose: 'envelope' }, orderBy: { version: 'asc' }, select: { version: true, state: true, fingerprint: true } });
    expect(envelopeRows).toEqual([
      { version: 1, state: 'retired', fingerprint: fingerprintA },
      { version: 2, state: 'active', fingerprint: app.keys.envelopeFingerprint() },
    ]);
    await app.closeDatabase();

    // B alone now opens everything, with the same secrets as before.
    useKeys(keyB);
    app = await boot();
    expect((await app.keys.loadGatewaySigningKeys()).map((k) => Buffer.from(k.seed).toString('hex')).sort()).toEqual(seedsBefore);
    expect((await app.snapshot.buildCompiledState(0)).upstreamConfigs.get('crm')).toMatchObject({ headers: { Authorization: 'Bearer upstream-secret' } });
    await app.audit.appendAuditEvent({ actorType: 'system', actorId: 'test', action: 'test.after', details: { ip: '192.0.2.1' } });
    expect(await app.db.auditEvent.count({ where: { action: 'keys.envelope_rotated' } })).toBe(1);
    await app.closeDatabase();
  }, 120_000);
});
