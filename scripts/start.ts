import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_UPSTREAMS } from '../lib/demo/demo-config';
import { EnvError, parseEnv } from '../lib/env';
import { ensureLocalSecrets, secretsFilePath } from '../lib/local-secrets';
import { buildIfNeeded } from './build-if-needed';
import { startDemoUpstream } from './demo-upstreams/start-demo-upstream';

// npm start: the console and gateway on the embedded database, with the demo upstreams.
// npm run dev: the same with Next.js in development mode.

const root = join(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
(process.env as Record<string, string>).NODE_ENV = dev ? 'development' : 'production';
// Next.js would otherwise try to send anonymous telemetry to a host we may not reach.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const generatedNow = ensureLocalSecrets(process.env);
if (generatedNow.length) console.log(`pqgate: using ${generatedNow.join(', ')} from ${secretsFilePath()} (set them in the environment for production)`);
let config;
try {
  config = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

if (!existsSync(join(root, 'lib/generated/prisma/client.ts'))) {
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [join(root, 'scripts/prisma-generate.mjs')], { cwd: root, stdio: 'inherit' });
}
if (!dev) buildIfNeeded(root, process.env);

const demos: { close(): Promise<void> }[] = [];
if (config.PQGATE_DEMO === '1') {
  for (const d of DEMO_UPSTREAMS) {
    const port = config[d.portVariable];
    try {
      const running = await startDemoUpstream(d.slug, { port });
      demos.push(running);
      console.log(`pqgate: demo upstream ${d.slug} at ${running.url}`);
    } catch (error) {
      console.error(`pqgate: cannot start demo upstream ${d.slug} on port ${port} (${(error as Error).message}). Set ${d.portVariable} to a free port, or PQGATE_DEMO=0.`);
      process.exit(1);
    }
  }
}

const port = process.env.PORT ?? '3000';
// server.ts: Next.js with the MCP gateway mounted ahead of its router.
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server.ts'), ...(dev ? ['--dev'] : []), '--port', port], {
  cwd: root,
  env: process.env,
  stdio: 'inherit',
});
console.log(`pqgate: console at http://localhost:${port}`);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  server.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
server.on('exit', async (code, signal) => {
  await Promise.allSettled(demos.map((d) => d.close()));
  process.exit(code ?? (signal ? 0 : 1));
});
