/**
 * Runs the official MCP conformance CLI (`@modelcontextprotocol/conformance`, pinned in
 * devDependencies) against one server URL and reads what it wrote. The CLI needs Node >= 22, so
 * it runs on Node 24 fetched by `npx -y node@24` (as scripts/test.ts does for the crypto tests).
 *
 * With `-o <dir>` the CLI writes, per scenario, `<dir>/server-<scenario>-<ISO time>/checks.json`:
 * an array of checks `{ id, status: SUCCESS|FAILURE|WARNING|INFO, errorMessage? }`. Without `-o`
 * it writes nothing, so every run gets a fresh temporary folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CONFORMANCE_VERSION = '0.1.16';

/** One scenario's outcome: passed means at least one check and none FAILURE or WARNING. */
export interface ScenarioResult {
  readonly passed: boolean;
  /** `check id: error message` of every FAILURE and WARNING check, or why there are no checks. */
  readonly problems: readonly string[];
}

/** What one run of the CLI produced. */
export interface ConformanceRun {
  readonly results: ReadonlyMap<string, ScenarioResult>;
  /** The CLI's own console output, for the failure messages of the test. */
  readonly output: string;
}

/**
 * The CLI's entry: from node_modules (after `npm ci`), else from the unpacked package folder
 * named by PQGATE_CONFORMANCE_PACKAGE. Its version must be the pinned one.
 * @throws Error saying how to get it.
 */
export function conformanceCli(): string {
  let dir: string | undefined;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json'));
  } catch {
    dir = process.env.PQGATE_CONFORMANCE_PACKAGE;
  }
  if (!dir || !existsSync(join(dir, 'package.json'))) {
    throw new Error(`@modelcontextprotocol/conformance is not in node_modules: run \`npm ci\` (or set PQGATE_CONFORMANCE_PACKAGE to an unpacked copy of version ${CONFORMANCE_VERSION})`);
  }
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  if (version !== CONFORMANCE_VERSION) throw new Error(`@modelcontextprotocol/conformance at ${dir} is ${version}; the tests are written for ${CONFORMANCE_VERSION}: run \`npm ci\``);
  return join(dir, 'dist/index.js');
}

/** `v24.x.y` when `npx -y node@24` runs here, else why not. */
export function probeNode24(): { version?: string; error?: string } {
  const probe = spawnSync('npx', ['-y', 'node@24', '--version'], { encoding: 'utf8', timeout: 300_000 });
  const version = probe.status === 0 ? probe.stdout.trim().split('\n').at(-1) : undefined;
  return version?.startsWith('v24') ? { version } : { error: `npx -y node@24 --version failed (status ${probe.status}): ${(probe.stderr ?? '').slice(-300) || probe.error?.message}` };
}

const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** Runs the suite's active scenarios against `url`; resolves when the CLI exits (or is killed at `timeoutMs`). */
export async function runConformance(cli: string, url: string, timeoutMs = 90_000): Promise<ConformanceRun> {
  const out = mkdtempSync(join(tmpdir(), 'pqgate-conformance-'));
  try {
    const output = await new Promise<string>((resolve) => {
      // Its own process group, so a timeout ends npx and the Node 24 it started together.
      const child = spawn('npx', ['-y', 'node@24', cli, 'server', '--url', url, '-o', out], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b));
      child.stderr.on('data', (b: Buffer) => (text += b));
      const timer = setTimeout(() => {
        text += `\n[killed after ${timeoutMs} ms]`;
        process.kill(-child.pid!, 'SIGKILL');
      }, timeoutMs);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    const results = new Map<string, ScenarioResult>();
    for (const entry of readdirSync(out)) {
      const scenario = RESULT_DIR.exec(entry)?.[1];
      if (!scenario) continue;
      const file = join(out, entry, 'checks.json');
      // The CLI makes the folder first; no checks.json means the scenario threw.
      if (!existsSync(file)) {
        results.set(scenario, { passed: false, problems: ['no checks.json: the scenario crashed (see the CLI output)'] });
        continue;
      }
      const checks = JSON.parse(readFileSync(file, 'utf8')) as { id: string; status: string; errorMessage?: string }[];
      const problems = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING').map((c) => `${c.id}: ${c.errorMessage ?? c.status}`);
      results.set(scenario, { passed: checks.length > 0 && problems.length === 0, problems: checks.length ? problems : ['no checks'] });
    }
    return { results, output };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
