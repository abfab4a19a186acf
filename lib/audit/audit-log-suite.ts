/**
 * Test suite shared by the embedded and PostgreSQL runs of the audit log (imported by
 * audit-log.pglite.test.ts and audit-log.postgres.test.ts, which set up the database first).
 */
import { expect, it } from 'vitest';
import { auditEventLeafHash, openCheckpoint, parseVerifierKey, verifyBundle, type AuditProblem } from '@/gateway/audit';
import type { PrismaClient } from '../db';

const { db } = await import('../db');
const { appendAuditEventsTo } = await import('./append-audit-event');
const { verifyAuditLog } = await import('./verify-audit-log');
const { auditBundleStream } = await import('./audit-bundle');
const { getAuditVerifierKeys } = await import('../data/get-audit-verifier-keys');
const { auditLogContext } = await import('./audit-log-state');
const { pseudonym } = await import('./pseudonymize');

/** True when a problem points at `seq` exactly or names a range that holds it. */
function locates(p: AuditProblem | undefined, seq: number): boolean {
  if (!p) return false;
  if (p.range) return p.range[0] <= seq && seq < p.range[1];
  return p.seq === seq;
}

async function exportedBundle(): Promise<unknown> {
  return JSON.parse(await new Response(auditBundleStream(db)).text());
}

async function offlineCheck() {
  const { keys } = await getAuditVerifierKeys();
  return verifyBundle(await exportedBundle(), { trustedKeys: keys.map((k) => parseVerifierKey(k)) });
}

const sql = (text: string) => db.$executeRawUnsafe(text);

/** Both checks must find the log intact. */
async function expectIntact() {
  const now = await verifyAuditLog(db);
  expect(now.problems).toEqual([]);
  expect(now.valid).toBe(true);
  const offline = await offlineCheck();
  expect(offline.problems).toEqual([]);
  expect(offline.uncovered).toBe(0);
}

