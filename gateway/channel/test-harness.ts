/**
 * Test helper: a gateway and its dependencies in memory, with a `fetch` that calls the core
 * directly and an optional man-in-the-middle hook that may rewrite request bodies.
 */
import { createNobleProvider, type CryptoProvider, type SignatureId } from '../crypto';
import type { ChannelEvent } from './events';
import { generateKeyPair, keyIdOf, type KeyPair, type PublicKeyRecord } from './identity';
import { InMemoryTicketKeyRing } from './key-ring';
import { createChannelServer, type ChannelServerDeps, type MessageHandler, type SessionInfo } from './server';

/** Deterministic key pair for tests. */
export const testKey = (alg: SignatureId, n: number, provider?: CryptoProvider): KeyPair => generateKeyPair(alg, { seed: new Uint8Array(32).fill(n), provider });

/** Echo handler that records the session info it saw. */
export function echoHandler(seen: SessionInfo[] = []): MessageHandler {
  return async (pt, info) => {
    seen.push(info);
    return new Uint8Array([...new TextEncoder().encode(`echo:${info.route}:`), ...pt]);
  };
}

/** Options for a test gateway. */
export interface HarnessOptions extends Partial<ChannelServerDeps> {
  readonly identities?: never;
  readonly registered?: KeyPair[];
  /** Rewrites request bodies on their way to the gateway (a man in the middle). */
  readonly tamper?: (path: string, body: Uint8Array) => Uint8Array;
  /** Rewrites successful response bodies on their way back to the client. */
  readonly tamperResponse?: (path: string, body: Uint8Array) => Uint8Array;
}

/** Builds a gateway in memory. */
export function createHarness(opts: HarnessOptions = {}) {
  const provider = opts.provider ?? createNobleProvider();
  const events: ChannelEvent[] = [];
  const time = { now: 1_700_000_000_000 };
  const keyRing = opts.keyRing ?? new InMemoryTicketKeyRing(new Uint8Array(32).fill(9));
  const gatewayKeys = opts.gatewayKeys ?? [testKey('Ed25519', 11, provider), testKey('ML-DSA-65', 12, provider), testKey('ML-DSA-87', 13, provider)];
  const registered = new Map<string, PublicKeyRecord>();
  for (const k of opts.registered ?? []) registered.set(Buffer.from(k.keyId).toString('hex'), { algorithm: k.algorithm, publicKey: k.publicKey });
  const { tamper, tamperResponse, registered: _r, ...rest } = opts;
  const server = createChannelServer({
    provider,
    clock: () => time.now,
    events: (e) => events.push(e),
    ...rest,
    keyRing,
    gatewayKeys,
    identities: async (id) => registered.get(Buffer.from(id).toString('hex')) ?? null,
  });
  const seen: SessionInfo[] = [];
  const handler = echoHandler(seen);
  const trusted: PublicKeyRecord[] = (gatewayKeys as KeyPair[]).map((k) => ({ algorithm: k.algorithm, publicKey: k.publicKey, keyId: keyIdOf(k.publicKey, provider) }));
  const requests: { path: string; status: number }[] = [];
  const doFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(url)).pathname;
    let body = new Uint8Array(init!.body as Uint8Array);
    if (tamper) body = tamper(path, body) as Uint8Array<ArrayBuffer>;
    const res = await server.handle(new Request(String(url), { ...init, body }), handler);
    requests.push({ path, status: res.status });
    if (!tamperResponse || !res.ok) return res;
    const out = tamperResponse(path, new Uint8Array(await res.arrayBuffer()));
    return new Response(out as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers });
  }) as typeof fetch;
  return { provider, server, events, time, keyRing, trusted, fetch: doFetch, seen, requests, register: (k: KeyPair) => registered.set(Buffer.from(k.keyId).toString('hex'), { algorithm: k.algorithm, publicKey: k.publicKey }) };
}

/** Base URL the test client connects to. */
export const URL_BASE = 'https://gateway.test/pq';
/** UTF-8 encode (tests). */
export const enc = (s: string) => new TextEncoder().encode(s);
/** UTF-8 decode (tests). */
export const dec = (b: Uint8Array) => new TextDecoder().decode(b);
