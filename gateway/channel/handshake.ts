/**
 * The SIGMA-I handshake as pure functions over bytes (no HTTP, no clock, no global randomness):
 * ClientHello -> ServerHello (+cookie state) -> ClientFinish. The server and client modules add
 * I/O around these; the known-answer test drives them with fixed seeds.
 */
import { equalBytes, getSuiteById, identityFitsSuite, meetsMinimum, wipe, type CryptoProvider, type Suite } from '../crypto';
import { GatewayError } from '../errors';
import { keyIdOf, type LoadedKey, type PublicKeyRecord } from './identity';
import { AAD_LABEL, deriveClientHandshakeKey, deriveFinishedKey, deriveHandshakeSecret, deriveSession, SIGNATURE_CONTEXT, transcriptHash } from './key-schedule';
import * as wire from './wire';

/** Randomness source; tests inject a deterministic one. */
export type Random = (n: number) => Uint8Array;

/** What the client keeps between its ClientHello and the ServerHello. */
export interface ClientHelloState {
  readonly helloBytes: Uint8Array;
  readonly minSuite: Suite;
  readonly offers: readonly { suite: Suite; seed: Uint8Array }[];
}

/** Builds a ClientHello offering `offers` in preference order, with a fresh KEM key per offer. */
export function createClientHello(provider: CryptoProvider, offers: readonly Suite[], minSuite: Suite, random: Random): ClientHelloState {
  const clientNonce = random(wire.NONCE_LENGTH);
  const keyed = offers.map((suite) => ({ suite, seed: random(provider.kem(suite.kem).lengths.seed) }));
  const helloBytes = wire.encodeClientHello({
    clientNonce,
    minSuiteId: minSuite.id,
    offers: keyed.map((o) => ({ suiteId: o.suite.id, kemPublicKey: provider.kem(o.suite.kem).publicKeyFromSeed(o.seed) })),
  });
  return { helloBytes, minSuite, offers: keyed };
}

/** The gateway's side of the first flight. */
export interface ServerHelloInput {
  readonly helloBytes: Uint8Array;
  readonly gatewayKeys: readonly LoadedKey[];
  /** Suites the gateway accepts. */
  readonly suites: readonly Suite[];
  /** The gateway's own floor. */
  readonly minSuite: Suite;
  readonly policyEpoch: number;
  readonly now: number;
  readonly random: Random;
  /** Deterministic encapsulation and signing, for the known-answer test only (noble). */
  readonly deterministic?: boolean;
}

/** Chooses the first offered suite that both sides accept and that meets both minimums. */
export function chooseSuite(hello: wire.ClientHello, input: Pick<ServerHelloInput, 'suites' | 'minSuite' | 'gatewayKeys'>): { suite: Suite; offer: wire.Offer } {
  const clientMin = getSuiteById(hello.minSuiteId);
  if (clientMin) {
    for (const offer of hello.offers) {
      const suite = input.suites.find((s) => s.id === offer.suiteId);
      if (!suite || !meetsMinimum(suite, input.minSuite) || !meetsMinimum(suite, clientMin)) continue;
      if (input.gatewayKeys.some((k) => k.algorithm === suite.signature)) return { suite, offer };
    }
  }
  const offered = hello.offers.map((o) => getSuiteById(o.suiteId)?.name ?? `0x${o.suiteId.toString(16)}`).join(', ');
  throw new GatewayError('no_common_suite', `offered [${offered}]; the gateway requires at least ${input.minSuite.name}`);
}

