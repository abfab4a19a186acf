/**
 * The product as `npm start` runs it, for the product rows of `npm run bench:gateway`, in a
 * process of its own (product.ts): server.ts in production mode on a fresh database with the
 * upstream, identity, API token and key the bench names. Traffic events and the audit log are
 * written as in production. Builds the console first if the build is stale.
 *
 * Prints `pqgate-bench token <token>`, the server's pid (for its CPU time) and then
 * `pqgate-bench product listening on <origin>`;
 * SIGTERM stops the server (which flushes its traffic batch) and removes the folder.
 * Usage: tsx scripts/bench/product-process.ts --upstream <slug>=<url> --identity <algorithm>:<hex public key>
 *
 * With BENCH_DATABASE_URL (a PostgreSQL server the bench may create databases on) the product runs
 * on a fresh database there instead, as a production deployment would, and drops it at the end.
 */
import { prepareProduct, startProductServer } from './product';

let product;
try {
  product = await prepareProduct(process.argv.slice(2), { databaseUrl: process.env.BENCH_DATABASE_URL });
} catch (e) {
  console.error(`pqgate-bench: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`pqgate-bench token ${product.token}`);
// BENCH_PRODUCT_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/p" profiles the server.
const nodeOptions = (process.env.BENCH_PRODUCT_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
let server;
try {
  server = await startProductServer(product.env, { nodeOptions });
} catch (e) {
  console.error(`pqgate-bench: ${(e as Error).message}`);
  await product.dispose();
  process.exit(1);
}
console.log(`pqgate-bench product pid ${server.pid}\npqgate-bench product listening on ${server.origin}`);
server.process.once('exit', async (code) => {
  await product.dispose();
  process.exit(code ?? 0);
});
process.once('SIGTERM', () => server.process.kill('SIGTERM'));
process.once('SIGINT', () => server.process.kill('SIGTERM'));
