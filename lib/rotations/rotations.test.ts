import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createChannelServer, generateKeyPair, keyIdOf, type ChannelServer } from '@/gateway/channel';
import { toBase64Url, toHex } from '@/gateway/crypto';
import { resolveGatewayTrust } from '@/gateway/connector/trust';
import { TrustStateFile } from '@/gateway/connector/trust-state';
import { createRotationProof } from '@/gateway/keys';
import type { SessionUser } from '../auth/permission';

// Rotations against a real (embedded) database: the two-person rule, client submissions, the
// schedule, and a live channel session across gateway signing-key and ticket-key rotations.

const dir = mkdtempSync(join(tmpdir(), 'pqgate-rotations-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { ensureGatewayKeys } = await import('../keys/gateway-keys');
const { PrismaGatewayStore } = await import('../gateway-store/prisma-gateway-store');
const { bumpGatewayEpoch } = await import('../gateway-store/gateway-epoch');
const { getTrustBundle } = await import('../data/get-trust-bundle');
const { requestRotation } = await import('./request-rotation');
const { requestRevocation } = await import('./request-revocation');
const { decideRotation } = await import('./decide-rotation');
const { submitClientRotation } = await import('./submit-client-rotation');
const { runKeyMaintenance } = await import('./run-key-maintenance');

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function user(role: SessionUser['role'], name: string): Promise<SessionUser> {
  const u = await db.user.create({ data: { email: `${name}@test`, name, role, passwordHash: 'x' } });
  return { id: u.id, email: u.email, name: u.name, role };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? 'other';
  }
  return undefined;
}

describe('rotations', () => {
  let store: Awaited<ReturnType<typeof PrismaGatewayStore.open>>;
  let adminA: SessionUser;
  let approverB: SessionUser;
  let approverC: SessionUser;
  let identityId: string;
  const identityKey = generateKeyPair('ML-DSA-65');

  // The gateway as gateway/mcp/gateway.ts mounts it: a channel server rebuilt when the store's signing keys change.
  let channel: { keys: unknown; server: ChannelServer } | undefined;
  const server = () => {
    if (channel?.keys !== store.channel.gatewayKeys) {
      channel = { keys: store.channel.gatewayKeys, server: createChannelServer({ keyRing: store.channel.keyRing, gatewayKeys: store.channel.gatewayKeys, identities: store.channel.identities }) };
    }
    return channel.server;
  };
  const doFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(url));
    if (u.pathname === '/.well-known/pqgate/trust-bundle') return Response.json(await getTrustBundle());
    return server().handle(new Request(u, init), async (pt) => enc(`echo:${dec(pt)}`));
  }) as typeof fetch;

  beforeAll(async () => {
    await ensureMigrated();
    await ensureGatewayKeys();
    adminA = await user('admin', 'alice');
    approverB = await user('approver', 'bob');
    approverC = await user('approver', 'carol');
    const identity = await db.identity.create({ data: { name: 'rotating-agent', owner: 'ops' } });
    identityId = identity.id;
    await db.key.create({
      data: { purpose: 'identity', owner: identityId, identityId, version: 1, state: 'active', algorithm: 'ML-DSA-65', fingerprint: toHex(identityKey.keyId), publicKey: new Uint8Array(identityKey.publicKey), maxAgeDays: 365, activatedAt: new Date() },
    });
    store = await PrismaGatewayStore.open({ pollMs: 0 });
  });

  afterAll(async () => {
    store?.close();
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  const keyOf = (purpose: 'gateway_signing' | 'ticket', owner: string, state: 'active' | 'retiring' = 'active') => db.key.findFirstOrThrow({ where: { purpose, owner, state }, select: { id: true, version: true, fingerprint: true } });

  it('refuses the requester\'s own approval on the server, then completes on another approver\'s', async () => {
    const old = await keyOf('gateway_signing', 'gateway:Ed25519');
    const request = await requestRotation({ keyId: old.id, reason: 'test' }, adminA.id);
    expect(await codeOf(decideRotation({ requestId: request.id, decision: 'approve', reason: 'mine' }, adminA))).toBe('forbidden');
    expect(await codeOf(decideRotation({ requestId: request.id, decision: 'reject', reason: 'mine' }, adminA))).toBe('forbidden');
    expect(await db.rotationApproval.count({ where: { requestId: request.id } })).toBe(0);
    expect((await decideRotation({ requestId: request.id, decision: 'approve', reason: 'ok' }, approverB)).outcome).toBe('completed');
    expect(await codeOf(decideRotation({ requestId: request.id, decision: 'approve', reason: 'late' }, approverC))).toBe('conflict');
    const keys = await db.key.findMany({ where: { owner: 'gateway:Ed25519' }, orderBy: { version: 'asc' }, select: { version: true, state: true } });
    expect(keys).toEqual([{ version: 1, state: 'retiring' }, { version: 2, state: 'active' }]);
  });

  it('needs the configured number of distinct approvers', async () => {
    await db.setting.upsert({ where: { key: 'rotations.requiredApprovals' }, create: { key: 'rotations.requiredApprovals', value: 2 }, update: { value: 2 } });
    try {
      const old = await keyOf('gateway_signing', 'gateway:ML-DSA-87');
      const request = await requestRotation({ keyId: old.id, reason: 'two approvers' }, adminA.id);
      expect((await decideRotation({ requestId: request.id, decision: 'approve', reason: 'one' }, approverB)).outcome).toBe('pending');
      expect(await codeOf(decideRotation({ requestId: request.id, decision: 'approve', reason: 'again' }, approverB))).toBe('conflict');
      const rejected = await decideRotation({ requestId: request.id, decision: 'reject', reason: 'not now' }, approverC);
      expect(rejected.outcome).toBe('rejected');
      // The proposed key is gone, so the next request reuses its version and the chain has no gap.
      expect(await db.key.count({ where: { owner: 'gateway:ML-DSA-87' } })).toBe(1);
    } finally {
      await db.setting.delete({ where: { key: 'rotations.requiredApprovals' } });
    }
  });

  it('refuses a client-submitted rotation with a bad old-key signature, a replay, or a stale time', async () => {
    const next = generateKeyPair('ML-DSA-65');
    const stranger = generateKeyPair('ML-DSA-65');
    const forged = createRotationProof({ oldKey: identityKey, newKey: next, reason: 'forged', time: Date.now() });
    const bySomeoneElse = createRotationProof({ oldKey: stranger, newKey: next, reason: 'x', time: Date.now(), nonce: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(await codeOf(submitClientRotation({ ...forged, oldSignature: bySomeoneElse.oldSignature }))).toBe('forbidden');
    expect(await codeOf(submitClientRotation(createRotationProof({ oldKey: identityKey, newKey: next, reason: 'old', time: Date.now() - 3_600_000 })))).toBe('invalid_input');
    expect(await db.rotationRequest.count({ where: { source: 'client' } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: 'rotations.request', decision: 'refused' } })).toBeGreaterThanOrEqual(2);

    const good = createRotationProof({ oldKey: identityKey, newKey: next, reason: 'new laptop', time: Date.now() });
    const accepted = await submitClientRotation(good);
    expect(accepted).toMatchObject({ status: 'pending', newKeyId: toHex(next.keyId) });
    expect(await codeOf(submitClientRotation(good))).toBe('conflict');
    // Client requests have no console requester: any approver may decide; rejecting leaves the old key alone.
    expect((await decideRotation({ requestId: accepted.requestId, decision: 'reject', reason: 'unexpected' }, approverB)).outcome).toBe('rejected');
    expect(await db.key.findUnique({ where: { fingerprint: toHex(next.keyId) } })).toBeNull();
  });

  it('keeps a live session working across a gateway signing-key and a ticket-key rotation', async () => {
    // Pinned by fingerprint, as the README configures clients.
    const pinned = (await db.key.findMany({ where: { purpose: 'gateway_signing', state: 'active' }, select: { fingerprint: true } })).map((k) => k.fingerprint);
    const identity = await db.key.findFirstOrThrow({ where: { fingerprint: toHex(identityKey.keyId) } });
    expect(identity.state).toBe('active');
    const trusted = (await resolveGatewayTrust('https://gw.test/api/mcp/x', pinned, { fetch: doFetch })).keys;
    const session = await connect('https://gw.test/pq', identityKey, { trustedGatewayKeys: trusted, fetch: doFetch, offer: ['hybrid'] });
    expect(dec(await session.request('mcp', enc('one')))).toBe('echo:one');
    const firstGatewayKey = session.info().gatewayKeyId;

    // Gateway signing key: the successor is published as the next key before approval; the
    // connector follows the bundle and trusts it, the session goes on with its ticket.
    const signing = await keyOf('gateway_signing', 'gateway:ML-DSA-65');
    const request = await requestRotation({ keyId: signing.id, reason: 'live test' }, adminA.id);
    const bundle = await getTrustBundle();
    expect(bundle.signed.keys.find((k) => k.algorithm === 'ML-DSA-65' && k.version === 2)).toMatchObject({ status: 'pending', keyId: request.newFingerprint });
    trusted.splice(0, trusted.length, ...(await resolveGatewayTrust('https://gw.test/api/mcp/x', pinned, { fetch: doFetch })).keys);
    expect(trusted.map((k) => toHex(k.keyId ?? keyIdOf(k.publicKey)))).toContain(request.newFingerprint);
    await decideRotation({ requestId: request.id, decision: 'approve', reason: 'ok' }, approverB);
    await store.rebuild(await bumpGatewayEpoch());
    expect(dec(await session.request('mcp', enc('two')))).toBe('echo:two');
    expect(session.handshakes()).toBe(1);
    // A new handshake is signed by the new key, which the client trusts through the chain.
    const fresh = await connect('https://gw.test/pq', identityKey, { trustedGatewayKeys: trusted, fetch: doFetch, offer: ['hybrid'] });
    expect(fresh.info().gatewayKeyId).not.toBe(firstGatewayKey);
    expect(fresh.info().gatewayKeyId.replace(/:/g, '')).toBe(request.newFingerprint!.slice(0, 16));

    // Ticket key: v2 seals new tickets, v1 still opens the session's ticket until it is retired.
    const ticket = await keyOf('ticket', 'gateway');
    const ticketRequest = await requestRotation({ keyId: ticket.id, reason: 'live test', overlapSeconds: 60 }, adminA.id);
    await decideRotation({ requestId: ticketRequest.id, decision: 'approve', reason: 'ok' }, approverC);
    await new Promise((r) => setTimeout(r, 1100)); // the ring's cache
    expect((await store.channel.keyRing.current()).version).toBe(2);
    expect(dec(await session.request('mcp', enc('three')))).toBe('echo:three');
    expect(session.handshakes()).toBe(1);
    // The answer to 'three' handed the session its ticket sealed under v2: once the overlap
    // ends and v1 is retired, the session goes on without a new handshake.
    const retired = await runKeyMaintenance(new Date(Date.now() + 61_000));
    expect(retired.retired.length).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await store.channel.keyRing.minimumVersion()).toBe(2);
    expect(dec(await session.request('mcp', enc('four')))).toBe('echo:four');
    expect(session.handshakes()).toBe(1);
  });

  it('revokes a gateway key on a second approver\'s word; the signed bundle says so and a connector pinned to it drops it', async () => {
    const state = new TrustStateFile(join(dir, 'trust-state.json'));
    const url = 'https://gw.test/api/mcp/x';
    const v1 = await keyOf('gateway_signing', 'gateway:ML-DSA-87');
    const before = await getTrustBundle();
    const pinnedIds = async (fetchImpl = doFetch) => (await resolveGatewayTrust(url, [v1.fingerprint], { fetch: fetchImpl, state })).keys.map((k) => toHex(k.keyId!));
    expect(await pinnedIds()).toEqual([v1.fingerprint]);

    const request = await requestRevocation({ keyId: v1.id, reason: 'seed copied to a laptop that was stolen' }, adminA.id);
    expect(request.newFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await codeOf(decideRotation({ requestId: request.id, decision: 'approve', reason: 'mine' }, adminA))).toBe('forbidden');
    expect((await decideRotation({ requestId: request.id, decision: 'approve', reason: 'confirmed' }, approverB)).outcome).toBe('completed');
    const row = await db.key.findUniqueOrThrow({ where: { id: v1.id }, select: { state: true, secretSealed: true, revokedAt: true } });
    expect(row).toMatchObject({ state: 'revoked', secretSealed: null });
    expect(row.revokedAt).toBeInstanceOf(Date);
    expect(await db.key.findUniqueOrThrow({ where: { fingerprint: request.newFingerprint! }, select: { state: true } })).toEqual({ state: 'active' });
    expect(await db.auditEvent.count({ where: { action: 'keys.revoke', targetId: v1.id, decision: 'ok' } })).toBe(1);

    const after = await getTrustBundle();
    expect(after.signed.keys.find((k) => k.keyId === v1.fingerprint)?.status).toBe('revoked');
    expect(after.signed.version).toBeGreaterThan(before.signed.version);
    // Pinned by fingerprint to the revoked key: it follows to the successor and no longer trusts the pin.
    expect(await pinnedIds()).toEqual([request.newFingerprint]);
    // Serving the bundle from before the revocation again is refused: the state file saw a newer one.
    const replay = (async (u: string | URL | Request, init?: RequestInit) => (new URL(String(u)).pathname === '/.well-known/pqgate/trust-bundle' ? Response.json(before) : doFetch(u, init))) as typeof fetch;
    await expect(pinnedIds(replay)).rejects.toThrow(/older than version/);

    // A retiring key (ML-DSA-65 v1, replaced earlier) is revoked without a successor; revoked keys and identity keys are refused.
    const retiring = await keyOf('gateway_signing', 'gateway:ML-DSA-65', 'retiring');
    const second = await requestRevocation({ keyId: retiring.id, reason: 'end its overlap now' }, adminA.id);
    expect(second.newFingerprint).toBeNull();
    expect((await decideRotation({ requestId: second.id, decision: 'approve', reason: 'ok' }, approverC)).outcome).toBe('completed');
    expect((await db.key.findUniqueOrThrow({ where: { id: retiring.id }, select: { state: true } })).state).toBe('revoked');
    expect(await codeOf(requestRevocation({ keyId: retiring.id, reason: 'again' }, adminA.id))).toBe('conflict');
    const identityRow = await db.key.findFirstOrThrow({ where: { purpose: 'identity' }, select: { id: true } });
    expect(await codeOf(requestRevocation({ keyId: identityRow.id, reason: 'not here' }, adminA.id))).toBe('invalid_input');
  });

  it('a rotated identity key works at once; the old one until the overlap ends', async () => {
    const next = generateKeyPair('ML-DSA-65');
    const old = await db.key.findFirstOrThrow({ where: { fingerprint: toHex(identityKey.keyId) }, select: { id: true } });
    const request = await requestRotation({ keyId: old.id, reason: 'admin', overlapSeconds: 30, algorithm: 'ML-DSA-65', publicKey: toBase64Url(next.publicKey) }, adminA.id);
    await decideRotation({ requestId: request.id, decision: 'approve', reason: 'ok' }, approverB);
    await store.rebuild(await bumpGatewayEpoch());
    expect(await store.channel.identities(next.keyId)).not.toBeNull();
    expect(await store.channel.identities(identityKey.keyId)).not.toBeNull();
    await runKeyMaintenance(new Date(Date.now() + 31_000));
    await store.rebuild();
    expect(await store.channel.identities(identityKey.keyId)).toBeNull();
    const row = await db.key.findUniqueOrThrow({ where: { id: old.id }, select: { state: true, retiredAt: true } });
    expect(row.state).toBe('retired');
  });

  it('requests a rotation for a key past its maximum age once, across concurrent runs', async () => {
    const ticket = await keyOf('ticket', 'gateway');
    await db.key.update({ where: { id: ticket.id }, data: { activatedAt: new Date(Date.now() - 40 * 86_400_000) } });
    const runs = await Promise.all([runKeyMaintenance(), runKeyMaintenance()]);
    expect(runs.flatMap((r) => r.requested)).toHaveLength(1);
    expect(await db.rotationRequest.count({ where: { oldKeyId: ticket.id, source: 'schedule', status: 'pending' } })).toBe(1);
    await runKeyMaintenance();
    expect(await db.rotationRequest.count({ where: { oldKeyId: ticket.id, source: 'schedule' } })).toBe(1);
  });

  it('lets the holder fill in a scheduled request for an identity key with pqgate rotate', async () => {
    const holder = generateKeyPair('ML-DSA-65');
    const identity = await db.identity.create({ data: { name: 'overdue-agent', owner: 'ops' } });
    const current = await db.key.create({
      data: { purpose: 'identity', owner: identity.id, identityId: identity.id, version: 1, state: 'active', algorithm: 'ML-DSA-65', fingerprint: toHex(holder.keyId), publicKey: new Uint8Array(holder.publicKey), maxAgeDays: 365, activatedAt: new Date(Date.now() - 400 * 86_400_000) },
    });
    const { requested } = await runKeyMaintenance();
    const scheduled = await db.rotationRequest.findFirstOrThrow({ where: { oldKeyId: current.id, source: 'schedule' }, select: { id: true, newKeyId: true } });
    expect(requested).toContain(scheduled.id);
    expect(scheduled.newKeyId).toBeNull();
    expect(await codeOf(decideRotation({ requestId: scheduled.id, decision: 'approve', reason: 'no key yet' }, approverB))).toBe('conflict');

    const next = generateKeyPair('ML-DSA-65');
    const filled = await submitClientRotation(createRotationProof({ oldKey: holder, newKey: next, reason: 'as scheduled', time: Date.now() }));
    expect(filled.requestId).toBe(scheduled.id);
    expect((await decideRotation({ requestId: scheduled.id, decision: 'approve', reason: 'ok' }, approverB)).outcome).toBe('completed');
    expect(await db.key.findUniqueOrThrow({ where: { fingerprint: toHex(next.keyId) }, select: { state: true } })).toEqual({ state: 'active' });
  });
});
