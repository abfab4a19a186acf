/**
 * Generates the handshake known-answer vector (vectors/handshake-kat.json): every message and
 * every derived key of one handshake plus one request/response, from fixed seeds, with the
 * noble provider in deterministic mode. A second implementation replays it to check itself.
 */
import { concatBytes, createNobleProvider, getSuite, hkdfExpand, hkdfExtract, toHex, utf8, type CryptoProvider } from '../crypto';
import { createClientFinish, createClientHello, openClientFinish, processServerHello, respondToClientHello, verifyClientFinish, type Random } from './handshake';
import { generateKeyPair, keyIdOf, loadKeyPair } from './identity';
import { deriveHandshakeKeys, deriveHandshakeSecret, deriveReplyKey, deriveTrafficKeys } from './key-schedule';
import { InMemoryTicketKeyRing } from './key-ring';
import { C2S, sealRecord, sealReply } from './record';
import { sealState } from './sealed-state';
import * as wire from './wire';

/**
 * The KAT's random generator: block i of a stream is
 * HKDF-Expand(HKDF-Extract(salt = "", ikm = seed), "pqgate/1 kat rng" || u32(i), n) with SHA-384.
 */
export function katRandom(provider: CryptoProvider, seed: Uint8Array): Random {
  const h = provider.hash('SHA-384');
  const prk = hkdfExtract(h, new Uint8Array(0), seed);
  let i = 0;
  return (n: number) => {
    const c = i++;
    return hkdfExpand(h, prk, concatBytes(utf8('pqgate/1 kat rng'), Uint8Array.of(c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255)), n);
  };
}

const KAT_SUITES = ['classical-x25519-ed25519', 'hybrid-xwing-mldsa65', 'cnsa2-mlkem1024-mldsa87'] as const;
const IDENTITY_ALG = { 'classical-x25519-ed25519': 'Ed25519', 'hybrid-xwing-mldsa65': 'ML-DSA-65', 'cnsa2-mlkem1024-mldsa87': 'ML-DSA-87' } as const;

