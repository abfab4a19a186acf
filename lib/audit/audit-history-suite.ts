/**
 * The promise "audit history cannot be rolled back or rewritten unnoticed", against a database
 * writer, on the embedded database and on PostgreSQL (imported by audit-history.*.test.ts,
 * which set up the database, a real witness over HTTP, and the environment first).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { auditEventLeafHash, checkCosignature, formatAddCheckpoint, MerkleFrontier, parseVerifierKey, verifyBundle, type Cosigner } from '@/gateway/audit';

const { db } = await import('../db');
const { appendAuditEventsTo } = await import('./append-audit-event');
const { checkpointAuditLog } = await import('./checkpoint-audit-log');
const { auditBundleStream } = await import('./audit-bundle');
const { verifyAuditLog } = await import('./verify-audit-log');
const { witnessCheckpoint } = await import('./witness-checkpoint');
const { clearSigningRefusal, currentSigningRefusal } = await import('./history-alarm');
const { reloadSignerState, signerStateFile } = await import('./signer-state');
const { getAuditVerifierKeys } = await import('../data/get-audit-verifier-keys');
const { getAuditSigningStatus } = await import('../data/get-audit-signing-status');
const auditor = { id: 'u-auditor', email: 'auditor@example.test', name: 'Auditor', role: 'auditor' as const };

const sql = (text: string) => db.$executeRawUnsafe(text);

async function append(n: number, tag: string) {
  await appendAuditEventsTo(db, Array.from({ length: n }, (_, i) => ({ actorType: 'gateway' as const, actorId: 'gw', action: 'gateway.tools/call', decision: 'allow' as const, details: { tag, i } })));
}

async function bundle(): Promise<unknown> {
  return JSON.parse(await new Response(auditBundleStream(db)).text());
}

async function gatewayKeys() {
  return (await getAuditVerifierKeys()).keys.map((k) => parseVerifierKey(k));
}

/** What the database writer does after rewriting rows: the log row's size and frontier made to match them. */
async function recomputeFrontier() {
  const rows = await db.auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { leafHash: true } });
  const frontier = MerkleFrontier.empty();
  frontier.appendAll(rows.map((r) => new Uint8Array(r.leafHash)));
  await db.auditLog.update({ where: { id: 1 }, data: { size: BigInt(frontier.size), frontier: frontier.toJSON() as object } });
}

async function rehash(seq: number) {
  const { seq: _s, leafHash: _h, ...fields } = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(seq) } });
  await db.auditEvent.update({ where: { seq: BigInt(seq) }, data: { leafHash: new Uint8Array(auditEventLeafHash(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)))) } });
}

const newestCheckpointSize = async () => Number((await db.checkpoint.findFirst({ orderBy: { treeSize: 'desc' }, select: { treeSize: true } }))?.treeSize ?? 0);

