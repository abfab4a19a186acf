import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';
import { ensureLocalSecrets } from './local-secrets';

const base = { AUTH_SECRET: 'x'.repeat(43), PQGATE_ENVELOPE_KEY: 'A'.repeat(43) };

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
}

describe('parseEnv', () => {
  it('fills defaults for the embedded database and the demo', () => {
    const env = parseEnv(base);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PQGATE_DATA_DIR).toBe('.data');
    expect(env.PQGATE_DEMO).toBe('1');
    expect(env.PQGATE_DEMO_CLINIC_PORT).toBe(3101);
  });

  it('names each bad variable and what it expects', () => {
    const found = problems({ ...base, DATABASE_URL: 'mysql://x', PQGATE_DEMO: 'yes', PQGATE_DEMO_CLINIC_PORT: '70000', AUTH_SECRET: 'short' });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL: expected a postgresql:\/\/ connection URL/),
        expect.stringMatching(/^PQGATE_DEMO: expected 0 or 1/),
        expect.stringMatching(/^PQGATE_DEMO_CLINIC_PORT: /),
        expect.stringMatching(/^AUTH_SECRET: expected at least 32 characters/),
      ]),
    );
  });

  it('wants ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(problems({ ...base, ADMIN_EMAIL: 'a@example.com' })).toEqual([expect.stringMatching(/^ADMIN_PASSWORD: set both ADMIN_EMAIL and ADMIN_PASSWORD/)]);
    expect(problems({ ...base, ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'long enough password' })).toEqual([]);
  });

  it('parses PQGATE_TRUSTED_PROXIES once, trusting nobody by default, and names a bad entry', () => {
    expect(parseEnv(base).PQGATE_TRUSTED_PROXIES.has('127.0.0.1')).toBe(false);
    const trusted = parseEnv({ ...base, PQGATE_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).PQGATE_TRUSTED_PROXIES;
    expect([trusted.has('10.2.3.4'), trusted.has('::1'), trusted.has('192.0.2.1')]).toEqual([true, true, false]);
    expect(problems({ ...base, PQGATE_TRUSTED_PROXIES: '10.0.0.0/8, proxy.lan' })).toEqual([expect.stringMatching(/^PQGATE_TRUSTED_PROXIES: "proxy.lan" is not an IP address/)]);
  });

  it('takes the live-refresh interval in whole seconds, 1 by default (alerts show within 2 s), and refuses 0', () => {
    expect(parseEnv(base).PQGATE_LIVE_REFRESH_SECONDS).toBe(1);
    expect(parseEnv({ ...base, PQGATE_LIVE_REFRESH_SECONDS: '30' }).PQGATE_LIVE_REFRESH_SECONDS).toBe(30);
    expect(problems({ ...base, PQGATE_LIVE_REFRESH_SECONDS: '0' })).toEqual(['PQGATE_LIVE_REFRESH_SECONDS: expected at least 1 second']);
    expect(problems({ ...base, PQGATE_LIVE_REFRESH_SECONDS: 'soon' })).toEqual(['PQGATE_LIVE_REFRESH_SECONDS: expected a number of seconds']);
  });

  it('caps stdio sessions per server (16) and per identity (4, never above the server cap), and names a bad value', () => {
    const caps = (e: Record<string, string>) => {
      const parsed = parseEnv({ ...base, ...e });
      return [parsed.PQGATE_STDIO_SESSIONS_PER_SERVER, parsed.PQGATE_STDIO_SESSIONS_PER_IDENTITY];
    };
    expect(caps({})).toEqual([16, 4]);
    expect(caps({ PQGATE_STDIO_SESSIONS_PER_SERVER: '64', PQGATE_STDIO_SESSIONS_PER_IDENTITY: '8' })).toEqual([64, 8]);
    // Lowering only the server cap lowers the identity default with it rather than failing start-up.
    expect(caps({ PQGATE_STDIO_SESSIONS_PER_SERVER: '2' })).toEqual([2, 2]);
    expect(problems({ ...base, PQGATE_STDIO_SESSIONS_PER_SERVER: '2', PQGATE_STDIO_SESSIONS_PER_IDENTITY: '3' })).toEqual([
      'PQGATE_STDIO_SESSIONS_PER_IDENTITY: expected at most PQGATE_STDIO_SESSIONS_PER_SERVER: one identity cannot hold more sessions than the server runs',
    ]);
    expect(problems({ ...base, PQGATE_STDIO_SESSIONS_PER_SERVER: '0' })).toEqual(['PQGATE_STDIO_SESSIONS_PER_SERVER: expected at least 1 session']);
    expect(problems({ ...base, PQGATE_STDIO_SESSIONS_PER_SERVER: '5000' })).toEqual(['PQGATE_STDIO_SESSIONS_PER_SERVER: expected at most 1024 sessions (each is a process)']);
    expect(problems({ ...base, PQGATE_STDIO_SESSIONS_PER_IDENTITY: '1.5' })).toEqual(['PQGATE_STDIO_SESSIONS_PER_IDENTITY: expected a whole number of sessions']);
    expect(problems({ ...base, PQGATE_STDIO_SESSIONS_PER_IDENTITY: 'many' })).toEqual(['PQGATE_STDIO_SESSIONS_PER_IDENTITY: expected a number of sessions']);
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ ...base, DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});

describe('ensureLocalSecrets', () => {
  it('generates missing secrets once into a private file and reuses them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pqgate-secrets-')), 'nested', 'secrets.env');
    const first: Record<string, string | undefined> = { PQGATE_SECRETS_FILE: file };
    expect(ensureLocalSecrets(first).sort()).toEqual(['AUTH_SECRET', 'PQGATE_ENVELOPE_KEY']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => parseEnv(first)).not.toThrow();

    const second: Record<string, string | undefined> = { PQGATE_SECRETS_FILE: file };
    ensureLocalSecrets(second);
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(second.PQGATE_ENVELOPE_KEY).toBe(first.PQGATE_ENVELOPE_KEY);
    expect(readFileSync(file, 'utf8')).toContain('do not commit');
  });

  it('leaves secrets given by the environment alone', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pqgate-secrets-')), 'secrets.env');
    const env: Record<string, string | undefined> = { ...base, PQGATE_SECRETS_FILE: file };
    expect(ensureLocalSecrets(env)).toEqual([]);
    expect(env.AUTH_SECRET).toBe(base.AUTH_SECRET);
  });
});
