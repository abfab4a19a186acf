/**
 * Audit log benchmark, beside the bars of issue 8:
 *   - appends/s in batches: canonical JSON + RFC 9162 leaf hash + frontier and tree append
 *     (the pure core the app runs per batch), with and without a signed checkpoint per batch;
 *   - offline verification of a 1,000,000-event bundle generated here: every leaf recomputed
 *     from its fields, the tree rebuilt, every checkpoint's ML-DSA signature and root checked.
 * Rates are per second of this process's CPU time, like the crypto bench.
 * Run: npx tsx gateway/bench/audit.bench.ts   (AUDIT_BENCH_EVENTS=… to change the 1M)
 */
import { performance } from 'node:perf_hooks';
import { generateKeyPair } from '../channel';
import { getCryptoProvider } from '../crypto';
import {
  auditEventLeafHash,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  createNoteSigner,
  formatVerifierKey,
  MerkleFrontier,
  MerkleTree,
  signCheckpoint,
  toBase64,
  verifyBundle,
  type AuditBundle,
  type BundleEvent,
} from '../audit';

const EVENTS = Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
const CHECKPOINT_EVERY = 10_000;
const BARS = { appendsPerSecond: 5_000, verifySeconds: 30 };
const ORIGIN = 'pqgate.bench/audit';
const signer = createNoteSigner(ORIGIN, generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(1) }));

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A realistic gateway decision event (about 250 bytes of canonical JSON). */
function event(i: number): Record<string, unknown> {
  return {
    actorType: 'gateway',
    actorId: 'gw-1',
    action: 'tools/call',
    targetType: 'tool',
    targetId: `ehr.read_chart#${i % 977}`,
    decision: i % 13 === 0 ? 'deny' : 'allow',
    suite: 'X-Wing',
    requestId: `req-${i.toString(36)}`,
    details: { floor: 'ML-KEM-768', upstream: 'clinic-records', latencyMs: i % 50 },
    time: new Date(1_767_225_600_000 + i * 10).toISOString(),
  };
}

/** Appends `total` events in batches; returns appends per CPU second. */
function appendRate(batch: number, total: number, checkpoint: boolean): number {
  const frontier = MerkleFrontier.empty();
  const tree = new MerkleTree();
  const start = cpuMs();
  for (let b = 0; b < total; b += batch) {
    const hashes = [];
    for (let i = b; i < b + batch; i++) hashes.push(auditEventLeafHash(event(i)));
    frontier.appendAll(hashes);
    tree.appendLeafHashes(hashes);
    if (checkpoint) signCheckpoint({ origin: ORIGIN, size: frontier.size, rootHash: frontier.root() }, [signer]);
  }
  return total / ((cpuMs() - start) / 1000);
}

function buildBundle(n: number): AuditBundle {
  const frontier = MerkleFrontier.empty();
  const events: BundleEvent[] = new Array(n);
  const checkpoints: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = event(i);
    const h = auditEventLeafHash(e);
    events[i] = { seq: i, event: e, leafHash: toBase64(h) };
    frontier.append(h);
    if ((i + 1) % CHECKPOINT_EVERY === 0 || i === n - 1) checkpoints.push(signCheckpoint({ origin: ORIGIN, size: frontier.size, rootHash: frontier.root() }, [signer]));
  }
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, origin: ORIGIN, keys: [formatVerifierKey(signer.key)], checkpoints, events };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const row = (what: string, value: string, bar: string, ok: boolean) => console.log(`${what.padEnd(52)}${value.padStart(14)}${bar.padStart(14)}  ${ok ? 'ok' : 'BELOW BAR'}`);

function main(): void {
  console.log(`pqgate audit bench — Node ${process.versions.node}, provider ${getCryptoProvider().name}, ${fmt(EVENTS)} events`);
  console.log(`\n${'measure'.padEnd(52)}${'value'.padStart(14)}${'bar'.padStart(14)}  verdict`);
  appendRate(100, 2_000, false); // warm-up
  for (const batch of [100, 1_000]) {
    const r = appendRate(batch, 50_000, false);
    row(`appends/s, batches of ${fmt(batch)} (canonical+leaf+tree)`, fmt(r), `>= ${fmt(BARS.appendsPerSecond)}`, r >= BARS.appendsPerSecond);
  }
  for (const batch of [100, 1_000]) {
    const r = appendRate(batch, batch * 20, true);
    row(`appends/s, batches of ${fmt(batch)} + signed checkpoint`, fmt(r), '(info)', true);
  }

  const t0 = performance.now();
  const bundle = buildBundle(EVENTS);
  const built = (performance.now() - t0) / 1000;
  row(`generate ${fmt(EVENTS)} events + ${bundle.checkpoints.length} checkpoints (s)`, built.toFixed(1), '(info)', true);

  const t1 = performance.now();
  const result = verifyBundle(bundle, { trustedKeys: [signer.key] });
  const seconds = (performance.now() - t1) / 1000;
  if (!result.valid) throw new Error(`bench bundle did not verify: ${result.firstBad?.message}`);
  row(`verify ${fmt(EVENTS)} events, ${result.checkpointCount} checkpoints (s, wall)`, seconds.toFixed(1), `<= ${BARS.verifySeconds}`, seconds <= BARS.verifySeconds * (EVENTS / 1_000_000));
  row('  = events verified per second', fmt(EVENTS / seconds), '', true);
}

main();