/** Registers the suite; `witness` is the witness the gateway is configured with (PQGATE_AUDIT_WITNESS_*), `witnessUrl` where it listens. */
export function auditHistorySuite(witness: { cosigner: Cosigner; url: () => string }): void {
  it('keeps the last signed checkpoint outside the database, and the witness cosigns each one', async () => {
    await append(12, 'first');
    const latest = (await checkpointAuditLog(db))!;
    const cosigned = (await witnessCheckpoint(db, latest))!;
    expect(checkCosignature(cosigned, witness.cosigner.key).ok).toBe(true);
    // The state file keeps the signer's own note; the stored one may already carry the witness's
    // cosignature (the background submission can win the race), so the signed body is compared.
    const state = JSON.parse(readFileSync(signerStateFile(), 'utf8')) as { size: number; note: string };
    expect(state.size).toBe(latest.size);
    expect(state.note.split('\n\n')[0]).toBe(latest.note.split('\n\n')[0]);
    // The bundle's newest checkpoint carries the cosignature, stored with the checkpoint.
    const r = verifyBundle(await bundle(), { trustedKeys: await gatewayKeys(), witnesses: [witness.cosigner.key] });
    expect(r.problems).toEqual([]);
    expect(r.cosignedBy).toEqual([witness.cosigner.key.name]);
  });

  it('refuses to sign while its state file is damaged (fail closed), and signs again once it is restored', async () => {
    const file = signerStateFile();
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace(/"size": \d+/, '"size": 1'));
    reloadSignerState();
    await append(4, 'damaged-state');
    await checkpointAuditLog(db);
    expect(currentSigningRefusal()).toMatchObject({ kind: 'state_unreadable' });
    expect(currentSigningRefusal()!.message).toMatch(/state file .* is damaged/);
    writeFileSync(file, good);
    reloadSignerState();
    clearSigningRefusal();
    await checkpointAuditLog(db);
    expect(currentSigningRefusal()).toBeUndefined();
    await db.alert.update({ where: { dedupKey: 'audit_history_rewritten' }, data: { status: 'resolved' } });
  });

  it('keeps signing when a writer raises the stored checkpoint size to stop it', async () => {
    await db.auditLog.update({ where: { id: 1 }, data: { checkpointSize: BigInt(1_000_000) } });
    await append(3, 'suppressed');
    const size = Number((await db.auditLog.findUniqueOrThrow({ where: { id: 1 } })).size);
    expect((await checkpointAuditLog(db))?.size).toBe(size);
    expect(await newestCheckpointSize()).toBe(size);
  });

  it('refuses to sign after a row is edited and every hash recomputed, raises the alert, and resumes once it is restored', async () => {
    await append(6, 'before-edit');
    const signed = (await checkpointAuditLog(db))!.size;
    const K = 3;
    const original = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(K) }, select: { actorId: true } });
    await sql(`UPDATE "AuditEvent" SET "actorId" = 'mallory' WHERE "seq" = ${K}`);
    await rehash(K);
    await recomputeFrontier();
    await append(3, 'after-edit');
    await checkpointAuditLog(db);
    expect(await newestCheckpointSize()).toBe(signed);
    expect(currentSigningRefusal()).toMatchObject({ kind: 'rewrite', signedSize: signed, size: signed + 3 });
    const alert = await db.alert.findUniqueOrThrow({ where: { dedupKey: 'audit_history_rewritten' } });
    expect(alert).toMatchObject({ kind: 'audit_history_rewritten', severity: 'critical', status: 'open' });
    expect(alert.title).toMatch(/rewritten/);
    // "Verify now" locates the edit between the checkpoints around it.
    const now = await verifyAuditLog(db);
    expect(now.valid).toBe(false);
    const bad = now.firstBad!;
    expect(bad.range ? bad.range[0] <= K && K < bad.range[1] : bad.seq === K).toBe(true);
    // Restored (from a backup, say): signing resumes with the next check.
    await db.auditEvent.update({ where: { seq: BigInt(K) }, data: { actorId: original.actorId } });
    await rehash(K);
    await recomputeFrontier();
    clearSigningRefusal();
    const resumed = (await checkpointAuditLog(db))!;
    expect(resumed.size).toBeGreaterThanOrEqual(signed + 3);
    expect(currentSigningRefusal()).toBeUndefined();
    expect((await verifyAuditLog(db)).valid).toBe(true);
  });

  it('refuses to sign a rolled-back log; with the state lost, the witness refuses it (409) and the saved checkpoint proves it', async () => {
    await append(5, 'before-rollback');
    const saved = (await checkpointAuditLog(db))!;
    await witnessCheckpoint(db, saved);
    const n = saved.size;
    const m = n - 7;
    // The writer deletes the tail, the checkpoints over it, and resets the log row to size m.
    await sql(`DELETE FROM "AuditEvent" WHERE "seq" >= ${m}`);
    await sql(`DELETE FROM "Checkpoint" WHERE "treeSize" > ${m}`);
    await recomputeFrontier();
    await db.auditLog.update({ where: { id: 1 }, data: { checkpointSize: BigInt(await newestCheckpointSize()) } });
    await append(2, 'after-rollback');
    const latest = await checkpointAuditLog(db);
    expect(latest?.size ?? 0).toBeLessThanOrEqual(m);
    expect(await db.checkpoint.count({ where: { treeSize: { gt: BigInt(m) } } })).toBe(0);
    expect(currentSigningRefusal()).toMatchObject({ kind: 'rollback', signedSize: n, size: m + 2 });
    expect((await db.alert.findUniqueOrThrow({ where: { dedupKey: 'audit_history_rewritten' } })).details).toMatchObject({ refusal: 'rollback', signedSize: n });
    // What the Audit page shows.
    const status = await getAuditSigningStatus(auditor);
    expect(status).toMatchObject({ refusal: { kind: 'rollback', signedSize: n }, alert: { status: 'open' }, signedSize: n });
    expect(status.refusal!.message).toMatch(new RegExp(`this signer last signed ${n} events, the database now holds ${m + 2}`));

    // Trust on first use, its limit: the state file is lost, the signer signs what it finds...
    rmSync(signerStateFile());
    reloadSignerState();
    clearSigningRefusal();
    const resigned = (await checkpointAuditLog(db))!;
    expect(resigned.size).toBeGreaterThan(m);
    expect(existsSync(signerStateFile())).toBe(true);
    // ...but the witness remembers n: it answers 409 with its size, and the gateway raises the alert.
    expect(await witnessCheckpoint(db, resigned)).toBeUndefined();
    expect(currentSigningRefusal()).toMatchObject({ kind: 'rollback', signedSize: n });
    const raw = await fetch(`${witness.url()}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize: resigned.size, proof: [], note: resigned.note }) });
    expect([raw.status, raw.headers.get('content-type'), await raw.text()]).toEqual([409, 'text/x.tlog.size', `${n}\n`]);
    // And the auditor who saved checkpoint n proves the rollback offline.
    const r = verifyBundle(await bundle(), { trustedKeys: await gatewayKeys(), since: { note: saved.note }, witnesses: [witness.cosigner.key] });
    expect(r.valid).toBe(false);
    expect(r.firstBad).toMatchObject({ kind: 'rollback' });
    expect(r.firstBad!.message).toMatch(new RegExp(`saved checkpoint covers ${n} events`));
    expect(r.problems.map((p) => p.kind)).toContain('missing_cosignature');
  });
}
