/**
 * A throwaway PostgreSQL cluster for `npm run fault` (as .ci/run starts one): initdb in a
 * temporary folder, run as the `postgres` user (PostgreSQL refuses root), on its own port, so
 * stopping it under load touches no one else's server.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A cluster the caller may stop and start at will. */
export interface ThrowawayPostgres {
  /** A server URL (database `postgres`) to create fresh databases on. */
  readonly url: string;
  /** Stops the server at once, as a crash or a failover would (`pg_ctl stop -m immediate`). */
  stop(): void;
  start(): void;
  /** Stops it and removes its folder. */
  destroy(): void;
}

/** Starts a cluster on `port`, or says why it cannot (not root, no PostgreSQL installed). */
export function startThrowawayPostgres(port: number): ThrowawayPostgres | string {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  const bin = versions.length ? join('/usr/lib/postgresql', versions[versions.length - 1]!, 'bin') : undefined;
  if (!bin || !existsSync(join(bin, 'pg_ctl'))) return 'no PostgreSQL server binaries in /usr/lib/postgresql/*/bin';
  if (userInfo().uid !== 0) return 'starting a throwaway cluster needs root (to run it as the postgres user)';
  const data = mkdtempSync(join(tmpdir(), 'pqgate-fault-pg-'));
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(data, uid, gid);
  const asPostgres = (tool: string, args: string[]) => {
    const r = spawnSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  };
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
  const start = () => asPostgres('pg_ctl', ['-D', data, '-l', join(data, 'server.log'), '-w', '-o', `-p ${port} -k ${data} -c listen_addresses=127.0.0.1`, 'start']);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']),
    start,
    destroy() {
      spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
      rmSync(data, { recursive: true, force: true });
    },
  };
}
