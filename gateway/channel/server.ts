/**
 * The gateway side of the channel: a core from `Request` to `Response` (hono style) with all
 * I/O injected. POST <base>/handshake takes a ClientHello; POST <base>/record takes the client's
 * Finish with its first record, later records with their ticket, or a downgrade alert.
 */
import { equalBytes, getCryptoProvider, getSuite, SUITES, toHex, wipe, type CryptoProvider, type Suite } from '../crypto';
import { errorResponse, GatewayError } from '../errors';
import type { ChannelEvent, EventSink } from './events';
import { openClientFinish, respondToClientHello, verifyClientFinish, type Random } from './handshake';
import { binaryResponse, readBody } from './http';
import { displayKeyId, loadKeyPair, type IdentityLookup, type KeyPair, type LoadedKey } from './identity';
import { deriveTrafficKeys, SIGNATURE_CONTEXT, transcriptHash, type TrafficKeys } from './key-schedule';
import type { TicketKeyRing } from './key-ring';
import { C2S, openRecord, S2C, sealRecord, SlidingWindowReplayGuard, type ReplayGuard } from './record';
import { openState, sealState } from './sealed-state';
import * as wire from './wire';

/** What the application handler learns about the session a message arrived on. */
export interface SessionInfo {
  readonly suite: string;
  readonly quantumSafe: boolean;
  readonly identityKeyId: string;
  readonly sessionId: string;
  readonly policyEpoch: number;
  readonly route: string;
}

/** Handles one decrypted message and returns the plaintext reply. */
export type MessageHandler = (plaintext: Uint8Array, session: SessionInfo) => Promise<Uint8Array>;

/** Everything the channel server needs from its host. */
export interface ChannelServerDeps {
  readonly keyRing: TicketKeyRing;
  /** Gateway signing keys, one per signature scheme it serves. */
  readonly gatewayKeys: readonly Pick<KeyPair, 'algorithm' | 'seed'>[];
  readonly identities: IdentityLookup;
  readonly provider?: CryptoProvider;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  readonly random?: Random;
  readonly events?: EventSink;
  /** Suite names the gateway accepts (default: all). */
  readonly suites?: readonly string[];
  /** The gateway's floor (default: classical). */
  readonly minSuite?: string;
  readonly policyEpoch?: () => number;
  readonly ticketLifetimeSeconds?: number;
  readonly cookieLifetimeSeconds?: number;
  readonly replayGuard?: ReplayGuard;
}

const DEP_KEYS = ['keyRing', 'gatewayKeys', 'identities', 'provider', 'clock', 'random', 'events', 'suites', 'minSuite', 'policyEpoch', 'ticketLifetimeSeconds', 'cookieLifetimeSeconds', 'replayGuard'];

/**
 * A session whose ticket this server has opened: its traffic keys are derived once, not per
 * record. `users` counts records in flight, so keys dropped from the cache are wiped only when
 * no record still needs them.
 */
interface OpenSession {
  readonly t: Omit<wire.TicketState, 'applicationSecret'>;
  readonly keys: TrafficKeys;
  /** Ring key version the ticket is sealed under. */
  readonly keyVersion: number;
  users: number;
  dropped: boolean;
}

const ticketKeyOf = (ticket: Uint8Array) => Buffer.from(ticket.buffer, ticket.byteOffset, ticket.byteLength).toString('latin1');

/** Sessions kept with their derived keys at most (least recently used leave first). */
const OPEN_SESSIONS = 4096;

/** The channel server. */
export interface ChannelServer {
  /** Answers one POST; `source` (the client's address, say) is added to the events it raises. */
  handle(request: Request, onMessage: MessageHandler, options?: { readonly source?: string }): Promise<Response>;
}

/** One request in progress: where it came from, and how far it got (for `handshake_failed`). */
interface InFlight {
  readonly source?: string;
  stage: string;
}