/** Answers a ClientHello: the ServerHello bytes and the state to seal into the cookie. */
export function respondToClientHello(provider: CryptoProvider, input: ServerHelloInput): { serverHello: Uint8Array; cookie: wire.CookieState } {
  const hello = wire.parseClientHello(input.helloBytes);
  const { suite, offer } = chooseSuite(hello, input);
  const gatewayKey = input.gatewayKeys.find((k) => k.algorithm === suite.signature)!;
  const kem = provider.kem(suite.kem);
  const serverNonce = input.random(wire.NONCE_LENGTH);
  const randomness = input.deterministic ? input.random(kem.lengths.encapsulationRandomness) : undefined;
  const { cipherText, sharedSecret } = kem.encapsulate(offer.kemPublicKey, randomness);
  const fields = {
    serverNonce,
    suite,
    echoMinSuiteId: hello.minSuiteId,
    echoOfferIds: hello.offers.map((o) => o.suiteId),
    kemCipherText: cipherText,
    gatewayKeyId: gatewayKey.keyId,
    policyEpoch: input.policyEpoch,
  };
  const empty = new Uint8Array(0);
  const tbs = wire.encodeServerHello({ ...fields, signature: empty, finished: empty });
  const signature = gatewayKey.signer.sign(transcriptHash(provider, suite, input.helloBytes, tbs), SIGNATURE_CONTEXT.server, { deterministic: input.deterministic });
  const beforeFinished = wire.encodeServerHello({ ...fields, signature, finished: empty });
  const hs = deriveHandshakeSecret(provider, suite, sharedSecret, hello.clientNonce, serverNonce);
  wipe(sharedSecret);
  const finishedKey = deriveFinishedKey(provider, suite, hs, 'server');
  const finished = provider.hash(suite.hash).hmac(finishedKey, transcriptHash(provider, suite, input.helloBytes, beforeFinished));
  wipe(finishedKey);
  const serverHello = wire.encodeServerHello({ ...fields, signature, finished });
  const cookie: wire.CookieState = {
    suite,
    createdAt: input.now,
    policyEpoch: input.policyEpoch,
    serverNonce,
    clientHelloHash: transcriptHash(provider, suite, input.helloBytes),
    transcriptHash: transcriptHash(provider, suite, input.helloBytes, serverHello),
    handshakeSecret: hs,
    gatewayKeyId: gatewayKey.keyId,
  };
  return { serverHello, cookie };
}

/** What the client knows once the ServerHello checks out. */
export interface ClientHandshakeResult {
  readonly suite: Suite;
  readonly serverHello: wire.ServerHello;
  readonly transcriptHash: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly applicationSecret: Uint8Array;
}

/** Rebuilds the ClientHello the gateway says it received: our keys, its echoed offer order and minimum. */
function helloAsEchoed(state: ClientHelloState, sh: wire.ServerHello): Uint8Array | null {
  const parsed = wire.parseClientHello(state.helloBytes);
  const offers = sh.echoOfferIds.map((id) => parsed.offers.find((o) => o.suiteId === id));
  if (offers.some((o) => !o)) return null;
  return wire.encodeClientHello({ clientNonce: parsed.clientNonce, minSuiteId: sh.echoMinSuiteId, offers: offers as wire.Offer[] });
}

/**
 * Verifies a ServerHello against the ClientHello we sent.
 * @throws `downgrade_detected` when the gateway provably received a stripped or reordered offer
 * or a changed minimum; `suite_below_minimum`, `untrusted_gateway_key`, `bad_signature`, `bad_finished`.
 */
export function processServerHello(provider: CryptoProvider, state: ClientHelloState, serverHelloBytes: Uint8Array, trusted: readonly PublicKeyRecord[]): ClientHandshakeResult {
  const sh = wire.parseServerHello(serverHelloBytes);
  const suite = sh.suite;
  const offer = state.offers.find((o) => o.suite.id === suite.id);
  const gatewayKey = trusted.find((k) => k.algorithm === suite.signature && equalBytes(k.keyId ?? keyIdOf(k.publicKey, provider), sh.gatewayKeyId));
  if (!gatewayKey) throw new GatewayError('untrusted_gateway_key', `gateway key for ${suite.signature} is not in the trusted set`);
  const empty = new Uint8Array(0);
  const tbs = wire.encodeServerHello({ ...sh, signature: empty, finished: empty });
  const sig = provider.signature(suite.signature);
  const verifies = (hello: Uint8Array) => sig.verify(sh.signature, transcriptHash(provider, suite, hello, tbs), gatewayKey.publicKey, SIGNATURE_CONTEXT.server);
  if (!verifies(state.helloBytes)) {
    // The gateway signed what it received. If that was our offer stripped or reordered, its
    // signature verifies over the echoed variant: proof of a downgrade attempt, not noise.
    const echoed = helloAsEchoed(state, sh);
    if (echoed && verifies(echoed)) throw new GatewayError('downgrade_detected', 'the gateway received a stripped or reordered suite offer');
    throw new GatewayError('bad_signature', 'gateway signature over the transcript does not verify');
  }
  if (!offer) throw new GatewayError('downgrade_detected', `gateway chose ${suite.name}, which was not offered`);
  if (!meetsMinimum(suite, state.minSuite)) throw new GatewayError('suite_below_minimum', `gateway chose ${suite.name}, below the minimum ${state.minSuite.name}`);
  const hello = wire.parseClientHello(state.helloBytes);
  const ss = provider.kem(suite.kem).decapsulate(sh.kemCipherText, offer.seed);
  const hs = deriveHandshakeSecret(provider, suite, ss, hello.clientNonce, sh.serverNonce);
  wipe(ss);
  const finishedKey = deriveFinishedKey(provider, suite, hs, 'server');
  const beforeFinished = wire.encodeServerHello({ ...sh, finished: empty });
  const expected = provider.hash(suite.hash).hmac(finishedKey, transcriptHash(provider, suite, state.helloBytes, beforeFinished));
  wipe(finishedKey);
  if (!equalBytes(expected, sh.finished)) throw new GatewayError('bad_finished', 'server Finished MAC does not verify');
  const th = transcriptHash(provider, suite, state.helloBytes, serverHelloBytes);
  return { suite, serverHello: sh, transcriptHash: th, handshakeSecret: hs, ...deriveSession(provider, suite, hs, th) };
}

