/**
 * Buffers traffic events in memory and hands them to the store in batches, so that recording a
 * decision never waits on the database (DESIGN.md §7). A batch leaves when it reaches
 * `maxBatch` events or `intervalMs` after the first buffered event, whichever comes first.
 */
import type { TrafficEvent } from './store';

/** Options of {@link createTrafficRecorder}. */
export interface TrafficRecorderOptions {
  readonly write: (events: readonly TrafficEvent[]) => Promise<void>;
  readonly intervalMs?: number;
  readonly maxBatch?: number;
  /** Events kept at most while the store is failing; the oldest are dropped beyond it. */
  readonly maxBuffered?: number;
  /** Told about a failed write (the events of that batch are dropped, never retried forever). */
  readonly onError?: (error: unknown, dropped: number) => void;
}

/** The recorder the gateway core writes every decision to. */
export interface TrafficRecorder {
  record(event: TrafficEvent): void;
  /** Writes everything buffered now (stopping the timer) and waits for in-flight writes. */
  flush(): Promise<void>;
}

/** Creates a batching recorder. */
export function createTrafficRecorder(options: TrafficRecorderOptions): TrafficRecorder {
  const intervalMs = options.intervalMs ?? 500;
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffered = options.maxBuffered ?? 50_000;
  let buffer: TrafficEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  function send(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (buffer.length) {
      const batch = buffer.slice(0, maxBatch);
      buffer = buffer.slice(batch.length);
      // Writes run detached from the request that produced the event.
      const p = Promise.resolve()
        .then(() => options.write(batch))
        .catch((e: unknown) => options.onError?.(e, batch.length))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }

  return {
    record(event) {
      if (buffer.length >= maxBuffered) buffer.shift();
      buffer.push(event);
      if (buffer.length >= maxBatch) send();
      else if (!timer) {
        timer = setTimeout(send, intervalMs);
        // A pending batch must not keep a CLI or test process alive.
        timer.unref();
      }
    },
    async flush() {
      send();
      await Promise.all([...inFlight]);
    },
  };
}
