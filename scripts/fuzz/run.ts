/**
 * `npm run fuzz`: at least 1,000,000 generated and mutated inputs across the channel wire
 * parser, the JSON-RPC body reader and parsers, the policy YAML parser, the audit bundle
 * verifier and the trust bundle (docs/security.md, "Fuzzing"). Shards run on one worker thread
 * per core; a watchdog ends a thread whose input overruns its time budget (a hang) and a thread
 * that dies (a fatal error, out of memory) counts as a crash; the run goes on after the input.
 * Every crashing or hanging input is saved to a file, whose path is printed. Exit status 1
 * unless the bar is met: zero crashes and zero hangs.
 *
 * Usage: npm run fuzz -- [--seed N] [--scale F] [--target NAME] [--budget MS] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { inputAt, type ShardResult } from './engine';
import { TARGETS } from './targets';
import type { FuzzTarget } from './target';
import type { ShardJob } from './worker';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    scale: { type: 'string', default: '1' },
    target: { type: 'string' },
    budget: { type: 'string', default: '2000' },
    out: { type: 'string', default: '.fuzz/crashes' },
  },
});
const seed = Number(values.seed);
const scale = Number(values.scale);
const budgetMs = Number(values.budget);
if (!Number.isSafeInteger(seed) || !(scale > 0) || !(budgetMs > 0)) {
  console.error('fuzz: --seed must be an integer, --scale and --budget positive numbers');
  process.exit(2);
}
const targets = TARGETS.filter((t) => !values.target || t.name.toLowerCase().includes(values.target.toLowerCase()));
if (!targets.length) {
  console.error(`fuzz: no target matches "${values.target}"; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
const outDir = resolve(values.out!);

interface Tally {
  inputs: number;
  ms: number;
  outcomes: Map<string, number>;
  crashes: number;
  hangs: number;
  saved: string[];
}
const tallies = new Map<string, Tally>(targets.map((t) => [t.name, { inputs: 0, ms: 0, outcomes: new Map(), crashes: 0, hangs: 0, saved: [] }]));

/** Saves input `index` of `target` (rebuilt from the seed alone) and returns its path. */
function save(target: FuzzTarget, index: number, why: string): string {
  mkdirSync(outDir, { recursive: true });
  const input = inputAt(target, seed, index);
  const path = join(outDir, `${target.name.replace(/\W+/g, '-')}-seed${seed}-${index}.${input.variant}.bin`);
  writeFileSync(path, input.bytes);
  console.log(`  ${why}: ${target.name} input ${index} saved to ${path}`);
  return path;
}

// Shards small enough to spread every target over the threads, large enough to be cheap.
const queue: ShardJob[] = targets.flatMap((t) => {
  const count = Math.max(1, Math.round(t.count * scale));
  const size = Math.max(200, Math.ceil(count / 12));
  const jobs: ShardJob[] = [];
  for (let from = 0; from < count; from += size) jobs.push({ target: t.name, seed, from, to: Math.min(count, from + size), budgetMs });
  return jobs;
});

const WORKER_URL = new URL('./worker.ts', import.meta.url).href;
const WORKER_BOOT = `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(require('node:worker_threads').workerData.url))`;

