/**
 * The embedded database on a thread of its own, for the product's server (server.ts). PGlite
 * runs Postgres as WebAssembly, synchronously, in the thread that opened it, and admits one
 * client: in the main thread every query and every traffic batch (500 decisions: discovery
 * edges, audit leaves, a checkpoint signature) held up the MCP calls waiting behind it. Here a
 * worker (database-thread-worker.ts) owns PGlite; the main thread's Prisma client talks to it
 * through a driver adapter that forwards each query, and the worker writes traffic batches itself.
 *
 * If the worker dies, the queries in flight fail with an error that says so (Prisma reports
 * them as usual), traffic batches in flight are sent again once, and the next query starts a
 * new worker on the same folder.
 */
import type { Worker } from 'node:worker_threads';
import { DriverAdapterError, type IsolationLevel, type SqlDriverAdapter, type SqlDriverAdapterFactory, type SqlQuery, type SqlResultSet, type Transaction, type TransactionOptions } from '@prisma/driver-adapter-utils';
import type { TrafficWrite } from '../gateway-store/traffic-writer';
import { spawnTsWorker } from '../server/ts-worker';
import type { Connection, SqlRunner } from './connection';
import type { DatabaseReply, DatabaseRequest } from './database-thread-worker';

/** The database thread as the main thread uses it. */
export interface DatabaseThread {
  /** What lib/db opens instead of PGlite in this thread. */
  readonly connection: Connection;
  /** Writes a traffic batch in the thread (installed for PrismaGatewayStore, gateway-holder.ts). */
  readonly write: TrafficWrite;
  /** Stops the worker at once, as a crash would (tests; the next query starts a new one). */
  terminate(): Promise<void>;
}

type Ready = Extract<DatabaseReply, { ready: unknown }>['ready'];
/** A request before it is numbered. */
type Ask = DatabaseRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One start of the worker. */
interface Started {
  worker?: Worker;
  ready: Promise<Ready>;
}

interface Pending {
  readonly request: Ask;
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Sent again once if the worker dies with it in flight (traffic batches). */
  retries: number;
  /** A transaction's requests go to the worker that began it, or fail. */
  readonly bound?: Started;
}

/** The adapter the worker runs (pglite-prisma-adapter's own name, which Prisma reports in errors). */
const ADAPTER_NAME = 'pglite-prisma-adapter';

/** Time between two starts of the worker, so a database that cannot open is not retried in a loop. */
const RESTART_DELAY_MS = 1000;

/**
 * Starts the database thread lazily (the worker starts with the first query, after Next.js has
 * loaded the environment it inherits, PQGATE_DATA_DIR among it).
 */
