/**
 * The gateway's write-ahead journal of traffic events (gateway/mcp/traffic-recorder.ts): every
 * decision is appended to a local file before its reply leaves, so a call the client saw
 * answered is in the audit log even if the process is killed before its batch reached the
 * database (docs/audit.md, "Acknowledged calls are durable").
 *
 * - Group commit: the events recorded in one turn of the event loop go out in one write(2)
 *   (and, with `fsync`, one fdatasync(2), while the next group gathers), never one per call.
 * - write(2) alone survives kill -9 (the kernel holds the data); surviving a power loss needs
 *   `fsync` (PQGATE_TRAFFIC_JOURNAL_FSYNC=1), which adds a disk flush to each reply's latency.
 * - The journal is a folder of segments, one JSON event per line, made storable first
 *   (storable-traffic.ts). A segment is deleted once every event in it is stored; a new one
 *   starts after `segmentEvents` events.
 * - At start the segments an earlier run left are read back: the gateway stores their events
 *   before it answers (the store skips request ids already in the log, so none is stored twice)
 *   and then deletes them. A torn last line (a crash mid-write) is skipped and reported.
 * - One folder per replica (`<PQGATE_DATA_DIR>/traffic-journal/<PQGATE_REPLICA>`): two running
 *   processes must never share one, or each would delete segments the other still writes.
 */
import { closeSync, fdatasync, fsync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TrafficEvent, TrafficJournal } from '@/gateway/mcp';
import { storableTrafficEvent } from './storable-traffic';

const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);

/** Options of {@link openTrafficJournal}. */
export interface TrafficJournalOptions {
  /** This replica's folder (created if missing). */
  readonly folder: string;
  /** fdatasync each group before its replies leave (power-loss durability). Default false. */
  readonly fsync?: boolean;
  /** Events per segment before a new one starts. Default 10 000. */
  readonly segmentEvents?: number;
  /** Told about a failure (the journal never throws at a caller: the reply is not held up for it). */
  readonly onError?: (message: string) => void;
}

/** An open journal. */
export interface FileTrafficJournal extends TrafficJournal {
  readonly folder: string;
  /** Writes what is pending, closes the files and deletes the segments whose events are all stored. */
  close(): void;
}

interface Segment {
  readonly path: string;
  fd?: number;
  /** Events in it not stored yet. */
  outstanding: number;
  written: number;
}

