/**
 * The client library: `connect()` performs the handshake, and the returned session encrypts
 * requests and decrypts responses, re-handshaking when the ticket expires or is refused.
 *
 * A request is never sealed twice on the word of an answer that does not prove it was not run
 * (docs/protocol.md §7.2): the same record bytes may be posted again (the gateway accepts a
 * record at most once), but a request is sealed anew, under a new session, only when the
 * caller marks it idempotent.
 */
import { getCryptoProvider, getSuite, identityFitsSuite, meetsMinimum, SUITES, toHex, wipe, type CryptoProvider, type Suite } from '../crypto';
import { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode } from '../errors';
import type { ChannelEvent, EventSink } from './events';
import { createClientFinish, createClientHello, processServerHello, type ClientHandshakeResult, type ClientHelloState, type Random } from './handshake';
import { CHANNEL_CONTENT_TYPE, fetchPost } from './http';
import { displayKeyId, loadKeyPair, type KeyPair, type LoadedKey, type PublicKeyRecord } from './identity';
import { deriveTrafficKeys, SIGNATURE_CONTEXT, transcriptHash, type TrafficKeys } from './key-schedule';
import { nodePost } from './node-post';
import { C2S, openReply, sealRecord } from './record';
import * as wire from './wire';

/** Options of `connect`. */
export interface ConnectOptions {
  /** Gateway public keys the client trusts (from its trust bundle). */
  readonly trustedGatewayKeys: readonly PublicKeyRecord[];
  /** The weakest suite the client accepts (default: the hybrid suite). */
  readonly minSuite?: string;
  /** Suites to offer, in preference order (default: every suite that fits the identity and minimum, strongest first). */
  readonly offer?: readonly string[];
  /** Stands in for the network (tests); by default records go over keep-alive `node:http`. */
  readonly fetch?: typeof fetch;
  readonly provider?: CryptoProvider;
  readonly random?: Random;
  readonly clock?: () => number;
  readonly events?: EventSink;
}
const OPTION_KEYS = ['trustedGatewayKeys', 'minSuite', 'offer', 'fetch', 'provider', 'random', 'clock', 'events'];

/** What a session exposes about itself. */
export interface ChannelSessionInfo {
  readonly suite: string;
  readonly sessionId: string;
  readonly gatewayKeyId: string;
  readonly policyEpoch: number;
}

/** An established (or establishing) channel session. */
export interface ChannelSession {
  /**
   * Sends `body` on `route` and returns the decrypted reply.
   * @param options.idempotent the request may run twice without harm: when its first attempt's
   *   fate is unknown it is sent again under a new session instead of failing with `outcome_unknown`.
   * @throws GatewayError `outcome_unknown` when the request may have run and was not sent again.
   */
  request(route: string, body: Uint8Array, options?: { readonly idempotent?: boolean }): Promise<Uint8Array>;
  /** The current session; changes after a re-handshake. */
  info(): ChannelSessionInfo;
  /** Number of full handshakes performed so far. */
  handshakes(): number;
}

interface Established {
  result: ClientHandshakeResult;
  keys: TrafficKeys;
  cookie?: Uint8Array; // present until the Finish has been accepted
  sealedFinish?: Uint8Array;
  ticket?: Uint8Array;
  expiresAt: number;
  nextSeq: number;
}

/** Answers after which the session cannot go on; a new handshake follows. */
const SESSION_LOST: readonly GatewayErrorCode[] = ['ticket_expired', 'ticket_invalid', 'cookie_expired', 'cookie_invalid', 'replay', 'bad_record'];

/** Answers after which the very same record bytes are posted again (at most once is the gateway's job). */
const TRANSIENT_STATUS = new Set([502, 503, 504]);
/** Pauses before posting the same record again, after a network failure or a transient answer. */
const REPOST_DELAYS_MS = [100, 500, 2000];

/** The client re-handshakes this long before its ticket expires, so records do not meet an expired ticket. */
const EXPIRY_MARGIN_MS = 60_000;

/** A failure the gateway authenticated: sealed in a refusal record under the session's keys. */
function refusal(plaintext: Uint8Array): GatewayError {
  let parsed: { code?: unknown; message?: unknown } = {};
  try {
    parsed = JSON.parse(new TextDecoder().decode(plaintext)) as typeof parsed;
  } catch {
    // Falls through to the malformed refusal below.
  }
  if ((parsed.code !== 'replay' && parsed.code !== 'ticket_expired') || typeof parsed.message !== 'string') return new GatewayError('malformed_message', 'the gateway sent a refusal this client cannot read');
  return new GatewayError(parsed.code, `gateway (authenticated): ${parsed.message.slice(0, 300)}`, { advice: false });
}