/** The Finish prefix the client's Finished MAC covers (key id and signature). */
function finishMacInput(provider: CryptoProvider, suite: Suite, th: Uint8Array, keyId: Uint8Array, signature: Uint8Array): Uint8Array {
  const tbs = wire.encodeFinishPlaintext({ identityKeyId: keyId, signature, finished: new Uint8Array(0) });
  return transcriptHash(provider, suite, th, tbs);
}

/** Builds the client's sealed Finish: identity key id, signature over the transcript, Finished MAC. */
export function createClientFinish(provider: CryptoProvider, result: Pick<ClientHandshakeResult, 'suite' | 'transcriptHash' | 'handshakeSecret'>, identity: LoadedKey, deterministic = false): Uint8Array {
  const { suite, transcriptHash: th, handshakeSecret: hs } = result;
  if (!identityFitsSuite(suite, identity.algorithm)) throw new GatewayError('identity_mismatch', `suite ${suite.name} needs an identity at least as strong as ${suite.signature}`);
  const signature = identity.signer.sign(th, SIGNATURE_CONTEXT.client, { deterministic });
  const finishedKey = deriveFinishedKey(provider, suite, hs, 'client');
  const finished = provider.hash(suite.hash).hmac(finishedKey, finishMacInput(provider, suite, th, identity.keyId, signature));
  const pt = wire.encodeFinishPlaintext({ identityKeyId: identity.keyId, signature, finished });
  const k = deriveClientHandshakeKey(provider, suite, hs, th);
  try {
    return provider.aead(suite.aead).seal(k.key, k.iv, pt, AAD_LABEL.finish);
  } finally {
    wipe(k.key, finishedKey, pt);
  }
}

/** Decrypts and parses the client's Finish (before the identity lookup). */
export function openClientFinish(provider: CryptoProvider, cookie: wire.CookieState, sealedFinish: Uint8Array): wire.FinishPlaintext {
  const k = deriveClientHandshakeKey(provider, cookie.suite, cookie.handshakeSecret, cookie.transcriptHash);
  const pt = provider.aead(cookie.suite.aead).open(k.key, k.iv, sealedFinish, AAD_LABEL.finish);
  wipe(k.key);
  if (!pt) throw new GatewayError('bad_finished', 'client Finish does not decrypt under this handshake');
  return wire.parseFinishPlaintext(pt, cookie.suite);
}

/** Verifies the client's identity signature and Finished MAC; returns the session secrets. */
export function verifyClientFinish(provider: CryptoProvider, cookie: wire.CookieState, fin: wire.FinishPlaintext, identity: PublicKeyRecord): { sessionId: Uint8Array; applicationSecret: Uint8Array } {
  const { suite, transcriptHash: th, handshakeSecret: hs } = cookie;
  if (!identityFitsSuite(suite, identity.algorithm)) {
    throw new GatewayError('identity_mismatch', `suite ${suite.name} needs an identity at least as strong as ${suite.signature}, this one is ${identity.algorithm}`);
  }
  if (!provider.signature(identity.algorithm).verify(fin.signature, th, identity.publicKey, SIGNATURE_CONTEXT.client)) {
    throw new GatewayError('bad_signature', 'client signature over the transcript does not verify');
  }
  const finishedKey = deriveFinishedKey(provider, suite, hs, 'client');
  const expected = provider.hash(suite.hash).hmac(finishedKey, finishMacInput(provider, suite, th, fin.identityKeyId, fin.signature));
  wipe(finishedKey);
  if (!equalBytes(expected, fin.finished)) throw new GatewayError('bad_finished', 'client Finished MAC does not verify');
  return deriveSession(provider, suite, hs, th);
}
