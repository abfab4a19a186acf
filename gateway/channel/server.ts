/**
 * The gateway side of the channel: a core from `Request` to `Response` (hono style) with all
 * I/O injected. POST <base>/handshake takes a ClientHello; POST <base>/record takes the client's
 * Finish with its first record, later records with their ticket, or a downgrade alert.
 */
import { equalBytes, getCryptoProvider, getSuite, identityFitsSuite, SUITES, toHex, wipe, type CryptoProvider, type SignatureId, type Suite } from '../crypto';
import { SIGNATURE_LENGTHS } from '../crypto/common';
import { errorResponse, GatewayError } from '../errors';
import type { ChannelEvent, EventSink } from './events';
import { openClientFinish, respondToClientHello, verifyClientFinish, type Random } from './handshake';
import { binaryResponse, readBody } from './http';
import { displayKeyId, generateKeyPair, loadKeyPair, type IdentityLookup, type KeyPair, type LoadedKey, type PublicKeyRecord } from './identity';
import { deriveTrafficKeys, SIGNATURE_CONTEXT, transcriptHash, type TrafficKeys } from './key-schedule';
import type { TicketKeyRing } from './key-ring';
import { C2S, openRecord, sealReply } from './record';
import { LedgerReplayGuard, MemorySeqLedger, type ReplayGuard } from './replay-guard';
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
  /** At most once per record (default: within this process only, over an in-memory ledger). */
  readonly replayGuard?: ReplayGuard;
  /** Sessions kept with their derived keys at most (least recently used leave first). Default 4096. */
  readonly sessionCacheSize?: number;
}

const DEP_KEYS = ['keyRing', 'gatewayKeys', 'identities', 'provider', 'clock', 'random', 'events', 'suites', 'minSuite', 'policyEpoch', 'ticketLifetimeSeconds', 'cookieLifetimeSeconds', 'replayGuard', 'sessionCacheSize'];

/**
 * A session whose ticket this server has opened: its traffic keys are derived once, not per
 * record. Its keys are used only by a holder: `acquire` (synchronous, before any await) makes
 * one, `release` ends it. Keys are wiped only once the session is dropped from the cache *and*
 * nobody holds it, and a dropped session cannot be acquired again, so no record ever meets
 * wiped keys (docs/protocol.md §12).
 */
interface OpenSession {
  readonly t: Omit<wire.TicketState, 'applicationSecret'>;
  readonly keys: TrafficKeys;
  /** Kept to re-seal the ticket under a newer ring key (wiped with the keys). */
  readonly applicationSecret: Uint8Array;
  /** Ring key version the ticket is sealed under. */
  readonly keyVersion: number;
  users: number;
  dropped: boolean;
  wiped: boolean;
}

const ticketKeyOf = (ticket: Uint8Array) => Buffer.from(ticket.buffer, ticket.byteOffset, ticket.byteLength).toString('latin1');

const NO_TICKET = new Uint8Array(0);
const encoder = new TextEncoder();

/** The channel server. */
export interface ChannelServer {
  /** Answers one POST; `source` (the client's address, say) is added to the events it raises. */
  handle(request: Request, onMessage: MessageHandler, options?: { readonly source?: string }): Promise<Response>;
  /** Stops accepting records and hands the replay guard's reservations back (graceful shutdown). */
  close(): Promise<void>;
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
  const replay = deps.replayGuard ?? new LedgerReplayGuard(new MemorySeqLedger(), { clock });
  const cacheSize = deps.sessionCacheSize ?? 4096;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new GatewayError('invalid_argument', 'createChannelServer: sessionCacheSize must be a positive integer');
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

  /** The enrolled identity of a key id, or null. */
  async function findIdentity(keyId: Uint8Array): Promise<PublicKeyRecord | null> {
    const identity = await deps.identities(keyId);
    return identity && (!identity.keyId || equalBytes(identity.keyId, keyId)) ? identity : null;
  }

  // Stand-in public keys, one per scheme, made once: a refused identity costs the same
  // verification as an enrolled one, so timing does not tell them apart either.
  const decoys = new Map<SignatureId, Uint8Array>();
  function verifyAgainstDecoy(signature: Uint8Array, message: Uint8Array, context: Uint8Array): void {
    const alg = (Object.keys(SIGNATURE_LENGTHS) as SignatureId[]).find((a) => SIGNATURE_LENGTHS[a].signature === signature.length) ?? 'ML-DSA-65';
    let pk = decoys.get(alg);
    if (!pk) decoys.set(alg, (pk = generateKeyPair(alg, { provider }).publicKey));
    provider.signature(alg).verify(signature, message, pk, context);
  }

