/**
 * A fuzz worker thread: runs the shards the main thread sends, telling it through shared memory
 * which input it is on, so the main thread can see one that never returns and end the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runShard } from './engine';
import { TARGETS } from './targets';

export interface ShardJob {
  readonly target: string;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  readonly budgetMs: number;
}

const current = new Int32Array(workerData.progress as SharedArrayBuffer);
parentPort!.on('message', async (job: ShardJob) => {
  const target = TARGETS.find((t) => t.name === job.target)!;
  const result = await runShard(target, job.seed, job.from, job.to, job.budgetMs, (i) => Atomics.store(current, 0, i));
  parentPort!.postMessage(result);
});
parentPort!.postMessage('ready');