/** One KAT case for `suiteName`. All byte values are lower-case hex. */
export async function generateKatCase(suiteName: (typeof KAT_SUITES)[number]) {
  const provider = createNobleProvider();
  const suite = getSuite(suiteName);
  const fixed = (b: number) => new Uint8Array(32).fill(b);
  const inputs = {
    clientRngSeed: fixed(0xc1),
    serverRngSeed: fixed(0x5e),
    gatewaySeed: fixed(0x67),
    identitySeed: fixed(0x1d),
    ticketKey: fixed(0x7c),
    now: 1_767_225_600_000,
    policyEpoch: 7,
    route: 'tools/call',
    request: utf8('{"jsonrpc":"2.0","id":1,"method":"tools/list"}'),
    response: utf8('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}'),
  };
  const clientRng = katRandom(provider, inputs.clientRngSeed);
  const serverRng = katRandom(provider, inputs.serverRngSeed);
  const gateway = generateKeyPair(suite.signature, { seed: inputs.gatewaySeed, provider });
  const identity = generateKeyPair(IDENTITY_ALG[suiteName], { seed: inputs.identitySeed, provider });
  const ring = new InMemoryTicketKeyRing(inputs.ticketKey);

  const state = createClientHello(provider, [suite], suite, clientRng);
  const { serverHello, cookie } = respondToClientHello(provider, {
    helloBytes: state.helloBytes,
    gatewayKeys: [loadKeyPair(provider, gateway)],
    suites: [suite],
    minSuite: suite,
    policyEpoch: inputs.policyEpoch,
    now: inputs.now,
    random: serverRng,
    deterministic: true,
  });
  const sealedCookie = await sealState(provider, ring, 'cookie', wire.encodeCookieState(cookie), serverRng);
  const result = processServerHello(provider, state, serverHello, [{ algorithm: gateway.algorithm, publicKey: gateway.publicKey }]);
  const sealedFinish = createClientFinish(provider, result, loadKeyPair(provider, identity), true);
  const fin = openClientFinish(provider, cookie, sealedFinish);
  const session = verifyClientFinish(provider, cookie, fin, { algorithm: identity.algorithm, publicKey: identity.publicKey });

  const sh = wire.parseServerHello(serverHello);
  const ss = provider.kem(suite.kem).decapsulate(sh.kemCipherText, state.offers[0]!.seed);
  const hs = deriveHandshakeSecret(provider, suite, ss, wire.parseClientHello(state.helloBytes).clientNonce, sh.serverNonce);
  const hk = deriveHandshakeKeys(provider, suite, hs, result.transcriptHash);
  const traffic = deriveTrafficKeys(provider, suite, session.applicationSecret);
  const header = { sessionId: session.sessionId, seq: 0, route: inputs.route };
  const request = sealRecord(provider, suite, traffic.c2s, C2S, header, inputs.request);
  const ticketState = wire.encodeTicketState({
    suite,
    sessionId: session.sessionId,
    identityKeyId: identity.keyId,
    issuedAt: inputs.now,
    expiresAt: inputs.now + 3600_000,
    policyEpoch: inputs.policyEpoch,
    applicationSecret: session.applicationSecret,
  });
  const ticket = await sealState(provider, ring, 'ticket', ticketState.slice(), serverRng);
  // The gateway draws the reply salt after the ticket nonce, as the live server does.
  const response = sealReply(provider, suite, traffic.s2c, wire.ReplyStatus.reply, header, inputs.response, serverRng, ticket);
  const replyKey = deriveReplyKey(provider, suite, traffic.s2c, response.status, response.replySalt, ticket).key;
  const hex = (o: Record<string, Uint8Array | number | string>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Uint8Array ? toHex(v) : v]));
  return {
    suite: suite.name,
    inputs: hex({ ...inputs, identityAlgorithm: identity.algorithm, ticketKeyVersion: 1 }),
    keys: hex({
      clientKemSeed: state.offers[0]!.seed,
      gatewayPublicKey: gateway.publicKey,
      gatewayKeyId: keyIdOf(gateway.publicKey, provider),
      identityPublicKey: identity.publicKey,
      identityKeyId: identity.keyId,
    }),
    messages: hex({
      clientHello: state.helloBytes,
      serverHello,
      cookie: sealedCookie,
      finishPlaintext: wire.encodeFinishPlaintext(fin),
      clientFinish: wire.encodeClientFinish({ cookie: sealedCookie, sealedFinish, record: request }),
      recordResponse: wire.encodeRecordResponse({ ticket, ticketLifetimeSeconds: 3600, ...response }),
    }),
    derived: hex({
      kemSharedSecret: ss,
      handshakeSecret: hs,
      transcriptHash: result.transcriptHash,
      serverFinishedKey: hk.serverFinishedKey,
      clientFinishedKey: hk.clientFinishedKey,
      clientHandshakeKey: hk.clientHandshakeKey,
      clientHandshakeIv: hk.clientHandshakeIv,
      applicationSecret: session.applicationSecret,
      sessionId: session.sessionId,
      c2sKey: traffic.c2s.key,
      c2sIv: traffic.c2s.iv,
      s2cKey: traffic.s2c.key,
      s2cIv: traffic.s2c.iv,
      replySalt: response.replySalt,
      replyKey,
      cookieState: wire.encodeCookieState(cookie),
      ticketState,
    }),
  };
}

/** The whole KAT document. */
export async function generateHandshakeKat() {
  const cases = [];
  for (const s of KAT_SUITES) cases.push(await generateKatCase(s));
  return {
    description: 'pqgate channel v1 handshake known-answer vectors; see docs/protocol.md (Worked example).',
    provider: 'noble (deterministic encapsulation randomness and ML-DSA rnd = 0 drawn as described in docs/protocol.md)',
    rng: 'HKDF-Expand(HKDF-Extract("", seed), "pqgate/1 kat rng" || u32 counter, n) with SHA-384; one stream per side',
    cases,
  };
}
