/**
 * Gateway overhead benchmark (DESIGN §8), side by side in one run: `tools/call` latency (p50,
 * p99) and calls/s for (a) the SDK client straight to the demo `inventory` upstream, (r) through
 * a bare node:http relay (the floor any extra process and hop costs here), (b, c) through the
 * gateway core alone (node adapter, in-memory store) with a bearer token and over the PQ channel,
 * and (d, e) the same through the product as `npm start` runs it (server.ts: Next.js with the
 * gateway mounted ahead of its router, the embedded database, traffic events and audit log
 * written as in production), at concurrency 1 and 32, with the overhead against (a) and the
 * bars: p50 added <= 1 ms, p99 added <= 3 ms, throughput >= 60 % of direct. The PQ rows use the
 * connector library in this process with the hybrid suite.
 *
 * As in a deployment, the upstream and each gateway run in their own process; this process only
 * generates load, so the event loops are not summed into one. Everything is loopback. CPU time
 * per call of each process is printed too: on a small machine they share the cores, and that
 * shows where time goes.
 *
 * Run: npx tsx gateway/bench/gateway.bench.ts
 *   BENCH_SECONDS      time per cell (default 8; each round also stops after 50 000 calls)
 *   BENCH_PATHS        letters of the paths besides (a) to measure, e.g. "c" or "d,e" (default: all)
 *   BENCH_GATEWAY_NODE_OPTIONS  extra node flags for the gateway core's process, e.g.
 *                      "--cpu-prof --cpu-prof-dir=/tmp/pqgate-prof" to profile it
 *   BENCH_PRODUCT_NODE_OPTIONS  the same for the product's server process
 *   BENCH_DATABASE_URL  a PostgreSQL server: the product runs on a fresh database there (dropped after)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { generateKeyPair, type PublicKeyRecord } from '../channel';
import { parseKeyList } from '../connector/trust';
import { toHex } from '../crypto';
import { channelClient } from '../mcp/testing/fixture';
import { fetchWithOwnSignal } from '../mcp/testing/fetch-with-own-signal';

const SECONDS = Number(process.env.BENCH_SECONDS ?? '8');
/** Each cell's time is split over rounds that alternate the paths, so load from elsewhere on the machine hits all of them alike. */
const ROUNDS = 4;
const MAX_CALLS_PER_ROUND = 50_000;
const WARMUP_CALLS = 200;
const START_TIMEOUT_MS = 20_000;
/** The product builds the console first when its build is stale. */
const PRODUCT_START_TIMEOUT_MS = 600_000;
const CONCURRENCY = [1, 32];
const CALL = { name: 'get_stock', arguments: { sku: 'TL-1001' } };
const BAR_P50_ADDED_MS = 1;
const BAR_P99_ADDED_MS = 3;
const BAR_THROUGHPUT = 0.6;
const TOKEN = 'pqg_bench_token';

interface Cell {
  p50: number;
  p99: number;
  rate: number;
  /** CPU milliseconds per call of each process. */
  cpu: Record<string, number>;
  /** CPU use of each process while the cell ran, in % of one core. */
  busy: Record<string, number>;
}

/** What the rounds of one path collected. */
interface Samples {
  latencies: number[];
  seconds: number;
  cpu: Record<string, number>;
}

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly url: string;
  /** Its standard output up to the "listening on" line. */
  readonly out: string;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Starts `script` under tsx in its own process and waits for its "listening on <url>" line. */