/** One worker thread and its watchdog: the input it is on, and since when. */
function runWorker(): Promise<void> {
  return new Promise((done) => {
    const progress = new SharedArrayBuffer(4);
    const current = new Int32Array(progress);
    // tsx registers its loader on the main thread only; the worker registers it for itself.
    const worker = new Worker(WORKER_BOOT, { eval: true, workerData: { progress, url: WORKER_URL }, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    let job: ShardJob | undefined;
    let seen = -1;
    let since = performance.now();
    let finished = false;
    let replaced = false;
    let ready = false;
    const next = () => {
      job = queue.shift();
      if (!job) return void worker.terminate().then(() => finish());
      Atomics.store(current, 0, job.from);
      seen = -1;
      worker.postMessage(job);
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      done();
    };
    /** The thread is gone mid-shard: count what it was on, and go on after it in a new thread. */
    const lost = (kind: 'crash' | 'hang', why: string) => {
      if (!job) return;
      if (!ready) {
        // Not an input's fault: the thread could not load the fuzzer at all.
        console.error(`fuzz: a worker thread failed to start: ${why}`);
        process.exit(2);
      }
      const index = Atomics.load(current, 0);
      const target = targets.find((t) => t.name === job!.target)!;
      const tally = tallies.get(target.name)!;
      // The inputs before `index` ran, but their tallies died with the thread: run them again.
      queue.unshift(...(index > job.from ? [{ ...job, to: index }] : []), ...(index + 1 < job.to ? [{ ...job, from: index + 1 }] : []));
      tally.inputs++;
      if (kind === 'crash') tally.crashes++;
      else tally.hangs++;
      tally.outcomes.set(kind === 'crash' ? 'CRASH thread died' : 'HANG', (tally.outcomes.get(kind === 'crash' ? 'CRASH thread died' : 'HANG') ?? 0) + 1);
      tally.saved.push(save(target, index, `${kind} (${why})`));
      job = undefined;
      replaced = true;
      clearInterval(watchdog);
      void worker.terminate();
      void runWorker().then(finish);
    };
    const watchdog = setInterval(() => {
      const index = Atomics.load(current, 0);
      if (index !== seen) return void ((seen = index), (since = performance.now()));
      // Loading the targets in a new thread takes a while: the clock starts once it is ready.
      if (ready && job && performance.now() - since > budgetMs + 1000) lost('hang', `no answer within ${budgetMs} ms`);
    }, 100);
    worker.on('message', (r: ShardResult | 'ready') => {
      if (r === 'ready') return void ((ready = true), (since = performance.now()));
      const target = targets.find((t) => t.name === job!.target)!;
      const tally = tallies.get(target.name)!;
      tally.inputs += r.inputs;
      tally.ms += r.ms;
      for (const [k, n] of Object.entries(r.outcomes)) tally.outcomes.set(k, (tally.outcomes.get(k) ?? 0) + n);
      tally.crashes += Object.entries(r.outcomes).filter(([k]) => k.startsWith('CRASH')).reduce((a, [, n]) => a + n, 0);
      tally.hangs += r.hangs.length;
      for (const c of r.crashes) {
        console.log(`  crash: ${c.error}\n${c.stack ?? ''}`);
        tally.saved.push(save(target, c.index, 'crash'));
      }
      for (const h of r.hangs) tally.saved.push(save(target, h.index, `hang (${Math.round(h.ms)} ms, budget ${budgetMs} ms)`));
      next();
    });
    worker.on('error', (e) => !replaced && lost('crash', `${e.name}: ${e.message}`));
    worker.on('exit', (code) => {
      if (replaced) return;
      if (job) lost('crash', `thread exited with ${code}`);
      else finish();
    });
    next();
  });
}

const threads = Math.max(1, Math.min(availableParallelism(), queue.length));
console.log(`fuzz: ${queue.reduce((n, j) => n + j.to - j.from, 0).toLocaleString('en')} inputs, ${targets.length} targets, seed ${seed}, ${threads} threads, budget ${budgetMs} ms per input`);
const started = performance.now();
await Promise.all(Array.from({ length: threads }, runWorker));
const wallMs = performance.now() - started;

const rows = [...tallies].map(([name, t]) => ({ name, ...t, rate: t.ms ? (t.inputs / t.ms) * 1000 : 0 }));
const total = rows.reduce((a, r) => ({ inputs: a.inputs + r.inputs, outcomes: a.outcomes + r.outcomes.size, crashes: a.crashes + r.crashes, hangs: a.hangs + r.hangs }), { inputs: 0, outcomes: 0, crashes: 0, hangs: 0 });
const n = (v: number) => Math.round(v).toLocaleString('en');
console.log('\ntarget            inputs   inputs/s  outcomes  crashes  hangs');
for (const r of rows) console.log(`${r.name.padEnd(16)}${n(r.inputs).padStart(8)}${n(r.rate).padStart(11)}${String(r.outcomes.size).padStart(10)}${String(r.crashes).padStart(9)}${String(r.hangs).padStart(7)}`);
console.log(`${'total'.padEnd(16)}${n(total.inputs).padStart(8)}${n((total.inputs / wallMs) * 1000).padStart(11)}${String(total.outcomes).padStart(10)}${String(total.crashes).padStart(9)}${String(total.hangs).padStart(7)}`);
console.log(`(per target: inputs/s on one thread; total: over the ${(wallMs / 1000).toFixed(1)} s wall clock on ${threads} threads)`);
const met = total.crashes === 0 && total.hangs === 0;
console.log(met ? `bar met: zero crashes and zero hangs in ${n(total.inputs)} inputs` : `bar NOT met: ${total.crashes} crashes and ${total.hangs} hangs in ${n(total.inputs)} inputs; inputs saved under ${outDir}`);
process.exit(met ? 0 : 1);
