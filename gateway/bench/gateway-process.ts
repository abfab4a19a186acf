/**
 * The gateway as its own process for the gateway bench: the core on the node adapter over an
 * in-memory store that knows one upstream (`--upstream <slug>=<url>`), one bearer token
 * (`--token`) and one enrolled identity key (`--identity <algorithm>:<hex public key>`).
 * Prints `pqgate-bench gateway listening on <origin>` once ready; SIGTERM closes it (so a
 * `--cpu-prof` profile is written). Loopback only.
 */
import { parseArgs } from 'node:util';
import { keyIdOf, type KeyPair } from '../channel';
import { fromHex } from '../crypto';
import { createMcpGateway } from '../mcp/gateway';
import { GATEWAY_KEYS } from '../mcp/testing/fixture';
import { MemoryGatewayStore } from '../mcp/testing/memory-store';
import { MAX_LIMIT } from '../policy/limits';
import { serveNode } from '../http/node-adapter';

const USAGE = 'usage: gateway-process.ts --upstream <slug>=<url> --token <token> --identity <algorithm>:<hex public key> [--port N]';

/** Limits that never bind a benchmark (the policy's maximum for each). */
const BENCH_LIMITS = { handshakesPerSourcePerMinute: MAX_LIMIT, sessionsPerIdentity: MAX_LIMIT, callsPerIdentityPerMinute: MAX_LIMIT, callsPerToolPerMinute: MAX_LIMIT };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { upstream: { type: 'string' }, token: { type: 'string' }, identity: { type: 'string' }, port: { type: 'string', default: '0' } } });
  const upstream = /^([a-z0-9-]+)=(http:\/\/127\.0\.0\.1:\d+\/\S*)$/.exec(values.upstream ?? '');
  const identity = /^([A-Za-z0-9-]+):([0-9a-f]+)$/.exec(values.identity ?? '');
  if (!upstream || !identity || !values.token || !/^\d+$/.test(values.port!)) throw new Error(USAGE);
  const [, slug, url] = upstream as unknown as [string, string, string];
  const caller = { identityId: 'id-bench', identityName: 'bench' };
  const publicKey = fromHex(identity[2]!);
  const algorithm = identity[1] as KeyPair['algorithm'];
  const store = new MemoryGatewayStore(GATEWAY_KEYS)
    .addUpstream({ slug, transport: 'http', url, headers: {} })
    .addIdentity(caller.identityId, caller.identityName)
    .addToken(values.token, caller)
    .enrollKey({ algorithm, publicKey, keyId: keyIdOf(publicKey) }, caller)
    // One identity drives the whole bench, far past the per-identity defaults.
    .setGlobal({ limits: BENCH_LIMITS });
  const gateway = createMcpGateway({ store });
  const http = await serveNode((request) => gateway.handle(request, decodeURIComponent(new URL(request.url).pathname.split('/')[3] ?? '')), { port: Number(values.port) });
  console.log(`pqgate-bench gateway listening on ${http.origin}`);
  const shutdown = () => void Promise.all([gateway.close(), http.close()]).finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