  /**
   * One answer on the wire for an unknown key, a scheme too weak for the suite and a bad
   * signature, so the gateway is no oracle for which keys are enrolled; the events (and the
   * `cause`) keep them apart for detection and logs.
   */
  function authenticationFailed(cause: GatewayError): GatewayError {
    return new GatewayError('authentication_failed', undefined, { cause });
  }

  // Keyed by the sealed ticket's bytes: equal bytes are the very ticket that was opened before.
  const open = new Map<string, OpenSession>();

  /** A new session, already held by its caller. */
  function openSession(t: wire.TicketState, keyVersion: number): OpenSession {
    const { applicationSecret, ...rest } = t;
    const keys = deriveTrafficKeys(provider, t.suite, applicationSecret);
    return { t: rest, keys, applicationSecret, keyVersion, users: 1, dropped: false, wiped: false };
  }

  /** Holds `s` for one record, or returns false when it was dropped (its keys may be gone). */
  function acquire(s: OpenSession): boolean {
    if (s.dropped) return false;
    s.users++;
    return true;
  }

  function release(s: OpenSession): void {
    s.users--;
    if (s.dropped && s.users === 0 && !s.wiped) {
      s.wiped = true;
      wipe(s.keys.c2s.key, s.keys.c2s.iv, s.keys.s2c.key, s.keys.s2c.iv, s.applicationSecret);
    }
  }

  /** Drops a session from the cache; its keys go once its last holder releases it. */
  function drop(s: OpenSession): void {
    if (s.dropped) return;
    s.dropped = true;
    s.users++;
    release(s);
  }

  function forget(ticketKey: string, s: OpenSession): void {
    if (open.get(ticketKey) === s) open.delete(ticketKey);
    drop(s);
  }

  function remember(ticketKey: string, s: OpenSession): void {
    const before = open.get(ticketKey);
    if (before && before !== s) forget(ticketKey, before);
    open.set(ticketKey, s);
    while (open.size > cacheSize) {
      const [oldestKey, oldest] = open.entries().next().value!;
      forget(oldestKey, oldest);
    }
  }

  /** The open session of a ticket seen before, held for the caller, if its ring key is still accepted. */
  async function cached(ticketKey: string): Promise<OpenSession | undefined> {
    const s = open.get(ticketKey);
    // Held before the first await: an eviction while we wait cannot wipe what we are about to use.
    if (!s || !acquire(s)) return undefined;
    let accepted: boolean;
    try {
      accepted = s.keyVersion >= (await deps.keyRing.minimumVersion()) && !!(await deps.keyRing.get(s.keyVersion));
    } catch (e) {
      release(s);
      throw e;
    }
    if (!accepted) {
      // Retiring a ring key retires its tickets, cached or not.
      forget(ticketKey, s);
      release(s);
      return undefined;
    }
    if (!s.dropped) {
      open.delete(ticketKey); // most recently used goes last
      open.set(ticketKey, s);
    }
    return s;
  }

  /** The gateway's authenticated refusal of a record it did not process (docs/protocol.md §7.2). */
  function refuse(t: OpenSession['t'], keys: TrafficKeys, header: Omit<wire.RecordBody, 'ciphertext'>, code: 'replay' | 'ticket_expired', message: string): Response {
    const body = encoder.encode(JSON.stringify({ code, message: new GatewayError(code, message).message }));
    const sealed = sealReply(provider, t.suite, keys.s2c, wire.ReplyStatus.refusal, header, body, random);
    return binaryResponse(wire.encodeRecordResponse({ ticket: NO_TICKET, ticketLifetimeSeconds: 0, ...sealed }));
  }