/**
 * Creates a channel server.
 * @throws GatewayError `invalid_argument` on unknown options, `unknown_suite` on bad suite names.
 */
export function createChannelServer(deps: ChannelServerDeps): ChannelServer {
  for (const k of Object.keys(deps)) if (!DEP_KEYS.includes(k)) throw new GatewayError('invalid_argument', `createChannelServer: unknown option "${k}"`);
  const provider = deps.provider ?? getCryptoProvider();
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? provider.randomBytes;
  const suites: Suite[] = deps.suites ? deps.suites.map(getSuite) : [...SUITES];
  const minSuite = getSuite(deps.minSuite ?? 'classical');
  const ticketLifetime = deps.ticketLifetimeSeconds ?? 3600;
  const cookieLifetime = deps.cookieLifetimeSeconds ?? 30;
  const replay = deps.replayGuard ?? new SlidingWindowReplayGuard();
  const gatewayKeys: LoadedKey[] = deps.gatewayKeys.map((k) => loadKeyPair(provider, k));
  const emit = (rq: InFlight, e: Omit<ChannelEvent, 'at' | 'source'>) => {
    if (!deps.events) return;
    try {
      deps.events(rq.source === undefined ? { ...e, at: clock() } : { ...e, at: clock(), source: rq.source });
    } catch {
      // A failing sink must not turn into a failing handshake.
    }
  };

  async function handshake(body: Uint8Array): Promise<Response> {
    const { serverHello, cookie } = respondToClientHello(provider, {
      helloBytes: body,
      gatewayKeys,
      suites,
      minSuite,
      policyEpoch: deps.policyEpoch?.() ?? 0,
      now: clock(),
      random,
    });
    const sealed = await sealState(provider, deps.keyRing, 'cookie', wire.encodeCookieState(cookie), random);
    wipe(cookie.handshakeSecret);
    return binaryResponse(wire.encodeHandshakeResponse({ serverHello, cookie: sealed }));
  }

  async function openCookie(bytes: Uint8Array): Promise<wire.CookieState> {
    const c = wire.parseCookieState(await openState(provider, deps.keyRing, 'cookie', bytes));
    if (clock() - c.createdAt > cookieLifetime * 1000) throw new GatewayError('cookie_expired', 'handshake cookie expired');
    return c;
  }

  async function lookupIdentity(rq: InFlight, keyId: Uint8Array, suite: Suite) {
    const identity = await deps.identities(keyId);
    if (!identity || (identity.keyId && !equalBytes(identity.keyId, keyId))) {
      emit(rq, { type: 'unknown_identity', code: 'unknown_identity', suite: suite.name, identityKeyId: displayKeyId(keyId) });
      throw new GatewayError('unknown_identity', `identity ${displayKeyId(keyId)} is not registered`);
    }
    return identity;
  }

  // Keyed by the sealed ticket's bytes: equal bytes are the very ticket that was opened before.
  const open = new Map<string, OpenSession>();

  function openSession(t: wire.TicketState, keyVersion: number): OpenSession {
    const { applicationSecret, ...rest } = t;
    const keys = deriveTrafficKeys(provider, t.suite, applicationSecret);
    wipe(applicationSecret);
    return { t: rest, keys, keyVersion, users: 0, dropped: false };
  }

  function wipeIfUnused(s: OpenSession): void {
    if (s.dropped && s.users === 0) wipe(s.keys.c2s.key, s.keys.c2s.iv, s.keys.s2c.key, s.keys.s2c.iv);
  }

  function forget(ticketKey: string): void {
    const s = open.get(ticketKey);
    if (!s) return;
    open.delete(ticketKey);
    s.dropped = true;
    wipeIfUnused(s);
  }

  function remember(ticketKey: string, s: OpenSession): void {
    open.set(ticketKey, s);
    if (open.size > OPEN_SESSIONS) forget(open.keys().next().value!);
  }

  /** The open session of a ticket seen before, if its ring key is still accepted. */
  async function cached(ticketKey: string): Promise<OpenSession | undefined> {
    const s = open.get(ticketKey);
    if (!s) return undefined;
    // Retiring a ring key retires its tickets, cached or not.
    if (s.keyVersion < (await deps.keyRing.minimumVersion()) || !(await deps.keyRing.get(s.keyVersion))) {
      forget(ticketKey);
      return undefined;
    }
    open.delete(ticketKey); // most recently used goes last
    open.set(ticketKey, s);
    return s;
  }

  async function exchange(rq: InFlight, msg: wire.ClientFinish | wire.RecordRequest, session: OpenSession, onMessage: MessageHandler, ticket: Uint8Array): Promise<Response> {
    const { t, keys } = session;
    session.users++;
    const info: SessionInfo = {
      suite: t.suite.name,
      quantumSafe: t.suite.quantumSafe,
      identityKeyId: toHex(t.identityKeyId),
      sessionId: toHex(t.sessionId),
      policyEpoch: t.policyEpoch,
      route: msg.record.route,
    };
    try {
      const plaintext = openRecord(provider, t.suite, keys.c2s, C2S, t.sessionId, msg.record);
      if (!replay.accept(t.sessionId, msg.record.seq)) {
        emit(rq, { type: 'replay', code: 'replay', suite: t.suite.name, sessionId: info.sessionId, identityKeyId: displayKeyId(t.identityKeyId), detail: `seq ${msg.record.seq}` });
        throw new GatewayError('replay', `record ${msg.record.seq} was already seen or is outside the window`);
      }
      const reply = await onMessage(plaintext, info);
      // Responses reuse the request's sequence number under the s2c key: unique per session
      // because requests are, and it binds each response to its request without server state.
      const record = sealRecord(provider, t.suite, keys.s2c, S2C, { sessionId: t.sessionId, seq: msg.record.seq, route: msg.record.route }, reply);
      return binaryResponse(wire.encodeRecordResponse({ ticket, ticketLifetimeSeconds: ticket.length ? ticketLifetime : 0, record }));
    } catch (e) {
      if (e instanceof GatewayError && e.code === 'bad_record') emit(rq, { type: 'bad_record', code: 'bad_record', sessionId: info.sessionId });
      throw e;
    } finally {
      session.users--;
      wipeIfUnused(session);
    }
  }

  async function finish(rq: InFlight, msg: wire.ClientFinish, onMessage: MessageHandler): Promise<Response> {
    const cookie = await openCookie(msg.cookie);
    const fin = openClientFinish(provider, cookie, msg.sealedFinish);
    const identity = await lookupIdentity(rq, fin.identityKeyId, cookie.suite);
    let session;
    try {
      session = verifyClientFinish(provider, cookie, fin, identity);
      wipe(cookie.handshakeSecret);
    } catch (e) {
      if (e instanceof GatewayError && e.code === 'bad_signature') {
        emit(rq, { type: 'bad_signature', code: 'bad_signature', suite: cookie.suite.name, identityKeyId: displayKeyId(fin.identityKeyId) });
      }
      throw e;
    }
    const now = clock();
    const t: wire.TicketState = {
      suite: cookie.suite,
      sessionId: session.sessionId,
      identityKeyId: fin.identityKeyId,
      issuedAt: now,
      expiresAt: now + ticketLifetime * 1000,
      policyEpoch: cookie.policyEpoch,
      applicationSecret: session.applicationSecret,
    };
    const ticket = await sealState(provider, deps.keyRing, 'ticket', wire.encodeTicketState({ ...t, applicationSecret: t.applicationSecret.slice() }), random);
    emit(rq, { type: 'handshake_completed', suite: t.suite.name, identityKeyId: displayKeyId(t.identityKeyId), sessionId: toHex(t.sessionId) });
    rq.stage = 'record'; // from here on a failure is the record's, not the handshake's
    const opened = openSession(t, wire.parseSealedBox(ticket, wire.SealedKind.ticket).keyVersion);
    // The connector's next record carries this ticket.
    remember(ticketKeyOf(ticket), opened);
    return exchange(rq, msg, opened, onMessage, ticket);
  }

  async function resume(rq: InFlight, msg: wire.RecordRequest, onMessage: MessageHandler): Promise<Response> {
    const ticketKey = ticketKeyOf(msg.ticket);
    let session: OpenSession;
    try {
      const seen = await cached(ticketKey);
      if (seen) session = seen;
      else {
        const t = wire.parseTicketState(await openState(provider, deps.keyRing, 'ticket', msg.ticket));
        session = openSession(t, wire.parseSealedBox(msg.ticket, wire.SealedKind.ticket).keyVersion);
        remember(ticketKey, session);
      }
      if (clock() >= session.t.expiresAt) {
        forget(ticketKey);
        throw new GatewayError('ticket_expired', 'session ticket expired');
      }
    } catch (e) {
      if (e instanceof GatewayError) emit(rq, { type: 'ticket_refused', code: e.code });
      throw e;
    }
    return exchange(rq, msg, session, onMessage, new Uint8Array(0));
  }

  async function alert(rq: InFlight, msg: wire.ClientAlert): Promise<Response> {
    const cookie = await openCookie(msg.cookie);
    const identity = await lookupIdentity(rq, msg.identityKeyId, cookie.suite);
    const original = transcriptHash(provider, cookie.suite, msg.clientHello);
    const signed = transcriptHash(provider, cookie.suite, original, cookie.serverNonce);
    if (!provider.signature(identity.algorithm).verify(msg.signature, signed, identity.publicKey, SIGNATURE_CONTEXT.alert)) {
      emit(rq, { type: 'bad_signature', code: 'bad_signature', suite: cookie.suite.name, identityKeyId: displayKeyId(msg.identityKeyId), detail: 'downgrade alert' });
      throw new GatewayError('bad_signature', 'downgrade alert signature does not verify');
    }
    if (equalBytes(original, cookie.clientHelloHash)) throw new GatewayError('malformed_message', 'downgrade alert names the ClientHello the gateway received');
    const offered = wire.parseClientHello(msg.clientHello).offers.map((o) => o.suiteId.toString(16)).join(',');
    emit(rq, { type: 'downgrade', code: 'downgrade_detected', suite: cookie.suite.name, identityKeyId: displayKeyId(msg.identityKeyId), detail: `client offered [${offered}]` });
    throw new GatewayError('downgrade_detected', 'the client reports that its suite offer was altered before reaching the gateway');
  }

  return {
    async handle(request: Request, onMessage: MessageHandler, options: { readonly source?: string } = {}): Promise<Response> {
      const path = new URL(request.url).pathname;
      const endpoint = path.endsWith('/handshake') ? 'handshake' : path.endsWith('/record') ? 'record' : null;
      if (!endpoint) return new Response('not found', { status: 404 });
      if (request.method !== 'POST') return new Response('method not allowed', { status: 405, headers: { allow: 'POST' } });
      const rq: InFlight = { source: options.source, stage: endpoint === 'handshake' ? 'handshake' : 'record' };
      try {
        const body = await readBody(request);
        if (endpoint === 'handshake') return await handshake(body);
        const msg = wire.parseRecordEndpointMessage(body);
        if (msg.type === wire.MessageType.recordRequest) return await resume(rq, msg, onMessage);
        rq.stage = 'finish';
        if (msg.type === wire.MessageType.clientFinish) return await finish(rq, msg, onMessage);
        return await alert(rq, msg);
      } catch (e) {
        // Every failed handshake, in either flight, feeds the detector's failed-handshake rate.
        if (e instanceof GatewayError && rq.stage !== 'record') emit(rq, { type: 'handshake_failed', code: e.code, detail: rq.stage });
        return errorResponse(e);
      }
    },
  };
}
