/**
 * The product's HTTP server (started by `npm start` / `npm run dev` through scripts/start.ts):
 * Next.js for the console and every route, with the MCP gateway mounted ahead of Next.js's router
 * on the same port (lib/server/gateway-mount.ts says why). A Next.js custom server, as
 * https://nextjs.org/docs/app/guides/custom-server describes; `next start` alone still works and
 * serves the gateway through its route file, only slower.
 *
 * Usage: node --import tsx server.ts [--dev] [--port N]
 */
import { createServer, type RequestListener } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { connectionHolder } from './lib/db/connection-holder';
import { startDatabaseThread } from './lib/db/database-thread';
import { gatewayHolder } from './lib/gateway-holder';
import { startTrafficWriter } from './lib/gateway-store/traffic-writer';
import { stampPeer } from './lib/server/client-source';
import { mountGateway } from './lib/server/gateway-mount';

const { values } = parseArgs({ options: { dev: { type: 'boolean', default: false }, port: { type: 'string', default: process.env.PORT ?? '3000' } } });
if (!/^\d{1,5}$/.test(values.port!)) {
  console.error(`pqgate: --port must be a TCP port number, not "${values.port}"`);
  process.exit(2);
}
const port = Number(values.port);
const dev = values.dev!;

// Until Next.js is prepared (instrumentation included: migrations, keys, the gateway) every request
// gets 503; listening first reports a taken port at once instead of after the start-up work.
let listener: RequestListener = (_req, res) => void res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('pqgate is starting; retry in a moment\n');
const server = createServer((req, res) => listener(req, res));
// MCP clients hold their connection between calls; Node's 5 s default would close it under them.
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => {
  server.once('error', (error: NodeJS.ErrnoException) => {
    console.error(error.code === 'EADDRINUSE' ? `pqgate: port ${port} is in use; stop what listens there or set PORT to a free port.` : `pqgate: cannot listen on port ${port}: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, resolve);
});
// The gateway's traffic batches are written off the thread that answers calls. On PostgreSQL a
// worker thread with its own connections writes them (lib/gateway-store/traffic-writer.ts). The
// embedded database admits one client, so it moves to a thread of its own, which the console's
// queries reach through a driver adapter and which writes the batches itself
// (lib/db/database-thread.ts).
if (process.env.DATABASE_URL) gatewayHolder.__pqgateTrafficWriter = startTrafficWriter().write;
else {
  const database = startDatabaseThread();
  connectionHolder.__pqgateDbConnection = database.connection;
  gatewayHolder.__pqgateTrafficWriter = database.write;
}
// In development Next.js attaches its hot-reload WebSocket to this server.
const app = next({ dev, dir: import.meta.dirname, port, httpServer: server });
await app.prepare();
// The gateway reads the TCP peer from the socket; Next.js sees headers only, so the peer is
// stamped into a header for it (lib/server/client-source.ts says why X-Forwarded-For cannot serve).
listener = mountGateway(() => gatewayHolder.__pqgateGateway, stampPeer(app.getRequestHandler()));
console.log(`pqgate: server listening on port ${port}${dev ? ' (development)' : ''}`);
