/**
 * The console's entry point for client addresses: Auth.js's `authorize`, called with the Request
 * Auth.js builds from the headers Next.js saw (the product's server stamped the TCP peer in
 * `x-pqgate-peer`; the client may have sent anything else). Spoofed X-Forwarded-For from an
 * untrusted peer is ignored, a trusted proxy names the real client, and failing from one
 * address never keeps the admin out from another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pqgate-authorize-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
process.env.PQGATE_TRUSTED_PROXIES = '10.0.0.0/8, 2001:db8:1::/48';
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { createUser } = await import('../users/create-user');
const { authorizeCredentials } = await import('./authorize-credentials');
const { PEER_HEADER, stampPeer } = await import('../server/client-source');

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };

/** The Request Auth.js hands to authorize for a sign-in from TCP peer `peer`. */
const from = (peer: string, headers: Record<string, string> = {}) => new Request('http://console.test/api/auth/callback/credentials', { method: 'POST', headers: { ...headers, [PEER_HEADER]: peer } });

const attemptsOf = (email: string) => db.signInAttempt.findMany({ where: { email }, select: { ip: true, success: true }, orderBy: { createdAt: 'asc' } });

describe('authorizeCredentials names the client as the gateway does', () => {
  beforeAll(async () => {
    await ensureMigrated();
    await createUser({ ...ADMIN, name: 'Admin', role: 'admin' });
    // What server.ts does before Next.js sees a request; from here on the header is believed.
    stampPeer(() => undefined);
  });
  afterAll(async () => {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an attacker forging X-Forwarded-For as the admin address is counted at its own address, and the admin still signs in', async () => {
    for (let i = 0; i < 40; i++) {
      const answer = authorizeCredentials({ email: ADMIN.email, password: `guess-${i}` }, from('198.51.100.66', { 'x-forwarded-for': '192.0.2.1', 'x-real-ip': '192.0.2.1' }));
      await answer.catch(() => null);
    }
    const attempts = await attemptsOf(ADMIN.email);
    expect(new Set(attempts.map((a) => a.ip))).toEqual(new Set(['198.51.100.66']));
    await expect(authorizeCredentials({ email: ADMIN.email, password: 'guess-x' }, from('198.51.100.66'))).resolves.toBe('rate_limited');
    const admin = await authorizeCredentials(ADMIN, from('192.0.2.1'));
    expect(admin).toMatchObject({ email: ADMIN.email, role: 'admin' });
  });

  it('through a trusted proxy, the client it forwarded for is the source (IPv4-mapped and IPv6 alike)', async () => {
    await authorizeCredentials({ email: 'proxied@example.test', password: 'wrong' }, from('::ffff:10.1.2.3', { 'x-forwarded-for': '192.0.2.99, 203.0.113.5' }));
    await authorizeCredentials({ email: 'proxied@example.test', password: 'wrong' }, from('2001:db8:1::7', { 'x-forwarded-for': '2001:DB8:2:0::5' }));
    expect((await attemptsOf('proxied@example.test')).map((a) => a.ip)).toEqual(['203.0.113.5', '2001:db8:2::5']);
  });

  it('a peer the server could not name is the source `unknown`, not the header it sent', async () => {
    await authorizeCredentials({ email: 'nopeer@example.test', password: 'wrong' }, new Request('http://console.test/', { method: 'POST', headers: { 'x-forwarded-for': '192.0.2.1' } }));
    expect((await attemptsOf('nopeer@example.test')).map((a) => a.ip)).toEqual(['unknown']);
  });
});
