/**
 * The floor the gateway bench compares against: a bare `node:http` relay that pipes every request
 * to the upstream and the reply back over keep-alive connections, with no parsing, policy or
 * crypto. Whatever it adds over calling the upstream directly is the cost of one more process and
 * two more loopback hops on this machine, which no gateway written for Node can undercut.
 * Usage: relay-process.ts --upstream <url>; prints `pqgate-bench relay listening on <origin>`.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { upstream: { type: 'string' } } });
if (!values.upstream || !/^http:\/\/127\.0\.0\.1:\d+\//.test(values.upstream)) {
  console.error('usage: relay-process.ts --upstream http://127.0.0.1:<port>/<path>');
  process.exit(2);
}
const upstream = new URL(values.upstream);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const { host: _host, connection: _connection, ...headers } = req.headers;
  const out = request(upstream, { method: req.method, headers, agent }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  out.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
  req.pipe(out);
});
server.listen(0, '127.0.0.1', () => console.log(`pqgate-bench relay listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
