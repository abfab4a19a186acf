/**
 * Crypto benchmark: ops/s of each primitive per provider, and full handshakes per second per
 * suite per provider, counting only the gateway's CPU time (one core), beside the DESIGN bars.
 * Rates are per second of this process's CPU time (process.cpuUsage), not wall time, so other
 * load on the machine does not distort them; each row is bounded by wall time.
 * Run: npx tsx gateway/bench/crypto.bench.ts   (BENCH_SECONDS scales the time per row)
 */
import { performance } from 'node:perf_hooks';
import { connect } from '../channel/client';
import { generateKeyPair, keyIdOf } from '../channel/identity';
import { InMemoryTicketKeyRing } from '../channel/key-ring';
import { createChannelServer } from '../channel/server';
import { createNativeProvider, createNobleProvider, nativeSupport, SUITES, type CryptoProvider, type KemId, type SignatureId } from '../crypto';

const SECONDS = Number(process.env.BENCH_SECONDS ?? '1');
const PRIMITIVE_SECONDS = 0.4 * SECONDS;
const HANDSHAKE_SECONDS = 3 * SECONDS;
/** DESIGN §8: full hybrid handshakes per second per core. */
const BARS: Record<string, number> = { noble: 50, native: 500 };

/** CPU milliseconds (user + system) this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function rate(fn: () => void, seconds: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT and lazily built tables
  let n = 0;
  const start = cpuMs();
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || n < 3) {
    fn();
    n++;
  }
  return n / ((cpuMs() - start) / 1000);
}

function primitives(p: CryptoProvider): [string, number][] {
  const rows: [string, number][] = [];
  const kems: KemId[] = ['X25519', 'X-Wing', 'ML-KEM-768', 'ML-KEM-1024'];
  for (const id of kems) {
    const kem = p.kem(id);
    const seed = p.randomBytes(kem.lengths.seed);
    const pk = kem.publicKeyFromSeed(seed);
    const { cipherText } = kem.encapsulate(pk);
    rows.push([`${id} keygen`, rate(() => kem.publicKeyFromSeed(seed), PRIMITIVE_SECONDS)]);
    rows.push([`${id} encapsulate`, rate(() => kem.encapsulate(pk), PRIMITIVE_SECONDS)]);
    rows.push([`${id} decapsulate`, rate(() => kem.decapsulate(cipherText, seed), PRIMITIVE_SECONDS)]);
  }
  const sigs: SignatureId[] = ['Ed25519', 'ML-DSA-65', 'ML-DSA-87'];
  const msg = p.randomBytes(48);
  const ctx = new TextEncoder().encode('bench');
  for (const id of sigs) {
    const signer = p.signature(id).importSigner(p.randomBytes(32));
    const sig = signer.sign(msg, ctx);
    rows.push([`${id} sign`, rate(() => signer.sign(msg, ctx), PRIMITIVE_SECONDS)]);
    rows.push([`${id} verify`, rate(() => p.signature(id).verify(sig, msg, signer.publicKey, ctx), PRIMITIVE_SECONDS)]);
  }
  const key = p.randomBytes(32);
  const nonce = p.randomBytes(12);
  const kb = p.randomBytes(1024);
  for (const id of ['AES-256-GCM', 'ChaCha20-Poly1305'] as const) rows.push([`${id} seal 1 KiB`, rate(() => p.aead(id).seal(key, nonce, kb, nonce), PRIMITIVE_SECONDS)]);
  rows.push(['HMAC-SHA-384 1 KiB', rate(() => p.hash('SHA-384').hmac(key, kb), PRIMITIVE_SECONDS)]);
  return rows;
}

/** Full handshakes (ClientHello .. first record) against the server core; only server time counts. */
async function handshakes(p: CryptoProvider, suiteName: string): Promise<{ perSecond: number; count: number }> {
  const suite = SUITES.find((s) => s.name === suiteName)!;
  const gatewayKey = generateKeyPair(suite.signature, { provider: p });
  const identity = generateKeyPair(suite.signature, { provider: p });
  const server = createChannelServer({
    provider: p,
    keyRing: new InMemoryTicketKeyRing(p.randomBytes(32)),
    gatewayKeys: [gatewayKey],
    identities: async () => ({ algorithm: identity.algorithm, publicKey: identity.publicKey }),
    suites: [suiteName],
  });
  let serverMs = 0;
  const timedFetch = (async (url: string, init: RequestInit) => {
    const req = new Request(url, init);
    const t = cpuMs();
    const res = await server.handle(req, async (b) => b);
    serverMs += cpuMs() - t;
    return res;
  }) as typeof fetch;
  const trusted = [{ algorithm: gatewayKey.algorithm, publicKey: gatewayKey.publicKey, keyId: keyIdOf(gatewayKey.publicKey, p) }];
  const body = new Uint8Array(256);
  let count = 0;
  const wallEnd = performance.now() + HANDSHAKE_SECONDS * 1000;
  // Warm-up handshake, not counted.
  await (await connect('http://bench/pq', identity, { provider: p, fetch: timedFetch, trustedGatewayKeys: trusted, offer: [suiteName], minSuite: 'classical' })).request('bench', body);
  serverMs = 0;
  while (performance.now() < wallEnd || count < 3) {
    const s = await connect('http://bench/pq', identity, { provider: p, fetch: timedFetch, trustedGatewayKeys: trusted, offer: [suiteName], minSuite: 'classical' });
    await s.request('bench', body);
    count++;
  }
  return { perSecond: count / (serverMs / 1000), count };
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

async function main(): Promise<void> {
  const providers: CryptoProvider[] = [createNobleProvider()];
  const native = nativeSupport();
  if (native.available) providers.push(createNativeProvider());
  console.log(`pqgate crypto bench — Node ${process.versions.node}, OpenSSL ${process.versions.openssl}, ${SECONDS}x time`);
  if (!native.available) console.log(`native provider: unavailable (${native.reason})`);

  const table = providers.map((p) => new Map(primitives(p)));
  console.log(`\n${pad('primitive', 26)}${providers.map((p) => lpad(`${p.name} ops/s`, 16)).join('')}`);
  for (const op of table[0]!.keys()) console.log(`${pad(op, 26)}${table.map((t) => lpad(fmt(t.get(op)!), 16)).join('')}`);

  console.log(`\n${pad('full handshake (gateway CPU time, 1 core)', 44)}${pad('provider', 10)}${lpad('hs/s', 10)}${lpad('DESIGN bar', 12)}  verdict`);
  for (const p of providers) {
    for (const s of SUITES) {
      const r = await handshakes(p, s.name);
      const bar = s.name === 'hybrid-xwing-mldsa65' ? BARS[p.name]! : undefined;
      const verdict = bar === undefined ? '' : r.perSecond >= bar ? 'meets' : 'BELOW';
      console.log(`${pad(s.name, 44)}${pad(p.name, 10)}${lpad(fmt(r.perSecond), 10)}${lpad(bar === undefined ? '-' : `>= ${bar}`, 12)}  ${verdict} (${r.count} handshakes)`);
    }
  }
}

await main();
