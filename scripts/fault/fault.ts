/**
 * `npm run fault`: breaks the product as `npm start` runs it (server.ts, production build) under
 * load and prints what became of the calls its clients saw answered (docs/audit.md,
 * "Acknowledged calls are durable").
 *
 * 1. kill -9 under load (embedded database): bearer clients call `inventory/get_stock`; the
 *    server is killed with SIGKILL mid-load and started again on the same folder. Prints the calls
 *    answered, the `tools/call` audit events found after the restart, and the events lost (the
 *    bar: zero).
 * 2. The database stopped under load (a throwaway PostgreSQL cluster, stopped with
 *    `pg_ctl -m immediate` and started again): bearer calls to an unfloored tool, bearer calls to
 *    a tool floored at ML-KEM-768 (refused: fail closed), post-quantum sessions to that tool; per
 *    phase what was answered and which errors came back, then whether the gateway stored its
 *    backlog by itself once the database returned, and the events lost (the bar: zero).
 *
 * Audit events are counted, not matched one by one (they do not carry the client's JSON-RPC id):
 * every call is made once, so `found >= answered` means none was lost; the calls in flight at
 * the kill may be found too (journaled, their reply never arrived).
 *
 *   FAULT_SECONDS       load before the fault (default 6)
 *   FAULT_CONCURRENCY   bearer clients (default 16)
 *   FAULT_PG_PORT       port of the throwaway PostgreSQL cluster (default 55439)
 *   FAULT_SCENARIOS     which to run, e.g. "2" (default "1,2")
 * Builds the console first if its build is stale (PQGATE_NEXT_DIST_DIR picks the build folder).
 */
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { generateKeyPair } from '../../gateway/channel';
import { parseKeyList } from '../../gateway/connector/trust';
import { toHex } from '../../gateway/crypto';
import { channelClient } from '../../gateway/mcp/testing/fixture';
import { fetchWithOwnSignal } from '../../gateway/mcp/testing/fetch-with-own-signal';
import { startDemoUpstream } from '../demo-upstreams/start-demo-upstream';
import { prepareProduct, root, startProductServer, tsx, type PreparedProduct, type RunningProduct } from '../bench/product';
import { startThrowawayPostgres } from './postgres-cluster';

const SECONDS = Number(process.env.FAULT_SECONDS ?? '6');
const CONCURRENCY = Number(process.env.FAULT_CONCURRENCY ?? '16');
const PG_PORT = Number(process.env.FAULT_PG_PORT ?? '55439');
const SCENARIOS = (process.env.FAULT_SCENARIOS ?? '1,2').split(',');
const FLOORED = 'price_quote';
const STOCK = { name: 'get_stock', arguments: { sku: 'TL-1001' } };
const QUOTE = { name: FLOORED, arguments: { items: [{ sku: 'TL-1001', quantity: 2 }] } };

/** What the calls of one phase got back. */
class Tally {
  answered = 0;
  unanswered = 0;
  /** Refused by the channel before the gateway decided (the connector reports it): not a call the gateway answered, not audited. */
  refusedByChannel = 0;
  readonly errors = new Map<string, number>();
  note(error: string): void {
    const key = error.split('\n')[0]!.slice(0, 160);
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }
  toString(): string {
    const errs = [...this.errors].map(([m, n]) => `${n} x "${m}"`).join('; ');
    return `${this.answered} answered, ${this.unanswered} unanswered${this.refusedByChannel ? `, ${this.refusedByChannel} refused by the channel` : ''}${errs ? ` (${errs})` : ''}`;
  }
}