/** Turns an error response of the gateway back into a GatewayError with its code. */
function failure(status: number, body: Uint8Array, location?: string): GatewayError {
  let code: GatewayErrorCode = 'malformed_message';
  // Records are not re-sent to another address on the server's say-so; the user decides.
  if (status >= 300 && status < 400) return new GatewayError(code, `gateway answered HTTP ${status}, a redirect${location ? ` to ${location.slice(0, 200)}` : ''}: connect to the gateway's URL itself`);
  let message = `gateway answered HTTP ${status}`;
  try {
    const j = JSON.parse(new TextDecoder().decode(body)) as { error?: { code?: string; message?: string } };
    if (j.error?.code && Object.hasOwn(GATEWAY_ERRORS, j.error.code)) code = j.error.code as GatewayErrorCode;
    if (j.error?.message) message = `gateway: ${j.error.message.slice(0, 300)}`;
  } catch {
    // Not our JSON: keep the generic code.
  }
  return new GatewayError(code, message, { advice: false });
}

/**
 * Connects to the channel at `url` (the base path; `/handshake` and `/record` are appended).
 * @throws GatewayError from the handshake: `downgrade_detected`, `suite_below_minimum`, `untrusted_gateway_key`, ...
 */
export async function connect(url: string, identity: KeyPair, options: ConnectOptions): Promise<ChannelSession> {
  for (const k of Object.keys(options)) if (!OPTION_KEYS.includes(k)) throw new GatewayError('invalid_argument', `connect: unknown option "${k}"`);
  const provider = options.provider ?? getCryptoProvider();
  const random = options.random ?? provider.randomBytes;
  const clock = options.clock ?? Date.now;
  const doPost = options.fetch ? fetchPost(options.fetch) : nodePost();
  const minSuite = getSuite(options.minSuite ?? 'hybrid');
  const offers: Suite[] = options.offer
    ? options.offer.map(getSuite)
    : [...SUITES].reverse().filter((s) => identityFitsSuite(s, identity.algorithm) && meetsMinimum(s, minSuite));
  if (!offers.length) throw new GatewayError('no_common_suite', `identity ${identity.algorithm} fits no suite at or above ${minSuite.name}`);
  const key: LoadedKey = loadKeyPair(provider, identity);
  const base = url.replace(/\/+$/, '');
  let count = 0;
  let current: Established | undefined;
  const emit = (e: Omit<ChannelEvent, 'at'>) => {
    try {
      options.events?.({ ...e, at: clock() });
    } catch {
      // The sink must not break the client.
    }
  };

  async function post(path: string, body: Uint8Array): Promise<Uint8Array> {
    const res = await doPost(`${base}${path}`, CHANNEL_CONTENT_TYPE, body);
    if (res.status < 200 || res.status > 299) throw failure(res.status, res.body, res.location);
    return res.body;
  }

  /**
   * Posts one record, and the same bytes again after a network failure or a 502/503/504: the
   * gateway accepts a record at most once, so this cannot run a request twice.
   */
  async function postRecord(body: Uint8Array): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt++) {
      let res: Awaited<ReturnType<typeof doPost>>;
      try {
        res = await doPost(`${base}/record`, CHANNEL_CONTENT_TYPE, body);
      } catch (e) {
        if (e instanceof GatewayError || attempt >= REPOST_DELAYS_MS.length) throw e;
        await new Promise((r) => setTimeout(r, REPOST_DELAYS_MS[attempt]));
        continue;
      }
      if (res.status >= 200 && res.status <= 299) return res.body;
      if (!TRANSIENT_STATUS.has(res.status) || attempt >= REPOST_DELAYS_MS.length) throw failure(res.status, res.body, res.location);
      await new Promise((r) => setTimeout(r, REPOST_DELAYS_MS[attempt]));
    }
  }

  async function reportDowngrade(state: ClientHelloState, cookie: Uint8Array, sh: Uint8Array): Promise<void> {
    const suite = wire.parseServerHello(sh).suite;
    const h = transcriptHash(provider, suite, state.helloBytes);
    const serverNonce = wire.parseServerHello(sh).serverNonce;
    const signature = key.signer.sign(transcriptHash(provider, suite, h, serverNonce), SIGNATURE_CONTEXT.alert);
    try {
      await post('/record', wire.encodeClientAlert({ cookie, alert: 1, clientHello: state.helloBytes, identityKeyId: key.keyId, signature }));
    } catch {
      // The gateway answers the alert with an error by design; delivery is best effort.
    }
  }

  async function handshake(): Promise<Established> {
    count++;
    const state = createClientHello(provider, offers, minSuite, random);
    const resp = wire.parseHandshakeResponse(await post('/handshake', state.helloBytes));
    let result: ClientHandshakeResult;
    try {
      result = processServerHello(provider, state, resp.serverHello, options.trustedGatewayKeys);
    } catch (e) {
      wipe(...state.offers.map((o) => o.seed));
      if (e instanceof GatewayError) {
        emit({ type: e.code === 'downgrade_detected' ? 'downgrade' : e.code === 'bad_signature' ? 'bad_signature' : 'handshake_failed', code: e.code });
        if (e.code === 'downgrade_detected') await reportDowngrade(state, resp.cookie, resp.serverHello);
      }
      throw e;
    }
    const sealedFinish = createClientFinish(provider, result, key);
    const keys = deriveTrafficKeys(provider, result.suite, result.applicationSecret);
    // Only the traffic keys are needed from here on.
    wipe(result.handshakeSecret, result.applicationSecret, ...state.offers.map((o) => o.seed));
    return { result, keys, cookie: resp.cookie, sealedFinish, expiresAt: Infinity, nextSeq: 0 };
  }

  async function send(s: Established, route: string, body: Uint8Array): Promise<Uint8Array> {
    const seq = s.nextSeq++;
    const header = { sessionId: s.result.sessionId, seq, route };
    const record = sealRecord(provider, s.result.suite, s.keys.c2s, C2S, header, body);
    const msg = s.ticket
      ? wire.encodeRecordRequest({ ticket: s.ticket, record })
      : wire.encodeClientFinish({ cookie: s.cookie!, sealedFinish: s.sealedFinish!, record });
    const res = wire.parseRecordResponse(await postRecord(msg));
    if (res.record.seq !== seq || res.record.route !== route) throw new GatewayError('bad_record', 'response does not answer this request');
    const plaintext = openReply(provider, s.result.suite, s.keys.s2c, s.result.sessionId, res);
    if (res.status === wire.ReplyStatus.refusal) throw refusal(plaintext);
    if (res.ticket.length) {
      s.ticket = res.ticket;
      const lifetime = res.ticketLifetimeSeconds * 1000;
      s.expiresAt = clock() + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
      s.cookie = undefined;
      s.sealedFinish = undefined;
    }
    return plaintext;
  }

  current = await handshake();
  // What info() describes while no session is current (after one was lost, before the next).
  let last = current;
  const establish = async () => (last = current = await handshake());

  return {
    async request(route: string, body: Uint8Array, requestOptions: { readonly idempotent?: boolean } = {}): Promise<Uint8Array> {
      if (!(body instanceof Uint8Array)) throw new GatewayError('invalid_argument', 'body must be a Uint8Array');
      if (body.length > wire.LIMITS.payload) throw new GatewayError('message_too_large', `body of ${body.length} bytes exceeds ${wire.LIMITS.payload}`);
      // The gateway only accepts printable-ASCII routes (they are logged as authenticated); fail here, not there.
      if (typeof route !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(route)) throw new GatewayError('invalid_argument', 'route must be 1..255 printable ASCII characters');
      if (!current || clock() >= current.expiresAt) await establish();
      const session = current!;
      try {
        return await send(session, route, body);
      } catch (e) {
        const lost = e instanceof GatewayError && SESSION_LOST.includes(e.code);
        // The session cannot go on: the next request (or this one, if idempotent) gets a new one.
        if (lost && current === session) current = undefined;
        if (lost && requestOptions.idempotent) return send(current ?? (await establish()), route, body);
        if (lost) throw new GatewayError('outcome_unknown', `the gateway may have processed this ${route} request before the answer "${(e as Error).message.slice(0, 300)}"`, { cause: e });
        throw e;
      }
    },
    info(): ChannelSessionInfo {
      const r = (current ?? last).result;
      return { suite: r.suite.name, sessionId: toHex(r.sessionId), gatewayKeyId: displayKeyId(r.serverHello.gatewayKeyId), policyEpoch: r.serverHello.policyEpoch };
    },
    handshakes: () => count,
  };
}
