/**
 * Writes the gateway's traffic batches from a worker thread (traffic-writer-thread.ts) instead of
 * the thread that answers MCP calls. A batch of 500 decisions costs that thread 40-85 ms of work
 * (discovery edges, 500 audit leaves, the audit transaction, often a checkpoint signature): at
 * 1,000+ calls a second that is a third of a core taken from the gateway (gateway/mcp/README.md).
 *
 * Started by server.ts on PostgreSQL only: the embedded database admits one client, so there
 * its own thread writes the batches (lib/db/database-thread.ts). A batch the worker cannot take
 * (it failed to start, or died before answering) is written on the calling thread instead:
 * nothing is dropped for want of a worker (and a batch the worker had already committed when it
 * died is not stored twice: recordTraffic skips request ids already in the log).
 */
import type { Worker } from 'node:worker_threads';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { spawnTsWorker } from '../server/ts-worker';
import type { WriteReply, WriteRequest } from './traffic-writer-thread';

/**
 * Writes one batch; what PrismaGatewayStore calls when a writer is installed (gateway-holder.ts).
 * `writeHere` writes the same batch on the calling thread, for when the worker is gone.
 */
export type TrafficWrite = (events: readonly TrafficEvent[], upstreamIds: ReadonlyMap<string, string>, writeHere: () => Promise<void>) => Promise<void>;

/** A running writer. */
export interface TrafficWriter {
  readonly write: TrafficWrite;
  /** Waits for the batches in flight, then stops the thread. */
  close(): Promise<void>;
}

/** How long batches are written in place after the worker failed, before a new one is tried. */
const RESPAWN_AFTER_MS = 60_000;

interface Pending {
  resolve(): void;
  reject(e: Error): void;
  /** Writes the batch with the fallback instead. */
  retry(): void;
}

/**
 * Starts the writer (the thread itself starts with the first batch). The thread loads TypeScript
 * through tsx, as server.ts does.
 */
export function startTrafficWriter(options: { onError?: (message: string) => void; thread?: URL } = {}): TrafficWriter {
  const onError = options.onError ?? console.error;
  const thread = options.thread ?? new URL('./traffic-writer-thread.ts', import.meta.url);
  let worker: Worker | undefined;
  /** After a worker failed, batches are written in place until then (no respawn per batch). */
  let inPlaceUntil = 0;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const inFlight = new Set<Promise<void>>();

  function spawn(): Worker {
    const w = spawnTsWorker(thread);
    w.on('message', (reply: WriteReply) => {
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      // An idle writer must not keep the process alive; one with batches in flight must.
      if (pending.size === 0) w.unref();
      if (reply.error === undefined) p?.resolve();
      else p?.reject(new Error(reply.error));
    });
    const gone = (why: string) => {
      if (worker !== w) return;
      worker = undefined;
      inPlaceUntil = Date.now() + RESPAWN_AFTER_MS;
      onError(`pqgate traffic writer: ${why}; writing ${pending.size ? `${pending.size} batch(es) and ` : ''}the next minute's batches on the main thread`);
      for (const p of pending.values()) p.retry();
      pending.clear();
    };
    w.on('error', (e) => gone(`worker failed: ${e.message}`));
    w.on('exit', (code) => gone(`worker exited with code ${code}`));
    return w;
  }

  return {
    write(events, upstreamIds, writeHere) {
      if (!worker && Date.now() < inPlaceUntil) return writeHere();
      const w = (worker ??= spawn());
      const id = ++nextId;
      const done = new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject, retry: () => void writeHere().then(resolve, reject) });
        w.ref();
        w.postMessage({ id, events, upstreamIds: [...upstreamIds] } satisfies WriteRequest);
      });
      const tracked = done.then(
        () => void inFlight.delete(tracked),
        () => void inFlight.delete(tracked),
      );
      inFlight.add(tracked);
      return done;
    },
    async close() {
      await Promise.all([...inFlight]);
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise((r) => w.once('exit', r));
      w.postMessage('close');
      await exited;
    },
  };
}
