/**
 * The worker thread of the traffic writer (traffic-writer.ts): writes batches of gateway
 * decisions with its own database client, so the thread that answers MCP calls does not spend
 * milliseconds per batch on discovery edges, audit leaves, the audit transaction and checkpoint
 * signatures. Only used on PostgreSQL, which any number of clients may write to at once (the
 * audit log's row lock orders them).
 */
import { parentPort } from 'node:worker_threads';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { closeDatabase } from '../db';
import { recordTraffic } from './record-traffic';

/** A batch to write. */
export interface WriteRequest {
  readonly id: number;
  readonly events: readonly TrafficEvent[];
  readonly upstreamIds: readonly (readonly [string, string])[];
}

/** The outcome of one batch: done, or why it failed. */
export interface WriteReply {
  readonly id: number;
  readonly error?: string;
}

const port = parentPort;
if (!port) throw new Error('traffic-writer-thread.ts runs as a worker thread (see traffic-writer.ts)');
port.on('message', (m: WriteRequest | 'close') => {
  if (m === 'close') {
    void closeDatabase().finally(() => port.close());
    return;
  }
  recordTraffic(m.events, new Map(m.upstreamIds)).then(
    () => port.postMessage({ id: m.id } satisfies WriteReply),
    (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WriteReply),
  );
});