/** Registers the suite; `writers` gives one client per concurrent writer (own pools on PostgreSQL). */
export function auditLogSuite(writers: () => Promise<PrismaClient[]>): void {
  it('numbers events from 0 without gaps, pseudonymises sensitive fields and signs checkpoints', async () => {
    const before = await db.auditEvent.count();
    const first = await appendAuditEventsTo(db, [
      { actorType: 'system', actorId: '203.0.113.9', action: 'auth.sign_in_failed', targetType: 'user', targetId: 'Victim@Example.test', decision: 'refused' },
      { actorType: 'user', actorId: 'u1', action: 'api_tokens.issue', decision: 'ok', details: { prefix: 'pqg_abcd', ip: '203.0.113.9', password: 'hunter2hunter2', generatedPassword: true } },
    ]);
    expect(first).toMatchObject({ firstSeq: before, size: before + 2 });
    const all = await db.auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(all.map((r) => Number(r.seq))).toEqual(Array.from({ length: before + 2 }, (_, i) => i));
    const rows = all.slice(before);
    const { salt } = await auditLogContext(db);
    expect(rows[0]).toMatchObject({ actorId: pseudonym(salt, 'ip', '203.0.113.9'), targetId: pseudonym(salt, 'email', 'victim@example.test') });
    expect(rows[1]!.details).toEqual({ prefix: pseudonym(salt, 'token_prefix', 'pqg_abcd'), ip: pseudonym(salt, 'ip', '203.0.113.9'), password: '[redacted]', generatedPassword: true });
    expect(JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toMatch(/203\.0\.113|Example\.test|pqg_abcd|hunter2/i);
    // What is stored is what was hashed.
    const { seq: _s, leafHash, ...fields } = rows[1]!;
    expect(Buffer.from(auditEventLeafHash(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)))).equals(Buffer.from(leafHash))).toBe(true);
    const { origin, keys } = await getAuditVerifierKeys();
    const checkpoint = await db.checkpoint.findFirstOrThrow({ orderBy: { treeSize: 'desc' } });
    expect(openCheckpoint(checkpoint.note, keys.map((k) => parseVerifierKey(k)), { origin }).checkpoint.size).toBe(Number(checkpoint.treeSize));
    await expectIntact();
  });

  it('never forks the tree with 4 writers appending in parallel', async () => {
    const clients = await writers();
    const before = await db.auditEvent.count();
    await Promise.all(
      clients.map(async (client, w) => {
        for (let b = 0; b < 15; b++) {
          await appendAuditEventsTo(client, Array.from({ length: 1 + ((w + b) % 4) }, (_, i) => ({ actorType: 'gateway' as const, actorId: `writer-${w}`, action: 'gateway.tools/call', decision: 'allow' as const, details: { b, i } })));
        }
      }),
    );
    const seqs = (await db.auditEvent.findMany({ select: { seq: true }, orderBy: { seq: 'asc' } })).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
    expect(seqs.length).toBe(before + clients.length * (15 * 10) / 4);
    expect(Number((await db.auditLog.findUniqueOrThrow({ where: { id: 1 } })).size)).toBe(seqs.length);
    expect(await db.checkpoint.count()).toBeGreaterThan(10);
    await expectIntact();
  });

  const K = 7;

  it('detects and locates an edited row', async () => {
    const original = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(K) }, select: { actorId: true } });
    await sql(`UPDATE "AuditEvent" SET "actorId" = 'mallory' WHERE "seq" = ${K}`);
    const now = await verifyAuditLog(db);
    expect(now.firstBad).toMatchObject({ kind: 'leaf_hash_mismatch', seq: K });
    expect((await offlineCheck()).firstBad).toMatchObject({ kind: 'leaf_hash_mismatch', seq: K });
    // Re-hashing the edited row does not help: the signed roots no longer match.
    const row = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(K) } });
    const { seq: _s, leafHash: _h, ...fields } = row;
    const forged = Buffer.from(auditEventLeafHash(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)))).toString('hex');
    await sql(`UPDATE "AuditEvent" SET "leafHash" = '\\x${forged}' WHERE "seq" = ${K}`);
    expect(locates((await verifyAuditLog(db)).firstBad, K)).toBe(true);
    expect(locates((await offlineCheck()).firstBad, K)).toBe(true);
    await db.auditEvent.update({ where: { seq: BigInt(K) }, data: { actorId: original.actorId } });
    const fixed = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(K) } });
    const { seq: _s2, leafHash: _h2, ...f2 } = fixed;
    await db.auditEvent.update({ where: { seq: BigInt(K) }, data: { leafHash: new Uint8Array(auditEventLeafHash(Object.fromEntries(Object.entries(f2).filter(([, v]) => v !== null)))) } });
    await expectIntact();
  });

  it('detects and locates a deleted row, in the middle and at the end', async () => {
    const row = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(K) } });
    await db.auditEvent.delete({ where: { seq: BigInt(K) } });
    expect((await verifyAuditLog(db)).firstBad).toMatchObject({ kind: 'sequence_mismatch', seq: K });
    expect((await offlineCheck()).firstBad).toMatchObject({ kind: 'sequence_mismatch', seq: K });
    await db.auditEvent.create({ data: row as never });
    const last = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    await db.auditEvent.delete({ where: { seq: last.seq } });
    expect((await verifyAuditLog(db)).firstBad).toMatchObject({ kind: 'missing_events', seq: Number(last.seq) });
    expect((await offlineCheck()).firstBad).toMatchObject({ kind: 'missing_events', seq: Number(last.seq) });
    await db.auditEvent.create({ data: last as never });
    await expectIntact();
  });

  it('detects and locates an inserted row, in the middle and at the end', async () => {
    const size = await db.auditEvent.count();
    const forgedEvent = { time: new Date(), actorType: 'user', actorId: 'mallory', action: 'users.create', details: {} };
    const leafHash = new Uint8Array(auditEventLeafHash(forgedEvent));
    // In the middle: later rows renumbered to make room, every stored hash consistent.
    await sql(`UPDATE "AuditEvent" SET "seq" = -2 - "seq" WHERE "seq" >= ${K}`);
    await sql(`UPDATE "AuditEvent" SET "seq" = -1 - "seq" WHERE "seq" < 0`);
    await db.auditEvent.create({ data: { seq: BigInt(K), ...forgedEvent, leafHash } });
    const now = await verifyAuditLog(db);
    expect(now.valid).toBe(false);
    expect(locates(now.firstBad, K)).toBe(true);
    expect(now.problems.some((p) => p.kind === 'sequence_mismatch' && p.seq === size)).toBe(true);
    const offline = await offlineCheck();
    expect(offline.valid).toBe(false);
    expect(locates(offline.firstBad, K)).toBe(true);
    await db.auditEvent.delete({ where: { seq: BigInt(K) } });
    await sql(`UPDATE "AuditEvent" SET "seq" = -"seq" WHERE "seq" > ${K}`);
    await sql(`UPDATE "AuditEvent" SET "seq" = -"seq" - 1 WHERE "seq" < 0`);
    await expectIntact();
    // At the end: a row no append wrote (the bundle stops at the signed size; verify-now sees it).
    await db.auditEvent.create({ data: { seq: BigInt(size), ...forgedEvent, leafHash } });
    expect((await verifyAuditLog(db)).firstBad).toMatchObject({ kind: 'sequence_mismatch', seq: size });
    await db.auditEvent.delete({ where: { seq: BigInt(size) } });
    await expectIntact();
  });

  it('detects and locates reordered rows', async () => {
    const a = K;
    const b = K + 20;
    await sql(`UPDATE "AuditEvent" SET "seq" = -1 WHERE "seq" = ${a}`);
    await sql(`UPDATE "AuditEvent" SET "seq" = ${a} WHERE "seq" = ${b}`);
    await sql(`UPDATE "AuditEvent" SET "seq" = ${b} WHERE "seq" = -1`);
    const now = await verifyAuditLog(db);
    expect(now.firstBad?.kind).toBe('root_mismatch');
    expect(locates(now.firstBad, a)).toBe(true);
    const offline = await offlineCheck();
    expect(locates(offline.firstBad, a)).toBe(true);
    await sql(`UPDATE "AuditEvent" SET "seq" = -1 WHERE "seq" = ${a}`);
    await sql(`UPDATE "AuditEvent" SET "seq" = ${a} WHERE "seq" = ${b}`);
    await sql(`UPDATE "AuditEvent" SET "seq" = ${b} WHERE "seq" = -1`);
    await expectIntact();
  });
}
