import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// A call the client saw answered is in the audit log after kill -9 (docs/security.md): the
// recorder with the file journal and the embedded database in a child process, killed under
// load, then started again on the same folders.
const child = fileURLToPath(new URL('./testing/recorder-process.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pqgate-crash-'));
const env = { ...process.env, PQGATE_DATA_DIR: dir, PQGATE_SECRETS_FILE: join(dir, 'secrets.env'), DATABASE_URL: '' };

/** Runs the child in `load` mode until `acks` calls were answered, then kills it with SIGKILL. */
function loadAndKill(acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, 'load'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let rest = '';
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    p.stdout.on('data', (c: Buffer) => {
      const lines = (rest + c.toString()).split('\n');
      rest = lines.pop()!;
      for (const l of lines) if (l.startsWith('acked ')) acked.push(l.slice(6));
      if (acked.length >= acks) p.kill('SIGKILL');
    });
    // Never left running: a child that does not answer in time is killed and the test fails.
    const guard = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.once('exit', (code, signal) => {
      clearTimeout(guard);
      if (acked.length >= acks) resolve(acked);
      else reject(new Error(`the load child ended (${signal ?? code}) after ${acked.length} of ${acks} answered calls:\n${stderr}`));
    });
  });
}

function recover(): Promise<{ recovered: number; ids: string[]; left: string[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, 'recover'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => void (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const guard = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.once('exit', (code) => {
      clearTimeout(guard);
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()!));
      else reject(new Error(`the recover child failed (${code}):\n${stderr}`));
    });
  });
}

describe('the traffic journal across kill -9', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every answered call after a crash under load, each once, and empties the journal', async () => {
    const first = await loadAndKill(1500);
    const second = await loadAndKill(500);
    const acked = [...first, ...second];
    const { recovered, ids, left } = await recover();
    const stored = new Set(ids);
    const lost = acked.filter((id) => !stored.has(id));
    expect({ lost: lost.length, duplicates: ids.length - stored.size }).toEqual({ lost: 0, duplicates: 0 });
    // The kills left calls that only the journal had: the test would pass without it otherwise.
    expect(recovered).toBeGreaterThan(0);
    expect(left).toEqual([]);
  }, 120_000);
});
