/**
 * For running the conformance CLI by hand (see README.md here): starts the fixture server and the
 * gateway in front of it, prints both URLs and the commands, and runs until Ctrl-C.
 *
 *   npx tsx test/conformance/serve.ts
 */
import { startConformanceServer } from './fixture-server';
import { startGatewayTarget } from './gateway-target';
import { conformanceCli } from './run-conformance';

const fixture = await startConformanceServer();
const gateway = await startGatewayTarget(fixture.url);
let cli = '<path to @modelcontextprotocol/conformance>/dist/index.js';
try {
  cli = conformanceCli();
} catch (e) {
  console.error((e as Error).message);
}
console.log(`fixture server: ${fixture.url}\ngateway (bearer path, token added): ${gateway.url}\n`);
console.log(`straight:        npx -y node@24 ${cli} server --url ${fixture.url} --scenario tools-call-sampling`);
console.log(`through gateway: npx -y node@24 ${cli} server --url ${gateway.url} --scenario tools-call-sampling`);
console.log('\n(--scenario <name> for one, none for the active suite, -o <dir> to keep checks.json; Ctrl-C stops)');

process.once('SIGINT', () => void Promise.all([gateway.close(), fixture.close()]).then(() => process.exit(0)));
