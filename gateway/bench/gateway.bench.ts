/**
 * Gateway overhead benchmark (DESIGN §8), side by side in one run: `tools/call` latency (p50,
 * p99) and calls/s for (a) the SDK client straight to a demo upstream, (b) through the gateway's
 * bearer endpoint, (c) through the PQ channel (connector library in-process, hybrid suite), at
 * concurrency 1 and 32, with the overhead against (a) and the bars: p50 added <= 1 ms,
 * throughput >= 60 % of direct. Everything runs in this process over loopback HTTP.
 * Run: npx tsx gateway/bench/gateway.bench.ts   (BENCH_SECONDS scales the time per cell)
 */
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { generateKeyPair } from '../channel';
import { startDemoUpstream } from '../../scripts/demo-upstreams/start-demo-upstream';
import { bearerClient, channelClient, startFixture } from '../mcp/testing/fixture';

const SECONDS = Number(process.env.BENCH_SECONDS ?? '2.5');
const CONCURRENCY = [1, 32];
const CALL = { name: 'get_stock', arguments: { sku: 'TL-1001' } };
const BAR_P50_ADDED_MS = 1;
const BAR_THROUGHPUT = 0.6;

interface Cell {
  p50: number;
  p99: number;
  rate: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Runs `concurrency` loops of calls for `SECONDS` after a warm-up; latency per call. */
async function measure(client: Client, concurrency: number): Promise<Cell> {
  for (let i = 0; i < 100; i++) await client.callTool(CALL);
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await client.callTool(CALL);
        if (res.isError) throw new Error(`tools/call failed: ${JSON.stringify(res.content)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rate: latencies.length / elapsed };
}

async function main(): Promise<void> {
  const f = await startFixture();
  const direct = await startDemoUpstream('inventory', { port: 0 });
  const identity = generateKeyPair('ML-DSA-65');
  f.store.addIdentity('id-bench', 'bench').enrollKey(identity, { identityId: 'id-bench', identityName: 'bench' });

  const a = new Client({ name: 'bench-direct', version: '1' });
  await a.connect(new StreamableHTTPClientTransport(new URL(direct.url)));
  const b = await bearerClient(`${f.base}/inventory`);
  const c = await channelClient(`${f.base}/inventory`, identity);
  const paths: [string, Client][] = [
    ['(a) direct', a],
    ['(b) gateway, bearer', b],
    [`(c) gateway, PQ ${c.connector.channel.info().suite}`, c.client],
  ];

  console.log(`tools/call ${CALL.name} over loopback, ${SECONDS} s per cell, Node ${process.version}\n`);
  const rows: string[][] = [['path', 'conc.', 'p50 ms', 'p99 ms', 'calls/s', 'p50 added', 'p99 added', 'throughput', 'bars']];
  let allMet = true;
  for (const concurrency of CONCURRENCY) {
    const base = await measure(a, concurrency);
    for (const [name, client] of paths) {
      const cell = client === a ? base : await measure(client, concurrency);
      const added = cell.p50 - base.p50;
      const ratio = cell.rate / base.rate;
      const met = client === a || (added <= BAR_P50_ADDED_MS && ratio >= BAR_THROUGHPUT);
      allMet &&= met;
      rows.push([
        name,
        String(concurrency),
        cell.p50.toFixed(2),
        cell.p99.toFixed(2),
        cell.rate.toFixed(0),
        client === a ? '' : `${added >= 0 ? '+' : ''}${added.toFixed(2)} ms`,
        client === a ? '' : `${cell.p99 - base.p99 >= 0 ? '+' : ''}${(cell.p99 - base.p99).toFixed(2)} ms`,
        client === a ? '' : `${(ratio * 100).toFixed(0)} %`,
        client === a ? '' : met ? 'met' : 'MISSED',
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  '));
  console.log(`\nbars: p50 added <= ${BAR_P50_ADDED_MS} ms and throughput >= ${BAR_THROUGHPUT * 100} % of direct: ${allMet ? 'all met' : 'NOT all met'}`);

  await Promise.all([a.close(), b.close(), c.client.close()]);
  await direct.close();
  await f.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
