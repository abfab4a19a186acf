import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm start` must work right after `npm install`, and again after a `git pull`: it builds
// when no build exists or when any source file changed since the last build.

const SOURCES = ['app', 'components', 'lib', 'gateway', 'public', 'prisma', 'instrumentation.ts', 'proxy.ts', 'next.config.mjs', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];
const DIST = process.env.PQGATE_NEXT_DIST_DIR || '.next';
const STAMP = join(DIST, 'pqgate-source-stamp');

function fingerprint(root: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
        walk(join(path, name));
      }
    } else {
      hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) walk(join(root, s));
  return hash.digest('hex');
}

/** Runs `next build` unless the last build was made from exactly these sources. */
export function buildIfNeeded(root: string, env: NodeJS.ProcessEnv): void {
  const current = fingerprint(root);
  const built = existsSync(join(root, DIST, 'BUILD_ID')) && existsSync(join(root, STAMP)) && readFileSync(join(root, STAMP), 'utf8') === current;
  if (built) return;
  console.log('pqgate: building the console (first start, or sources changed)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build'], { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('pqgate: the build failed; the errors are above.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(join(root, STAMP), current);
}
