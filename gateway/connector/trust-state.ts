/**
 * The connector's memory of gateway trust (`--trust-state`, default `~/.pqgate/trust-state.json`):
 * for each gateway origin and pinned key, the newest trust bundle version and chain head it
 * accepted. With it, an older bundle (a replay hiding a revocation) or another branch of the
 * chain is refused; without it (first run, file deleted) trust starts again from the pin alone.
 * Written atomically (temporary file, then rename) with mode 0600.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { GatewayError } from '../errors';
import type { TrustSeen } from '../keys';

const FORMAT = 'pqgate-trust-state/1';
const MAX_BYTES = 1 << 20;

type Entries = Record<string, Record<string, TrustSeen & { seenAt: string }>>;

/** Where the state lives unless `--trust-state` says otherwise. */
export function defaultTrustStatePath(): string {
  return join(homedir(), '.pqgate', 'trust-state.json');
}

function isSeen(v: unknown): v is TrustSeen & { seenAt: string } {
  const s = v as TrustSeen & { seenAt: string };
  return !!s && Number.isSafeInteger(s.version) && !!s.head && Number.isSafeInteger(s.head.version) && typeof s.head.keyId === 'string' && /^[0-9a-f]{64}$/.test(s.head.keyId) && typeof s.seenAt === 'string';
}

export class TrustStateFile {
  constructor(readonly path: string) {}

  private read(): Entries {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new GatewayError('invalid_argument', `cannot read the trust state ${this.path}: ${(e as Error).message}`);
    }
    const broken = () => new GatewayError('invalid_argument', `the trust state ${this.path} is damaged; delete it to trust again from your --trust pin alone (you lose rollback protection until the next bundle)`);
    if (text.length > MAX_BYTES) throw broken();
    let json: { format?: unknown; gateways?: unknown };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw broken();
    }
    if (json?.format !== FORMAT || !json.gateways || typeof json.gateways !== 'object') throw broken();
    for (const pins of Object.values(json.gateways as Entries)) {
      if (!pins || typeof pins !== 'object' || !Object.values(pins).every(isSeen)) throw broken();
    }
    return json.gateways as Entries;
  }

  /** What was accepted before from `pinKeyId` at `origin`, if anything. */
  get(origin: string, pinKeyId: string): TrustSeen | undefined {
    const seen = this.read()[origin]?.[pinKeyId];
    return seen ? { version: seen.version, head: seen.head } : undefined;
  }

  /** Whether anything was ever accepted from `origin` for a pin whose key id starts with `prefix`. */
  knows(origin: string, prefix: string): boolean {
    return Object.keys(this.read()[origin] ?? {}).some((id) => id.startsWith(prefix));
  }

  /**
   * Remembers an accepted bundle. Re-reads the file just before writing and never lowers a
   * version, so two connectors sharing the file do not undo each other's progress.
   */
  record(origin: string, pinKeyId: string, seen: TrustSeen, now = new Date()): void {
    const all = this.read();
    const previous = all[origin]?.[pinKeyId];
    if (previous && previous.version > seen.version) return;
    if (previous && previous.version === seen.version && previous.head.keyId === seen.head.keyId) return;
    all[origin] = { ...all[origin], [pinKeyId]: { version: seen.version, head: seen.head, seenAt: now.toISOString() } };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, gateways: all }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}
