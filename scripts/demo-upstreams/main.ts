/**
 * CLI: `tsx scripts/demo-upstreams/main.ts <clinic-records|inventory> --port N [--host H]`
 * serves Streamable HTTP and prints one ready line; `--stdio` serves stdio instead.
 */
import { parseArgs } from 'node:util';
import { DEMO_UPSTREAM_NAMES, isDemoUpstreamName, runDemoUpstreamStdio, startDemoUpstream } from './start-demo-upstream';

const USAGE = `usage: main.ts <${DEMO_UPSTREAM_NAMES.join('|')}> (--port N [--host 127.0.0.1] | --stdio)`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, stdio: { type: 'boolean', default: false } },
  });
  const [name, ...extra] = positionals;
  if (!name || !isDemoUpstreamName(name) || extra.length > 0) throw new Error(USAGE);

  const closers: Array<() => Promise<void>> = [];
  if (values.stdio) {
    if (values.port !== undefined) throw new Error(`--stdio and --port exclude each other\n${USAGE}`);
    const server = await runDemoUpstreamStdio(name);
    closers.push(() => server.close());
    // stdout carries the protocol, so the ready line goes to stderr.
    console.error(`pqgate-demo ${name} serving stdio`);
  } else {
    if (values.port === undefined || !/^\d+$/.test(values.port)) throw new Error(`--port N is required\n${USAGE}`);
    const upstream = await startDemoUpstream(name, { port: Number(values.port), host: values.host });
    closers.push(() => upstream.close());
    console.log(`pqgate-demo ${name} listening on ${upstream.url}`);
  }

  const shutdown = () => {
    void Promise.all(closers.map((close) => close())).finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
