/**
 * Audit log appends through the real path (pseudonymise, hash, lock the log row, insert the
 * batch, extend the frontier, sign checkpoints) on a fresh embedded PGlite database.
 *
 *   npx tsx lib/bench/audit-db.bench.ts [events=20000] [batch=100]
 *   PQGATE_AUDIT_CHECKPOINT_EVENTS=1 npx tsx lib/bench/audit-db.bench.ts   # a checkpoint per batch
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const total = Number(process.argv[2] ?? 20_000);
const batch = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'pqgate-audit-bench-'));
process.env.PQGATE_DATA_DIR = dir;
process.env.PQGATE_SECRETS_FILE = join(dir, 'secrets.env');
(process.env as Record<string, string>).NODE_ENV = 'test'; // no tail timer: the bench ends with the database
delete process.env.DATABASE_URL;

const { closeDatabase, db, ensureMigrated } = await import('../db');
const { ensureGatewayKeys } = await import('../keys/gateway-keys');
const { appendAuditEventsTo } = await import('../audit/append-audit-event');
const { verifyAuditLog } = await import('../audit/verify-audit-log');
const { env } = await import('../env');

await ensureMigrated();
await ensureGatewayKeys();
const entry = (i: number) => ({
  actorType: 'identity' as const,
  actorId: `id-${i % 50}`,
  action: 'gateway.tools/call',
  targetType: 'tool',
  targetId: `clinic/read_chart`,
  decision: i % 7 === 0 ? ('deny' as const) : ('allow' as const),
  suite: 'X25519MLKEM768+ML-DSA-65',
  requestId: `req-${i}`,
  details: { code: 'ok', rule: 'floor', epoch: 3, transport: 'pq', latencyMs: 2 },
});
await appendAuditEventsTo(db, [entry(-1)]); // warm up: salt, signer, first checkpoint
const checkpointsBefore = await db.checkpoint.count();
const started = performance.now();
for (let i = 0; i < total; i += batch) await appendAuditEventsTo(db, Array.from({ length: Math.min(batch, total - i) }, (_, j) => entry(i + j)));
const seconds = (performance.now() - started) / 1000;
const checkpoints = (await db.checkpoint.count()) - checkpointsBefore;
const e = env();
console.log(`audit appends on PGlite: ${total} events in batches of ${batch}, checkpoint every ${e.PQGATE_AUDIT_CHECKPOINT_EVENTS} events / ${e.PQGATE_AUDIT_CHECKPOINT_SECONDS} s`);
console.log(`  ${Math.round(total / seconds).toLocaleString('en')} events/s  (${seconds.toFixed(2)} s, ${checkpoints} checkpoints signed; bar >= 5,000/s)`);
const v0 = performance.now();
const v = await verifyAuditLog(db);
console.log(`  verify now: ${v.eventCount} events, ${v.checkpointCount} checkpoints, ${v.valid ? 'intact' : 'TAMPERED'} in ${((performance.now() - v0) / 1000).toFixed(2)} s`);
// The Audit page's queries over the events just written (bar: pages answer in < 300 ms).
const { listAuditEvents } = await import('../data/list-audit-events');
const admin = { id: 'bench', email: 'bench@example.test', name: 'Bench', role: 'admin' as const };
const filters = { newest: {}, 'by action (rare)': { action: 'users.create' }, 'by actor': { actor: 'id-7' }, 'by decision': { decision: 'deny' as const }, 'time range': { from: new Date(Date.now() - 3_600_000), to: new Date() }, 'page 200 deep': { before: Math.floor(total / 2) } };
for (const [name, filter] of Object.entries(filters)) {
  await listAuditEvents(admin, filter);
  const t = performance.now();
  await listAuditEvents(admin, filter);
  console.log(`  list ${name}: ${(performance.now() - t).toFixed(0)} ms`);
}
await closeDatabase();
rmSync(dir, { recursive: true, force: true });