interface Group {
  readonly events: TrafficEvent[];
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

const SEGMENT = /^\d{13}-\d+-\d+\.jsonl$/;

/** Opens the journal in `folder` and reads back what an earlier run left there. */
export function openTrafficJournal(options: TrafficJournalOptions): FileTrafficJournal {
  const { folder } = options;
  const segmentEvents = options.segmentEvents ?? 10_000;
  const onError = options.onError ?? ((m: string) => console.error(m));
  mkdirSync(folder, { recursive: true });
  const segmentOf = new WeakMap<TrafficEvent, Segment>();
  /** Stored before their group was written (they are written, not waited for). */
  const storedEarly = new WeakSet<TrafficEvent>();
  const recovered = readLeftovers(folder, segmentOf, onError);
  let active: Segment | undefined;
  let group: Group | undefined;
  let writing = false;
  let serial = 0;

  function openSegment(): Segment {
    const path = join(folder, `${Date.now()}-${process.pid}-${++serial}.jsonl`);
    return { path, fd: openSync(path, 'a'), outstanding: 0, written: 0 };
  }

  /** Deletes a segment whose events are all stored (the active one only between writes). */
  function release(seg: Segment): void {
    if (seg.outstanding > 0 || (seg === active && writing)) return;
    if (seg === active) active = undefined;
    try {
      if (seg.fd !== undefined) closeSync(seg.fd);
      seg.fd = undefined;
      unlinkSync(seg.path);
    } catch (error) {
      onError(`pqgate traffic journal: cannot delete ${seg.path} (${(error as Error).message}); its events are stored, and a restart skips them`);
    }
  }

  /** Writes one group; returns the segment it went to. */
  function writeGroup(g: Group): Segment {
    const seg = (active ??= openSegment());
    // Stored as it will be stored: a hostile multi-megabyte value costs a line of a few kB, not its size.
    const bytes = Buffer.from(`${g.events.map((e) => JSON.stringify(storableTrafficEvent(e))).join('\n')}\n`);
    for (let at = 0; at < bytes.length; ) at += writeSync(seg.fd!, bytes, at);
    for (const e of g.events) {
      if (storedEarly.has(e)) continue;
      segmentOf.set(e, seg);
      seg.outstanding += 1;
    }
    seg.written += g.events.length;
    return seg;
  }

  async function flush(): Promise<void> {
    const g = group;
    group = undefined;
    if (!g) return;
    writing = true;
    try {
      const fresh = !active;
      const seg = writeGroup(g);
      if (options.fsync) {
        await fdatasyncAsync(seg.fd!);
        // A new file's directory entry must reach the disk too.
        if (fresh) await syncFolder(folder);
      }
      if (seg.written >= segmentEvents) {
        closeSync(seg.fd!);
        seg.fd = undefined;
        active = undefined;
      }
    } catch (error) {
      onError(`pqgate traffic journal: cannot write to ${folder} (${(error as Error).message}); ${g.events.length} answered call(s) are only as durable as their database batch until it can`);
      if (active?.fd !== undefined) closeSync(active.fd);
      active = undefined;
    } finally {
      writing = false;
      g.resolve();
      if (active) release(active);
      if (group) setImmediate(() => void flush());
    }
  }

  return {
    folder,
    append(event) {
      if (!group) {
        let resolve!: () => void;
        const done = new Promise<void>((r) => (resolve = r));
        group = { events: [], done, resolve };
        if (!writing) setImmediate(() => void flush());
      }
      group.events.push(event);
      return group.done;
    },
    stored(events) {
      for (const e of events) {
        const seg = segmentOf.get(e);
        if (!seg) {
          storedEarly.add(e);
          continue;
        }
        segmentOf.delete(e);
        seg.outstanding -= 1;
        if (seg.outstanding === 0) release(seg);
      }
    },
    recovered: () => recovered,
    close() {
      const g = group;
      group = undefined;
      if (g) {
        try {
          writeGroup(g);
        } catch (error) {
          onError(`pqgate traffic journal: cannot write to ${folder} at shutdown (${(error as Error).message})`);
        }
        g.resolve();
      }
      const seg = active;
      active = undefined;
      if (seg?.fd !== undefined) closeSync(seg.fd);
      if (seg) seg.fd = undefined;
      if (seg && seg.outstanding === 0) release(seg);
    },
  };
}

async function syncFolder(folder: string): Promise<void> {
  const fd = openSync(folder, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads the segments an earlier run left; each event is tied to its segment, deleted once all are stored. */
function readLeftovers(folder: string, segmentOf: WeakMap<TrafficEvent, Segment>, onError: (m: string) => void): TrafficEvent[] {
  const events: TrafficEvent[] = [];
  for (const name of readdirSync(folder).filter((n) => SEGMENT.test(n)).sort()) {
    const path = join(folder, name);
    const seg: Segment = { path, outstanding: 0, written: 0 };
    const lines = readFileSync(path, 'utf8').split('\n');
    let unreadable = 0;
    for (const line of lines) {
      if (!line) continue;
      const e = parseEvent(line);
      if (!e) {
        unreadable += 1;
        continue;
      }
      events.push(e);
      segmentOf.set(e, seg);
      seg.outstanding += 1;
    }
    if (unreadable) onError(`pqgate traffic journal: ${unreadable} unreadable line(s) in ${path} skipped (a write cut short by a crash, or damage)`);
    if (seg.outstanding > 0) continue;
    // Nothing to store: keep a damaged file for inspection, delete an empty one.
    if (unreadable) renameSync(path, `${path}.unreadable`);
    else unlinkSync(path);
  }
  return events;
}

function parseEvent(line: string): TrafficEvent | undefined {
  try {
    const e = JSON.parse(line) as Partial<TrafficEvent> | null;
    if (e && typeof e === 'object' && typeof e.requestId === 'string' && typeof e.upstream === 'string' && typeof e.method === 'string' && typeof e.time === 'number') return e as TrafficEvent;
  } catch {
    // Reported by the caller with the count.
  }
  return undefined;
}
