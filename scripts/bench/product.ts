/**
 * The product as `npm start` runs it, for the scripts that measure or break it (the bench's
 * product rows through product-process.ts, `npm run fault`): server.ts in production mode on a
 * fresh database (PGlite in a temporary folder, or a fresh database on a PostgreSQL server),
 * with an upstream, an identity, its API token and key registered through the console's own
 * lib functions (seed-bench-product.ts). Builds the console first if the build is stale.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from '../../lib/db/fresh-postgres';
import { ensureLocalSecrets } from '../../lib/local-secrets';
import { buildIfNeeded } from '../build-if-needed';

export const root = join(import.meta.dirname, '../..');

/** `[node, args]` that run a TypeScript file of this repository under tsx. */
export const tsx = (script: string, args: string[]) => [process.execPath, ['--import', 'tsx', join(root, script), ...args]] as [string, string[]];

/** A seeded product database and the environment that runs the server on it. */
export interface PreparedProduct {
  readonly env: NodeJS.ProcessEnv;
  /** PQGATE_DATA_DIR: the embedded database, the secrets file, the traffic journal. */
  readonly dir: string;
  /** The identity's bearer token. */
  readonly token: string;
  /** Removes the folder and drops the database. */
  dispose(): Promise<void>;
}

/**
 * Builds if needed, then creates the database and seeds it with seed-bench-product.ts
 * (`seedArgs`: `--upstream <slug>=<url> --identity <algorithm>:<hex public key>`). With
 * `databaseUrl` (a PostgreSQL server) the product gets a fresh database there. Build output goes
 * to stderr, so stdout carries only what the caller prints.
 */
export async function prepareProduct(seedArgs: string[], options: { databaseUrl?: string; env?: NodeJS.ProcessEnv } = {}): Promise<PreparedProduct> {
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-product-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PQGATE_DATA_DIR: dir,
    PQGATE_SECRETS_FILE: join(dir, 'secrets.env'),
    PQGATE_DEMO: '0',
    ADMIN_EMAIL: 'bench@pqgate.local',
    ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    ...options.env,
  };
  // Never the caller's own database: the product gets a fresh one (PGlite here, or one created below).
  delete env.DATABASE_URL;
  ensureLocalSecrets(env);
  // First the build (it exits on failure), then the database, so a failed build leaves none behind.
  const log = console.log;
  console.log = console.error;
  buildIfNeeded(root, env);
  console.log = log;
  const database = options.databaseUrl ? await freshPostgres(options.databaseUrl, 'pqgate_bench') : undefined;
  if (database) env.DATABASE_URL = database.url;
  const dispose = async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop().catch((e: unknown) => console.error(`pqgate-bench: could not drop the bench database: ${(e as Error).message}`));
  };
  const [node, args] = tsx('scripts/bench/seed-bench-product.ts', seedArgs);
  const seeded = spawnSync(node, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const token = /pqgate-bench token (\S+)/.exec(seeded.stdout ?? '')?.[1];
  if (seeded.status !== 0 || !token) {
    await dispose();
    throw new Error(`seeding the product database failed (exit ${seeded.status})`);
  }
  return { env, dir, token, dispose };
}

/** A running server.ts. */
export interface RunningProduct {
  readonly process: ChildProcess;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
}

/**
 * Starts server.ts on `env` (on `port`, or a free one) and resolves once /api/health answers
 * (instrumentation has run: database, keys, the gateway, the traffic journal's replay). The
 * server's output goes to stderr.
 */
export async function startProductServer(env: NodeJS.ProcessEnv, options: { port?: number; nodeOptions?: string[] } = {}): Promise<RunningProduct> {
  const port = options.port ?? (await freePort());
  const [node, args] = tsx('server.ts', ['--port', String(port)]);
  args.unshift(...(options.nodeOptions ?? []));
  const server = spawn(node, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  server.stdout!.on('data', (chunk: Buffer) => void process.stderr.write(chunk));
  const origin = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => server.once('exit', (code, signal) => reject(new Error(`the product exited (${signal ?? code}) before it was healthy`))));
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForHealth(origin), exited]);
  } catch (e) {
    server.kill('SIGKILL');
    throw e;
  }
  return { process: server, pid: server.pid!, origin };
}

/** A TCP port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until the product says it is healthy. */
async function waitForHealth(origin: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${origin}/api/health`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the product did not become healthy within 60 s');
}
