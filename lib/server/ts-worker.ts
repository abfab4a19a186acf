import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a TypeScript module, loaded through tsx as server.ts is. Node 20
 * does not apply an `--import tsx` in a worker's execArgv to the worker's own entry file, so the
 * worker's first lines register tsx's loader and then import the module.
 */
export function spawnTsWorker(module: URL): Worker {
  // tsx's ESM API (its file in tsx 4's package layout), located from this module so the worker
  // does not depend on the working directory.
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(require('node:worker_threads').workerData.thread); });`;
  return new Worker(boot, { eval: true, workerData: { thread: module.href } });
}
