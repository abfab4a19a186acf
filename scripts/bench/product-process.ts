/**
 * The product as `npm start` runs it, for the product rows of `npm run bench:gateway`: server.ts
 * (Next.js with the gateway mounted ahead of its router) in production mode on a fresh embedded
 * database (PGlite, in a temporary folder), with the upstream, identity, API token and key the
 * bench names registered through the console's own lib functions. Traffic events and the audit
 * log are written as in production. Builds the console first if the build is stale.
 *
 * Prints `pqgate-bench token <token>`, the server's pid (for its CPU time) and then
 * `pqgate-bench product listening on <origin>`;
 * SIGTERM stops the server (which flushes its traffic batch) and removes the folder.
 * Usage: tsx scripts/bench/product-process.ts --upstream <slug>=<url> --identity <algorithm>:<hex public key>
 *
 * With BENCH_DATABASE_URL (a PostgreSQL server the bench may create databases on) the product runs
 * on a fresh database there instead, as a production deployment would, and drops it at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from '../../lib/db/fresh-postgres';
import { ensureLocalSecrets } from '../../lib/local-secrets';
import { buildIfNeeded } from '../build-if-needed';

const root = join(import.meta.dirname, '../..');
const tsx = (script: string, args: string[]) => [process.execPath, ['--import', 'tsx', join(root, script), ...args]] as [string, string[]];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pqgate-bench-product-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  PQGATE_DATA_DIR: dir,
  PQGATE_SECRETS_FILE: join(dir, 'secrets.env'),
  PQGATE_DEMO: '0',
  ADMIN_EMAIL: 'bench@pqgate.local',
  ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
};
// Never the caller's own database: the product gets a fresh one (PGlite here, or one created below).
delete env.DATABASE_URL;
ensureLocalSecrets(env);
// First the build (it exits on failure), then the database, so a failed build leaves none behind.
// Build output goes to stderr too.
const log = console.log;
console.log = console.error;
buildIfNeeded(root, env);
console.log = log;
const database = process.env.BENCH_DATABASE_URL ? await freshPostgres(process.env.BENCH_DATABASE_URL, 'pqgate_bench') : undefined;
if (database) env.DATABASE_URL = database.url;

const [node, seedArgs] = tsx('scripts/bench/seed-bench-product.ts', process.argv.slice(2));
const seeded = spawnSync(node, seedArgs, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const token = /pqgate-bench token (\S+)/.exec(seeded.stdout ?? '')?.[1];
if (seeded.status !== 0 || !token) {
  console.error(`pqgate-bench: seeding the product database failed (exit ${seeded.status})`);
  await database?.drop().catch(() => undefined);
  process.exit(1);
}
console.log(`pqgate-bench token ${token}`);

const port = await freePort();
const [, serverArgs] = tsx('server.ts', ['--port', String(port)]);
// BENCH_PRODUCT_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/p" profiles the server.
serverArgs.unshift(...(process.env.BENCH_PRODUCT_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean));
const server = spawn(node, serverArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
let announced = false;
server.stdout!.on('data', (chunk: Buffer) => {
  // The server's own lines go to stderr: stdout carries only the lines the bench reads.
  process.stderr.write(chunk);
  if (announced || !chunk.toString().includes('pqgate: server listening')) return;
  announced = true;
  waitForHealth().then(
    () => console.log(`pqgate-bench product pid ${server.pid}\npqgate-bench product listening on http://127.0.0.1:${port}`),
    (e: unknown) => {
      console.error(`pqgate-bench: ${(e as Error).message}`);
      server.kill('SIGTERM');
    },
  );
});

/** Waits until the product says it is healthy (instrumentation has run: database, keys, gateway). */
async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the product did not become healthy within 20 s');
}

server.once('exit', async (code) => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop().catch((e: unknown) => console.error(`pqgate-bench: could not drop the bench database: ${(e as Error).message}`));
  process.exit(code ?? 0);
});
process.once('SIGTERM', () => server.kill('SIGTERM'));
process.once('SIGINT', () => server.kill('SIGTERM'));
