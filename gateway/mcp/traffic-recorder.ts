/**
 * Buffers traffic events in memory and hands them to the store in batches, so that recording a
 * decision never waits on the database (DESIGN.md §7). A batch leaves when it reaches
 * `maxBatch` events or `intervalMs` after the first buffered event, whichever comes first.
 *
 * With a journal (the app's is a local file, lib/gateway-store/traffic-journal.ts) every event
 * is appended to it before `record` resolves, and the gateway releases a reply only after that:
 * a call the client saw answered survives a crash of the process (docs/audit.md, "Acknowledged
 * calls are durable"). The journal forgets events once the store has them, and hands back, when
 * the gateway starts, those an earlier run journaled without storing; they are written first.
 *
 * A batch the store refuses (it rejects only when the database cannot be reached, see
 * GatewayStore.recordTraffic) is kept and written again after a backoff, so the gateway catches
 * up by itself when the database returns.
 */
import type { TrafficEvent } from './store';

/** Where events wait, durably, between the reply and the store (lib/gateway-store/traffic-journal.ts). */
export interface TrafficJournal {
  /** Appends the event; resolves once it survives the process (a failure is reported, never thrown). */
  append(event: TrafficEvent): Promise<void>;
  /** The store has these events: the journal may forget them. */
  stored(events: readonly TrafficEvent[]): void;
  /** Events an earlier run journaled and may not have stored (each is stored once: the store skips known request ids). */
  recovered(): readonly TrafficEvent[];
}

/** Options of {@link createTrafficRecorder}. */
export interface TrafficRecorderOptions {
  readonly write: (events: readonly TrafficEvent[]) => Promise<void>;
  readonly journal?: TrafficJournal;
  readonly intervalMs?: number;
  readonly maxBatch?: number;
  /** Events kept in memory at most while the store is failing; beyond it the oldest wait in the journal for the next start (or are dropped without one). */
  readonly maxBuffered?: number;
  /** First wait before a refused batch is written again; it doubles up to 30 s. Default 500 ms. */
  readonly retryMs?: number;
  /** Told about a failed write (`kept`: events waiting to be written again) and about events let go (`dropped`). */
  readonly onError?: (error: unknown, counts: { kept: number; dropped: number }) => void;
}

/** The recorder the gateway core writes every decision to. */
export interface TrafficRecorder {
  /** Buffers the event; resolves once it is in the journal (at once without one). */
  record(event: TrafficEvent): Promise<void> | undefined;
  /** Writes everything buffered now (stopping the timer) and waits for in-flight writes. */
  flush(): Promise<void>;
}

const MAX_RETRY_MS = 30_000;

/** Creates a batching recorder. */
export function createTrafficRecorder(options: TrafficRecorderOptions): TrafficRecorder {
  const intervalMs = options.intervalMs ?? 500;
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffered = options.maxBuffered ?? 50_000;
  const retryMs = options.retryMs ?? 500;
  const { journal } = options;
  let buffer: TrafficEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** While set, batches wait (the store refused one); doubles per failure. */
  let backoffMs = 0;
  const inFlight = new Set<Promise<void>>();

  function arm(ms: number): void {
    if (timer) return;
    timer = setTimeout(send, ms);
    // A pending batch must not keep a CLI or test process alive.
    timer.unref();
  }

  function send(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (buffer.length) {
      const batch = buffer.slice(0, maxBatch);
      buffer = buffer.slice(batch.length);
      // Writes run detached from the request that produced the event.
      const p = Promise.resolve()
        .then(() => options.write(batch))
        .then(
          () => {
            backoffMs = 0;
            journal?.stored(batch);
          },
          (e: unknown) => {
            // Kept for later, ahead of what arrived since; the bound lets the oldest go.
            buffer = [...batch, ...buffer];
            const dropped = Math.max(0, buffer.length - maxBuffered);
            if (dropped) buffer = buffer.slice(dropped);
            options.onError?.(e, { kept: buffer.length, dropped });
            backoffMs = Math.min(MAX_RETRY_MS, backoffMs ? backoffMs * 2 : retryMs);
            arm(backoffMs);
          },
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }

  const recovered = journal?.recovered() ?? [];
  if (recovered.length) {
    buffer = recovered.slice(-maxBuffered);
    send();
  }

  return {
    record(event) {
      if (buffer.length >= maxBuffered) {
        buffer.shift();
        options.onError?.(new Error('the traffic buffer is full while the store is failing'), { kept: buffer.length, dropped: 1 });
      }
      buffer.push(event);
      if (backoffMs) arm(backoffMs);
      else if (buffer.length >= maxBatch) send();
      else arm(intervalMs);
      return journal?.append(event);
    },
    async flush() {
      send();
      await Promise.all([...inFlight]);
    },
  };
}
