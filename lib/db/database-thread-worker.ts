/**
 * The worker thread that owns the embedded database (database-thread.ts): it opens PGlite, runs
 * the main thread's Prisma queries and raw SQL against it, and writes the gateway's traffic
 * batches itself (discovery edges, audit events, checkpoints), so none of that WebAssembly and
 * signing work runs on the thread that answers MCP calls.
 */
import { parentPort } from 'node:worker_threads';
import { isDriverAdapterError, type IsolationLevel, type SqlDriverAdapter, type SqlQuery, type Transaction } from '@prisma/driver-adapter-utils';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { recordTraffic } from '../gateway-store/record-traffic';
import type { Connection } from './connection';
import { closeDatabase, dbConnection } from '.';

/** What the main thread asks for. */
export type DatabaseRequest =
  | { readonly id: number; readonly op: 'query' | 'execute'; readonly tx?: number; readonly query: SqlQuery }
  | { readonly id: number; readonly op: 'script'; readonly sql: string }
  | { readonly id: number; readonly op: 'begin'; readonly isolation?: IsolationLevel }
  | { readonly id: number; readonly op: 'commit' | 'rollback'; readonly tx: number }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string }
  | { readonly id: number; readonly op: 'sql'; readonly sql: string; readonly params?: unknown[] }
  | { readonly id: number; readonly op: 'traffic'; readonly events: readonly TrafficEvent[]; readonly upstreamIds: readonly (readonly [string, string])[] }
  | { readonly id: number; readonly op: 'close' };

/** The answer: a result, or an error (a driver error keeps its Prisma shape, for Prisma's codes). */
export type DatabaseReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly message: string; readonly driver?: unknown } }
  | { readonly ready: { readonly location: string; readonly schema?: string; readonly supportsRelationJoins: boolean } }
  | { readonly failed: string };

const port = parentPort;
if (!port) throw new Error('database-thread-worker.ts runs as a worker thread (see database-thread.ts)');

const transactions = new Map<number, Transaction>();
let nextTx = 0;

function transaction(id: number): Transaction {
  const tx = transactions.get(id);
  if (!tx) throw new Error(`transaction ${id} is not open (it was committed, rolled back or lost)`);
  return tx;
}

async function answer(connection: Connection, adapter: SqlDriverAdapter, m: DatabaseRequest): Promise<unknown> {
  switch (m.op) {
    case 'query':
      return (m.tx === undefined ? adapter : transaction(m.tx)).queryRaw(m.query);
    case 'execute':
      return (m.tx === undefined ? adapter : transaction(m.tx)).executeRaw(m.query);
    case 'script':
      return adapter.executeScript(m.sql);
    case 'begin': {
      const tx = await adapter.startTransaction(m.isolation);
      transactions.set(++nextTx, tx);
      return { tx: nextTx, options: tx.options };
    }
    case 'commit':
    case 'rollback': {
      const tx = transaction(m.tx);
      transactions.delete(m.tx);
      return m.op === 'commit' ? tx.commit() : tx.rollback();
    }
    case 'exec':
      return connection.sql.exec(m.sql);
    case 'sql':
      return connection.sql.query(m.sql, m.params);
    case 'traffic':
      return recordTraffic(m.events, new Map(m.upstreamIds));
    case 'close':
      await closeDatabase();
      return undefined;
  }
}

try {
  const connection = dbConnection();
  const adapter = await connection.adapter.connect();
  // Opening the folder fails here, not at the first real query (PGlite queues until it is ready).
  await connection.sql.query('select 1');
  const info = adapter.getConnectionInfo?.();
  port.on('message', (m: DatabaseRequest) => {
    answer(connection, adapter, m).then(
      (result) => {
        port.postMessage({ id: m.id, result } satisfies DatabaseReply);
        if (m.op === 'close') port.close();
      },
      (e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        port.postMessage({ id: m.id, error: { message: error.message, ...(isDriverAdapterError(error) ? { driver: error.cause } : {}) } } satisfies DatabaseReply);
      },
    );
  });
  port.postMessage({ ready: { location: connection.location, schema: info?.schemaName, supportsRelationJoins: info?.supportsRelationJoins ?? false } } satisfies DatabaseReply);
} catch (e) {
  port.postMessage({ failed: e instanceof Error ? e.message : String(e) } satisfies DatabaseReply);
}