function start(name: string, script: string, args: string[], nodeOptions: string[] = [], timeoutMs = START_TIMEOUT_MS): Promise<Child> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ name, process: child, url: m[1]!, out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready`));
    });
  });
}

/** Stops a child with SIGTERM (so a CPU profile gets written), SIGKILL after 5 s. */
async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise((r) => child.process.once('exit', r));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** User + system CPU milliseconds of a process so far (Linux /proc; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** One round: `concurrency` loops of calls for `seconds` (at most MAX_CALLS_PER_ROUND), added to `into`. */
async function round(client: Client, concurrency: number, seconds: number, pids: Record<string, number | undefined>, into: Samples): Promise<void> {
  const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
  const start = performance.now();
  const end = start + seconds * 1000;
  let calls = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && calls < MAX_CALLS_PER_ROUND) {
        calls++;
        const t = performance.now();
        const res = await client.callTool(CALL);
        if (res.isError) throw new Error(`tools/call failed: ${JSON.stringify(res.content)}`);
        into.latencies.push(performance.now() - t);
      }
    }),
  );
  into.seconds += (performance.now() - start) / 1000;
  for (const [k, pid] of Object.entries(pids)) into.cpu[k] = (into.cpu[k] ?? 0) + cpuMs(pid) - cpu0[k]!;
}

/** Measures every path at `concurrency`: a warm-up each, then ROUNDS rounds alternating the paths. */
async function measure(clients: Client[], concurrency: number, pids: Record<string, number | undefined>): Promise<Cell[]> {
  const samples: Samples[] = clients.map(() => ({ latencies: [], seconds: 0, cpu: {} }));
  for (const client of clients) for (let i = 0; i < WARMUP_CALLS; i++) await client.callTool(CALL);
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order too, so no path always runs right after another.
    const order = clients.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) await round(clients[i]!, concurrency, SECONDS / ROUNDS, pids, samples[i]!);
  }
  return samples.map(({ latencies, seconds, cpu }) => {
    latencies.sort((a, b) => a - b);
    const perCall = Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, ms / latencies.length]));
    const busy = Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, ms / seconds / 10]));
    return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rate: latencies.length / seconds, cpu: perCall, busy };
  });
}

/** The gateway keys `url` serves (trusted as they come: the bench runs on loopback). */
/**
 * Session set-up cost: `n` times in a row, a new MCP session (initialize, initialized), one
 * call, and DELETE. Through the gateway each session opens (and ends) an upstream session of
 * its own, so this is what the relay's session model costs per session.
 */
async function sessionSetup(open: () => Promise<Client>, n: number): Promise<{ p50: number; p99: number; rate: number }> {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const client = await open();
    await client.callTool(CALL);
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), rate: n / seconds };
}

async function servedKeys(url: string): Promise<PublicKeyRecord[]> {
  const res = await fetch(`${url}/pq/keys`);
  if (!res.ok) throw new Error(`${url}/pq/keys answered HTTP ${res.status}`);
  return parseKeyList(await res.json(), 'product gateway keys');
}

const signed = (v: number, unit: string) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}${unit}`;

interface Path {
  readonly name: string;
  readonly client: Client;
  /** The process between client and upstream, if any. */
  readonly middle?: 'gateway' | 'relay' | 'product';
  /** Whether the bars apply (the relay only shows the floor). */
  readonly barred: boolean;
}