  /** Authenticates, de-duplicates and answers one record on a session the caller holds. */
  async function exchange(rq: InFlight, msg: wire.ClientFinish | wire.RecordRequest, session: OpenSession, onMessage: MessageHandler, ticket: Uint8Array): Promise<Response> {
    const { t, keys } = session;
    if (session.wiped || session.users < 1) throw new GatewayError('internal_error', 'a session was used without being held');
    const sessionId = toHex(t.sessionId);
    const { seq, route } = msg.record;
    let plaintext: Uint8Array;
    try {
      plaintext = openRecord(provider, t.suite, keys.c2s, C2S, t.sessionId, msg.record);
    } catch (e) {
      if (e instanceof GatewayError && e.code === 'bad_record') emit(rq, { type: 'bad_record', code: 'bad_record', sessionId });
      throw e;
    }
    const header = { sessionId: t.sessionId, seq, route };
    if (clock() >= t.expiresAt) {
      emit(rq, { type: 'ticket_refused', code: 'ticket_expired', sessionId });
      return refuse(t, keys, header, 'ticket_expired', 'session ticket expired; the record was not processed');
    }
    const pending = replay.accept(t.sessionId, seq, t.expiresAt);
    const verdict = typeof pending === 'string' ? pending : await pending;
    if (verdict !== 'fresh') {
      emit(rq, { type: 'replay', code: 'replay', suite: t.suite.name, sessionId, identityKeyId: displayKeyId(t.identityKeyId), detail: `seq ${seq}${verdict === 'fenced' ? ' (reserved before by another gateway process)' : ''}` });
      const why = verdict === 'fenced' ? 'may have been processed by another gateway process (a restart, or another replica)' : 'was already seen or is outside the window';
      return refuse(t, keys, header, 'replay', `record ${seq} ${why}; it was not processed now`);
    }
    const reply = await onMessage(plaintext, {
      suite: t.suite.name,
      quantumSafe: t.suite.quantumSafe,
      identityKeyId: toHex(t.identityKeyId),
      sessionId,
      policyEpoch: t.policyEpoch,
      route,
    });
    const renewed = ticket.length ? { ticket, ticketLifetimeSeconds: ticketLifetime } : await renewTicket(session);
    // Each answer is sealed under a key of its own (fresh salt): no two answers share key and nonce.
    const sealed = sealReply(provider, t.suite, keys.s2c, wire.ReplyStatus.reply, header, reply, random, renewed.ticket);
    return binaryResponse(wire.encodeRecordResponse({ ...renewed, ...sealed }));
  }

  /**
   * A ticket sealed under an older ring key than the current one is sealed again under the
   * current key (same session, same expiry) and handed back with the answer, so a live session
   * moves to the new key during the rotation's overlap and never meets `ticket_invalid`.
   */
  async function renewTicket(session: OpenSession): Promise<{ ticket: Uint8Array; ticketLifetimeSeconds: number }> {
    const current = await deps.keyRing.current();
    const remaining = Math.floor((session.t.expiresAt - clock()) / 1000);
    if (current.version <= session.keyVersion || remaining < 1) return { ticket: NO_TICKET, ticketLifetimeSeconds: 0 };
    const state = wire.encodeTicketState({ ...session.t, applicationSecret: session.applicationSecret.slice() });
    return { ticket: await sealState(provider, deps.keyRing, 'ticket', state, random), ticketLifetimeSeconds: remaining };
  }