/** Makes one call; the gateway's answer (result or JSON-RPC error) counts as answered, a transport failure does not. */
async function callOnce(client: Client, call: typeof STOCK | typeof QUOTE, tally: Tally): Promise<void> {
  try {
    const result = await client.callTool(call);
    tally.answered += 1;
    if (result.isError) tally.note(`tool error: ${JSON.stringify(result.content).slice(0, 120)}`);
  } catch (e) {
    // The connector answers itself when the channel refused the record: the call never reached a decision.
    if (e instanceof McpError && /pqgate gateway unreachable/.test(e.message)) tally.refusedByChannel += 1;
    else if (e instanceof McpError) tally.answered += 1;
    else tally.unanswered += 1;
    tally.note(e instanceof McpError ? `JSON-RPC ${e.code}: ${e.message}` : `no answer: ${(e as Error).message}`);
    if (!(e instanceof McpError)) await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `loops` until `stop()` resolves; each loop makes one call at a time into the current tally. */
function load(loops: (() => Promise<void>)[]): { stop(): Promise<void> } {
  let running = true;
  const all = Promise.all(loops.map(async (one) => {
    while (running) await one();
  }));
  return {
    async stop() {
      running = false;
      await all;
    },
  };
}

async function bearer(product: PreparedProduct, server: RunningProduct): Promise<Client> {
  const client = new Client({ name: 'pqgate-fault', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.origin}/api/mcp/inventory`), { requestInit: { headers: { authorization: `Bearer ${product.token}` } }, fetch: fetchWithOwnSignal }));
  return client;
}

/** Runs fault-db.ts with the product's environment (not spawnSync: the upstream lives in this process's event loop). */
function faultDb(product: PreparedProduct, args: string[]): Promise<string> {
  const [node, argv] = tsx('scripts/fault/fault-db.ts', args);
  const child = spawn(node, argv, { cwd: root, env: product.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').pop()!) : reject(new Error(`fault-db.ts ${args.join(' ')} failed (exit ${code})`)))),
  );
}

interface Counts {
  calls: { target: string; decision: string; n: number }[];
  unstored: number;
  duplicates: number;
}
const count = async (product: PreparedProduct): Promise<Counts> => JSON.parse(await faultDb(product, ['count'])) as Counts;
const found = (c: Counts, tool?: string) => c.calls.filter((x) => !tool || x.target === `inventory/${tool}`).reduce((s, x) => s + x.n, 0);

function verdict(lost: number): string {
  return lost === 0 ? 'bar met' : 'BAR MISSED';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function killUnderLoad(seedArgs: string[]): Promise<number> {
  console.log('\n1. kill -9 of the product under load (embedded database, PGlite)');
  const product = await prepareProduct(seedArgs);
  try {
    let server = await startProductServer(product.env);
    const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => bearer(product, server)));
    const tally = new Tally();
    const running = load(clients.map((c) => () => callOnce(c, STOCK, tally)));
    await sleep(SECONDS * 1000);
    process.kill(server.pid, 'SIGKILL');
    const killedAt = tally.answered;
    await running.stop();
    console.log(`   ${CONCURRENCY} bearer clients called inventory/get_stock for ${SECONDS} s, then kill -9 of server.ts (pid ${server.pid})`);
    console.log(`   calls: ${tally}`);
    const restarted = Date.now();
    server = await startProductServer(product.env);
    console.log(`   restarted on the same folder: healthy after ${seconds(Date.now() - restarted)} (the journal is replayed before the gateway answers)`);
    // The embedded database admits one process: stop the server (gracefully) to count.
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGTERM');
    await exited;
    const c = await count(product);
    const lost = Math.max(0, tally.answered - found(c, 'get_stock'));
    console.log(`   calls answered: ${tally.answered} (${killedAt} when the kill was sent)`);
    console.log(`   audit events found for them: ${found(c, 'get_stock')} (gateway.tools/call inventory/get_stock; stored twice: ${c.duplicates}; not storable: ${c.unstored})`);
    console.log(`   events lost: ${lost} (bar: 0) — ${verdict(lost)}`);
    for (const client of clients) void client.close().catch(() => undefined);
    return lost + c.duplicates;
  } finally {
    await product.dispose();
  }
}

async function databaseStopped(seedArgs: string[], identity: ReturnType<typeof generateKeyPair>): Promise<number> {
  console.log('\n2. the database stopped under load (PostgreSQL)');
  const cluster = startThrowawayPostgres(PG_PORT);
  if (typeof cluster === 'string') {
    console.log(`   skipped: ${cluster}`);
    return 0;
  }
  let product: PreparedProduct | undefined;
  let server: RunningProduct | undefined;
  try {
    product = await prepareProduct(seedArgs, { databaseUrl: cluster.url });
    server = await startProductServer(product.env);
    // Once the running gateway has listed the tool (a floor names a discovered tool); it applies the floor within its poll interval.
    await faultDb(product, ['floor', `inventory/${FLOORED}`, 'ML-KEM-768']);
    await sleep(2500);
    const base = `${server.origin}/api/mcp/inventory`;
    const keys = parseKeyList(await (await fetch(`${base}/pq/keys`)).json(), 'product gateway keys');
    const openPq = async () => (await channelClient(base, identity, { trustedGatewayKeys: keys })).client;
    const clients = await Promise.all(Array.from({ length: Math.max(1, CONCURRENCY / 2) }, () => bearer(product!, server!)));
    const pq = await openPq();
    const phases = { up: [new Tally(), new Tally(), new Tally()], down: [new Tally(), new Tally(), new Tally()], back: [new Tally(), new Tally(), new Tally()] };
    let phase = phases.up;
    const running = load([...clients.map((c) => () => callOnce(c, STOCK, phase[0]!)), () => callOnce(clients[0]!, QUOTE, phase[1]!), () => callOnce(pq, QUOTE, phase[2]!)]);
    await sleep(3000);
    cluster.stop();
    phase = phases.down;
    const stoppedAt = Date.now();
    await sleep(SECONDS * 1000);
    // A new post-quantum session while the database is down.
    const pqDown = await openPq().then(
      async (c) => {
        const t = new Tally();
        await callOnce(c, QUOTE, t);
        void c.close();
        return `opened; ${FLOORED}: ${t}`;
      },
      (e: unknown) => `refused: ${(e as Error).message.split('\n')[0]}`,
    );
    cluster.start();
    const backAt = Date.now();
    phase = phases.back;
    await sleep(3000);
    await running.stop();
    const answered = (p: Tally[]) => p[0]!.answered + p[1]!.answered + p[2]!.answered;
    const total = answered(phases.up) + answered(phases.down) + answered(phases.back);
    // The gateway catches up by itself: poll the log while it runs.
    let c = await count(product);
    while (found(c) < total && Date.now() - backAt < 60_000) {
      await sleep(500);
      c = await count(product);
    }
    const caughtUp = Date.now() - backAt;
    const pqAfter = await openPq().then(
      async (cl) => {
        const t = new Tally();
        await callOnce(cl, QUOTE, t);
        void cl.close();
        return `opened; ${FLOORED}: ${t}`;
      },
      (e: unknown) => `refused: ${(e as Error).message.split('\n')[0]}`,
    );
    const line = (name: string, p: Tally[]) => {
      console.log(`   ${name}`);
      console.log(`     get_stock (bearer, no floor):        ${p[0]}`);
      console.log(`     ${FLOORED} (bearer, floor ML-KEM-768): ${p[1]}`);
      console.log(`     ${FLOORED} (PQ session, hybrid):       ${p[2]}`);
    };
    line('database up (3 s):', phases.up);
    line(`database stopped (pg_ctl -m immediate, ${seconds(backAt - stoppedAt)}):`, phases.down);
    console.log(`     a new PQ session while it is down: ${pqDown}`);
    line('database started again (3 s):', phases.back);
    console.log(`   a new PQ session after it returned: ${pqAfter}`);
    const lost = Math.max(0, total - found(c));
    console.log(`   the gateway stored its backlog by itself ${found(c) >= total ? `${seconds(caughtUp)} after the database returned` : `NOT within ${seconds(caughtUp)}`} (no restart)`);
    console.log(`   calls answered: ${total}; audit events found: ${found(c)} (stored twice: ${c.duplicates}; not storable: ${c.unstored})`);
    console.log(`   events lost: ${lost} (bar: 0) — ${verdict(lost)}`);
    for (const cl of [...clients, pq]) void cl.close().catch(() => undefined);
    return lost + c.duplicates;
  } finally {
    if (server && server.process.exitCode === null) {
      const exited = new Promise((r) => server!.process.once('exit', r));
      server.process.kill('SIGTERM');
      const t = setTimeout(() => server!.process.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    await product?.dispose();
    cluster.destroy();
  }
}

const upstream = await startDemoUpstream('inventory', { port: 0 });
const identity = generateKeyPair('ML-DSA-65');
const seedArgs = ['--upstream', `inventory=${upstream.url}`, '--identity', `${identity.algorithm}:${toHex(identity.publicKey)}`];
console.log(`pqgate fault injection: the product as npm start runs it (server.ts), upstream ${upstream.url}`);
let failures = 0;
try {
  if (SCENARIOS.includes('1')) failures += await killUnderLoad(seedArgs);
  if (SCENARIOS.includes('2')) failures += await databaseStopped(seedArgs, identity);
} finally {
  await upstream.close();
}
console.log(failures === 0 ? '\nall bars met' : '\nsome bars were missed (see above)');
process.exit(failures === 0 ? 0 : 1);
