/**
 * The witness's memory: per log origin, the latest checkpoint it cosigned. tlog-witness asks it
 * to persist the new checkpoint before answering and to check-and-update atomically; this store
 * writes a JSON file (temporary file, fsync, rename — a crash leaves the old or the new state,
 * never half of one), and `WitnessStateStore.update` runs one update at a time.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { GatewayError } from '../errors';
import { fromBase64, toBase64 } from '../audit/base64';

/** The latest checkpoint cosigned for one log. */
export interface WitnessedCheckpoint {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The log-signed note, kept as evidence of what the log said. */
  readonly note: string;
}

interface StateFile {
  version: 1;
  logs: Record<string, { size: number; rootHash: string; note: string }>;
}

/** Per-origin witness state, in memory and (when `file` is given) on disk. */
export class WitnessStateStore {
  private readonly logs = new Map<string, WitnessedCheckpoint>();
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param file where the state lives; undefined keeps it in memory only (tests).
   * @throws GatewayError `invalid_argument` when the file exists but is not a witness state.
   */
  constructor(private readonly file?: string) {
    if (!file || !existsSync(file)) return;
    let parsed: StateFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
      if (parsed.version !== 1 || typeof parsed.logs !== 'object' || parsed.logs === null) throw new Error('shape');
      for (const [origin, l] of Object.entries(parsed.logs)) {
        if (!Number.isSafeInteger(l.size) || l.size < 0 || typeof l.note !== 'string') throw new Error('shape');
        this.logs.set(origin, { size: l.size, rootHash: fromBase64(l.rootHash, 'witnessed root'), note: l.note });
      }
    } catch {
      throw new GatewayError('invalid_argument', `the witness state file ${file} is unreadable; restore it from a backup (a witness that forgets what it cosigned can be rolled back)`);
    }
  }

  /** The latest cosigned checkpoint of `origin`, if any. */
  get(origin: string): WitnessedCheckpoint | undefined {
    return this.logs.get(origin);
  }

  /**
   * Runs `fn` alone (no other update interleaves), with the current state of `origin`; when it
   * returns a checkpoint, that becomes the state and is persisted before `update` resolves.
   */
  update<T>(origin: string, fn: (latest: WitnessedCheckpoint | undefined) => { next?: WitnessedCheckpoint; result: T }): Promise<T> {
    const run = this.queue.then(() => {
      const { next, result } = fn(this.logs.get(origin));
      // On disk first: an answer is only sent for a state that survives a crash.
      if (next) this.persist(new Map(this.logs).set(origin, next));
      if (next) this.logs.set(origin, next);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private persist(logs: ReadonlyMap<string, WitnessedCheckpoint>): void {
    if (!this.file) return;
    const state: StateFile = { version: 1, logs: Object.fromEntries([...logs].map(([o, l]) => [o, { size: l.size, rootHash: toBase64(l.rootHash), note: l.note }])) };
    writeFileDurably(this.file, `${JSON.stringify(state, null, 2)}\n`);
  }
}

/** Writes `file` so that a crash leaves either its old or its new content (write, fsync, rename). */
export function writeFileDurably(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