  async function finish(rq: InFlight, msg: wire.ClientFinish, onMessage: MessageHandler): Promise<Response> {
    const cookie = await openCookie(msg.cookie);
    const fin = openClientFinish(provider, cookie, msg.sealedFinish);
    const identity = await findIdentity(fin.identityKeyId);
    const keyId = displayKeyId(fin.identityKeyId);
    if (!identity || !identityFitsSuite(cookie.suite, identity.algorithm)) {
      verifyAgainstDecoy(fin.signature, cookie.transcriptHash, SIGNATURE_CONTEXT.client);
      if (!identity) {
        emit(rq, { type: 'unknown_identity', code: 'unknown_identity', suite: cookie.suite.name, identityKeyId: keyId });
        throw authenticationFailed(new GatewayError('unknown_identity', `identity ${keyId} is not registered`));
      }
      throw authenticationFailed(new GatewayError('identity_mismatch', `suite ${cookie.suite.name} needs an identity at least as strong as ${cookie.suite.signature}; ${keyId} is ${identity.algorithm}`));
    }
    let session;
    try {
      session = verifyClientFinish(provider, cookie, fin, identity);
      wipe(cookie.handshakeSecret);
    } catch (e) {
      if (e instanceof GatewayError && e.code === 'bad_signature') {
        emit(rq, { type: 'bad_signature', code: 'bad_signature', suite: cookie.suite.name, identityKeyId: keyId });
        throw authenticationFailed(e);
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
    try {
      return await exchange(rq, msg, opened, onMessage, ticket);
    } finally {
      release(opened);
    }
  }

  async function resume(rq: InFlight, msg: wire.RecordRequest, onMessage: MessageHandler): Promise<Response> {
    const ticketKey = ticketKeyOf(msg.ticket);
    let session: OpenSession | undefined;
    try {
      session = await cached(ticketKey);
      if (!session) {
        const t = wire.parseTicketState(await openState(provider, deps.keyRing, 'ticket', msg.ticket));
        session = openSession(t, wire.parseSealedBox(msg.ticket, wire.SealedKind.ticket).keyVersion);
        remember(ticketKey, session);
      }
    } catch (e) {
      if (e instanceof GatewayError) emit(rq, { type: 'ticket_refused', code: e.code });
      throw e;
    }
    try {
      if (clock() >= session.t.expiresAt) forget(ticketKey, session);
      return await exchange(rq, msg, session, onMessage, NO_TICKET);
    } finally {
      release(session);
    }
  }

  async function alert(rq: InFlight, msg: wire.ClientAlert): Promise<Response> {
    const cookie = await openCookie(msg.cookie);
    const identity = await findIdentity(msg.identityKeyId);
    const keyId = displayKeyId(msg.identityKeyId);
    const original = transcriptHash(provider, cookie.suite, msg.clientHello);
    const signed = transcriptHash(provider, cookie.suite, original, cookie.serverNonce);
    if (!identity) {
      verifyAgainstDecoy(msg.signature, signed, SIGNATURE_CONTEXT.alert);
      emit(rq, { type: 'unknown_identity', code: 'unknown_identity', suite: cookie.suite.name, identityKeyId: keyId, detail: 'downgrade alert' });
      throw authenticationFailed(new GatewayError('unknown_identity', `identity ${keyId} is not registered`));
    }
    if (!provider.signature(identity.algorithm).verify(msg.signature, signed, identity.publicKey, SIGNATURE_CONTEXT.alert)) {
      emit(rq, { type: 'bad_signature', code: 'bad_signature', suite: cookie.suite.name, identityKeyId: keyId, detail: 'downgrade alert' });
      throw authenticationFailed(new GatewayError('bad_signature', 'downgrade alert signature does not verify'));
    }
    if (equalBytes(original, cookie.clientHelloHash)) throw new GatewayError('malformed_message', 'downgrade alert names the ClientHello the gateway received');
    const offered = wire.parseClientHello(msg.clientHello).offers.map((o) => o.suiteId.toString(16)).join(',');
    emit(rq, { type: 'downgrade', code: 'downgrade_detected', suite: cookie.suite.name, identityKeyId: displayKeyId(msg.identityKeyId), detail: `client offered [${offered}]` });
    throw new GatewayError('downgrade_detected', 'the client reports that its suite offer was altered before reaching the gateway');
  }

  return {
    close: () => replay.close(),
    async handle(request: Request, onMessage: MessageHandler, options: { readonly source?: string } = {}): Promise<Response> {
      const path = new URL(request.url).pathname;
      const endpoint = path.endsWith('/handshake') ? 'handshake' : path.endsWith('/record') ? 'record' : null;
      if (!endpoint) return new Response('not found', { status: 404 });
      if (request.method !== 'POST') return new Response('method not allowed', { status: 405, headers: { allow: 'POST' } });
      const rq: InFlight = { source: options.source, stage: endpoint === 'handshake' ? 'handshake' : 'record' };
      try {
        // A ClientHello is at most 16 KiB: the handshake endpoint reads no more than that.
        const body = await readBody(request, endpoint === 'handshake' ? wire.LIMITS.clientHello : wire.LIMITS.body);
        if (endpoint === 'handshake') return await handshake(body);
        const msg = wire.parseRecordEndpointMessage(body);
        if (msg.type === wire.MessageType.recordRequest) return await resume(rq, msg, onMessage);
        rq.stage = 'finish';
        if (msg.type === wire.MessageType.clientFinish) return await finish(rq, msg, onMessage);
        return await alert(rq, msg);
      } catch (e) {
        // Every failed handshake, in either flight, feeds the detector's failed-handshake rate.
        // The event names the real reason, not the merged wire code (authentication_failed).
        if (e instanceof GatewayError && rq.stage !== 'record') emit(rq, { type: 'handshake_failed', code: e.cause instanceof GatewayError ? e.cause.code : e.code, detail: rq.stage });
        return errorResponse(e);
      }
    },
  };
}