export function startDatabaseThread(options: { onError?: (message: string) => void; thread?: URL } = {}): DatabaseThread {
  const onError = options.onError ?? console.error;
  const thread = options.thread ?? new URL('./database-thread-worker.ts', import.meta.url);
  let current: Started | undefined;
  /** The folder, as the worker reports it. */
  let location = 'not opened yet';
  let lastStart = 0;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  function spawn(): Started {
    const started: Started = { ready: undefined as unknown as Promise<Ready> };
    const wait = Math.max(0, lastStart + RESTART_DELAY_MS - Date.now());
    lastStart = Date.now() + wait;
    started.ready = new Promise<void>((resolve) => setTimeout(resolve, wait)).then(
      () =>
        new Promise<Ready>((resolve, reject) => {
          const worker = (started.worker = spawnTsWorker(thread));
          worker.on('message', (m: DatabaseReply) => {
            if ('ready' in m) {
              location = m.ready.location;
              // An idle thread must not keep a process alive; one with requests in flight must
              // (those waiting for this start are sent, and ref it, right after).
              worker.unref();
              return resolve(m.ready);
            }
            if ('failed' in m) {
              reject(new Error(`the embedded database could not be opened: ${m.failed}`));
              void worker.terminate();
              return;
            }
            const p = pending.get(m.id);
            pending.delete(m.id);
            if (pending.size === 0) worker.unref();
            if ('error' in m) p?.reject(m.error.driver ? new DriverAdapterError(m.error.driver as DriverAdapterError['cause']) : new Error(m.error.message));
            else p?.resolve(m.result);
          });
          const gone = (why: string) => {
            reject(new Error(`the embedded database thread stopped before it was ready (${why})`));
            if (current !== started) return;
            current = undefined;
            const lost = [...pending.values()];
            pending.clear();
            if (lost.length) onError(`pqgate database thread: ${why}; ${lost.length} request(s) in flight`);
            for (const p of lost) {
              if (p.retries-- > 0) send(p);
              else p.reject(new Error(`the embedded database thread stopped (${why}); the request did not complete: retry it`));
            }
          };
          worker.on('error', (e) => gone(`worker failed: ${e.message}`));
          worker.on('exit', (code) => gone(`worker exited with code ${code}`));
        }),
    );
    started.ready.catch(() => undefined);
    return started;
  }

  function send(p: Pending): void {
    if (p.bound && p.bound !== current) return p.reject(new Error('the embedded database thread restarted during this transaction, which was rolled back: retry it'));
    const started = (current ??= spawn());
    started.ready.then(
      () => {
        // The worker may have been replaced while this waited.
        if (current !== started) return send(p);
        const id = ++nextId;
        pending.set(id, p);
        started.worker!.ref();
        started.worker!.postMessage({ ...p.request, id } as DatabaseRequest);
      },
      (e: Error) => {
        if (current === started) current = undefined;
        p.reject(e);
      },
    );
  }

  const call = <T>(request: Ask, options: { retries?: number; bound?: Started } = {}) =>
    new Promise<T>((resolve, reject) => send({ request, resolve: resolve as (v: unknown) => void, reject, retries: options.retries ?? 0, bound: options.bound }));

  const queryable = (tx?: { id: number; bound: Started }) => ({
    provider: 'postgres' as const,
    adapterName: ADAPTER_NAME,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: 'query', tx: tx?.id, query }, { bound: tx?.bound }),
    executeRaw: (query: SqlQuery) => call<number>({ op: 'execute', tx: tx?.id, query }, { bound: tx?.bound }),
  });

  const adapter: SqlDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    async connect(): Promise<SqlDriverAdapter> {
      const started = (current ??= spawn());
      const info = await started.ready.catch((e: unknown) => {
        if (current === started) current = undefined;
        throw e;
      });
      return {
        ...queryable(),
        executeScript: (sql) => call<void>({ op: 'script', sql }),
        async startTransaction(isolation?: IsolationLevel): Promise<Transaction> {
          const { tx: id, options: txOptions } = await call<{ tx: number; options: TransactionOptions }>({ op: 'begin', isolation });
          const tx = { id, bound: current! };
          return { ...queryable(tx), options: txOptions, commit: () => call<void>({ op: 'commit', tx: id }, { bound: tx.bound }), rollback: () => call<void>({ op: 'rollback', tx: id }, { bound: tx.bound }) };
        },
        getConnectionInfo: () => ({ schemaName: info.schema, supportsRelationJoins: info.supportsRelationJoins }),
        dispose: async () => undefined,
      };
    },
  };

  const sql: SqlRunner = {
    exec: (text) => call<void>({ op: 'exec', sql: text }),
    query: (text, params) => call({ op: 'sql', sql: text, params }),
  };

  return {
    connection: {
      kind: 'pglite',
      get location() {
        return location;
      },
      adapter,
      sql,
      session: (fn) => fn(sql),
      async close() {
        const running = current;
        if (!running) return;
        await running.ready.catch(() => undefined);
        const worker = running.worker;
        if (!worker || current !== running) return;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        await call<void>({ op: 'close' }).catch(() => undefined);
        await exited;
      },
    },
    async terminate() {
      await current?.ready.catch(() => undefined);
      await current?.worker?.terminate();
    },
    // The batch is written by the thread's own lib code; `writeHere` would only go through it too.
    write: (events, upstreamIds) => call<void>({ op: 'traffic', events, upstreamIds: [...upstreamIds] }, { retries: 1 }),
  };
}