async function main(): Promise<void> {
  const identity = generateKeyPair('ML-DSA-65');
  const upstream = await start('upstream', here('../../scripts/demo-upstreams/main.ts'), ['inventory', '--port', '0']);
  const children: Child[] = [upstream];
  try {
    const gatewayFlags = (process.env.BENCH_GATEWAY_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
    const gateway = await start('gateway', here('./gateway-process.ts'), ['--upstream', `inventory=${upstream.url}`, '--token', TOKEN, '--identity', `${identity.algorithm}:${toHex(identity.publicKey)}`], gatewayFlags);
    children.push(gateway);
    const relay = await start('relay', here('./relay-process.ts'), ['--upstream', upstream.url]);
    children.push(relay);
    const base = `${gateway.url}/api/mcp/inventory`;
    // BENCH_PATHS=c (say) measures (a) and (c) only, e.g. to profile one path.
    const only = process.env.BENCH_PATHS?.split(',');
    const wanted = (letter: string) => !only || only.includes(letter);
    // The product as npm start runs it (builds first when the build is stale: minutes).
    const product = wanted('d') || wanted('e') ? await start('product', here('../../scripts/bench/product-process.ts'), ['--upstream', `inventory=${upstream.url}`, '--identity', `${identity.algorithm}:${toHex(identity.publicKey)}`], [], PRODUCT_START_TIMEOUT_MS) : undefined;
    if (product) children.push(product);
    const productBase = product && `${product.url}/api/mcp/inventory`;
    const productToken = product && /pqgate-bench token (\S+)/.exec(product.out)?.[1];
    const productPid = product && Number(/pqgate-bench product pid (\d+)/.exec(product.out)?.[1]);

    // The load generator's SDK clients get the same fetch as the gateway's upstream pool, so
    // none of them piles abort listeners onto one signal under load.
    const sdkClient = async (name: string, url: URL, headers: Record<string, string> = {}) => {
      const client = new Client({ name, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: fetchWithOwnSignal }));
      return client;
    };
    const direct = await sdkClient('bench-direct', new URL(upstream.url));
    const pqClient = async (url: string, trustedGatewayKeys?: PublicKeyRecord[]) => {
      const { client, connector } = await channelClient(url, identity, trustedGatewayKeys ? { trustedGatewayKeys } : {});
      return { client, suite: connector.channel.info().suite };
    };
    const sdk = async (...args: Parameters<typeof sdkClient>) => ({ client: await sdkClient(...args), suite: undefined });
    const all: (Omit<Path, 'client'> & { letter: string; open: () => Promise<{ client: Client; suite?: string }> })[] = [
      { letter: 'r', name: '(r) bare node:http relay (floor)', open: () => sdk('bench-relay', new URL(new URL(upstream.url).pathname, relay.url)), middle: 'relay', barred: false },
      { letter: 'b', name: '(b) gateway core, bearer', open: () => sdk('bench-bearer', new URL(base), { authorization: `Bearer ${TOKEN}` }), middle: 'gateway', barred: true },
      { letter: 'c', name: '(c) gateway core, PQ', open: () => pqClient(base), middle: 'gateway', barred: true },
      { letter: 'd', name: '(d) product, bearer', open: () => sdk('bench-product-bearer', new URL(productBase!), { authorization: `Bearer ${productToken}` }), middle: 'product', barred: true },
      { letter: 'e', name: '(e) product, PQ', open: async () => pqClient(productBase!, await servedKeys(productBase!)), middle: 'product', barred: true },
    ];
    const paths: Path[] = [{ name: '(a) direct', client: direct, barred: false }];
    for (const p of all) {
      if (!wanted(p.letter)) continue;
      const { client, suite } = await p.open();
      paths.push({ name: suite ? `${p.name} ${suite}` : p.name, client, middle: p.middle, barred: p.barred });
    }
    // `undefined` is this process (the load generator).
    const pids: Record<string, number | undefined> = { client: undefined, gateway: gateway.process.pid, relay: relay.process.pid, upstream: upstream.process.pid };
    if (productPid) pids.product = productPid;

    console.log(`tools/call ${CALL.name} over loopback, ${SECONDS} s per cell in ${ROUNDS} alternating rounds, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)}`);
    console.log(`processes: load generator (this one), gateway core (node adapter, in-memory store), relay, product (server.ts, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}), upstream (demo inventory)`);
    console.log('CPU columns: client / gateway, relay or product / upstream, per call and as % of one core\n');
    const rows: string[][] = [['path', 'conc.', 'p50 ms', 'p99 ms', 'calls/s', 'p50 added', 'p99 added', 'throughput', 'bars', 'CPU ms/call', 'CPU busy %']];
    let allMet = true;
    for (const concurrency of CONCURRENCY) {
      const cells = await measure(paths.map((p) => p.client), concurrency, pids);
      const base = cells[0]!;
      for (const [i, path] of paths.entries()) {
        const cell = cells[i]!;
        const p50Added = cell.p50 - base.p50;
        const p99Added = cell.p99 - base.p99;
        const ratio = cell.rate / base.rate;
        const misses = path.barred ? [p50Added > BAR_P50_ADDED_MS && 'p50', p99Added > BAR_P99_ADDED_MS && 'p99', ratio < BAR_THROUGHPUT && 'throughput'].filter(Boolean) : [];
        allMet &&= misses.length === 0;
        const procs = ['client', path.middle, 'upstream'];
        rows.push([
          path.name,
          String(concurrency),
          cell.p50.toFixed(2),
          cell.p99.toFixed(2),
          cell.rate.toFixed(0),
          i === 0 ? '' : signed(p50Added, ' ms'),
          i === 0 ? '' : signed(p99Added, ' ms'),
          i === 0 ? '' : `${(ratio * 100).toFixed(0)} %`,
          !path.barred ? '' : misses.length ? `MISSED ${misses.join(', ')}` : 'met',
          procs.map((k) => (k ? cell.cpu[k]!.toFixed(2) : '-')).join(' / '),
          procs.map((k) => (k ? cell.busy[k]!.toFixed(0) : '-')).join(' / '),
        ]);
      }
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) console.log(r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  '));
    // A new session per call: direct against (b), the gateway core's bearer path.
    const setups = [
      { name: '(a) direct, new session per call', open: () => sdkClient('bench-setup-direct', new URL(upstream.url)) },
      { name: '(b) gateway core, bearer, new session per call', open: () => sdkClient('bench-setup-bearer', new URL(base), { authorization: `Bearer ${TOKEN}` }) },
    ];
    console.log('\nsession set-up: initialize + initialized + one call + DELETE, 200 in a row (warm-up 20)');
    const setupRows: string[][] = [['path', 'p50 ms', 'p99 ms', 'sessions/s', 'p50 added']];
    let setupBase: number | undefined;
    for (const p of setups) {
      await sessionSetup(p.open, 20);
      const r = await sessionSetup(p.open, 200);
      setupBase ??= r.p50;
      setupRows.push([p.name, r.p50.toFixed(2), r.p99.toFixed(2), r.rate.toFixed(0), p === setups[0] ? '' : signed(r.p50 - setupBase, ' ms')]);
    }
    const setupWidths = setupRows[0]!.map((_, i) => Math.max(...setupRows.map((r) => r[i]!.length)));
    for (const r of setupRows) console.log(r.map((v, i) => (i === 0 ? v.padEnd(setupWidths[i]!) : v.padStart(setupWidths[i]!))).join('  '));
    console.log(`\nload average at the end ${loadavg()[0]!.toFixed(2)}`);
    console.log(`bars for (b) to (e): p50 added <= ${BAR_P50_ADDED_MS} ms, p99 added <= ${BAR_P99_ADDED_MS} ms, throughput >= ${BAR_THROUGHPUT * 100} % of direct: ${allMet ? 'all met' : 'NOT all met'}`);
    await Promise.all(paths.map((p) => p.client.close()));
  } finally {
    await Promise.all(children.reverse().map(stop));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
