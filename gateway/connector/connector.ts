/**
 * The connector: relays MCP messages between a local transport (stdio for `pqgate connect`,
 * in-memory for benches) and the gateway over the post-quantum channel (docs/protocol.md §13).
 * A request's reply carries its response; one `mcp-poll` record is kept in flight and brings
 * every other server message (progress, logging, sampling and elicitation requests) as it
 * happens. Server messages are numbered per session and delivered strictly in that order, so a
 * response never overtakes its progress.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { connect, type ChannelSession, type ConnectOptions, type KeyPair } from '../channel';
import { getCryptoProvider, toBase64Url } from '../crypto';
import { GatewayError, isGatewayError } from '../errors';
import { encodeEnvelope, MCP_ROUTES, parseReplyEnvelope, type ReplyEnvelope } from '../mcp/channel-envelope';
import { JSON_RPC, JsonRpcFailure, jsonRpcError } from '../mcp/json-rpc-errors';

type Message = Record<string, unknown>;

/**
 * MCP messages that may run twice without harm (reads, listings, the handshake the gateway
 * answers itself): when the channel cannot tell whether one ran, it is sent again under a new
 * session. Anything else (tools/call above all) fails with `outcome_unknown` instead, so that
 * an answer forged on the network can never make the gateway run it twice (docs/protocol.md §7.2).
 */
const IDEMPOTENT_METHODS = new Set([
  'initialize',
  'ping',
  'tools/list',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'completion/complete',
  'logging/setLevel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/roots/list_changed',
]);

/**
 * Whether one envelope may be sent again under a new session when its fate is unknown. The
 * client's answers to server requests (sampling, elicitation, roots) may: the gateway forwards
 * an answer only to a server request still waiting for one, so a second copy goes nowhere.
 */
export function isIdempotent(route: string, message?: Message): boolean {
  if (route !== MCP_ROUTES.message) return true; // poll and close
  if (message && typeof message.method !== 'string') return true; // a response
  return typeof message?.method === 'string' && IDEMPOTENT_METHODS.has(message.method);
}

/** How long a response waits after a notification handed to the client just before it. */
const NOTIFICATION_GAP_MS = 10;

/** Options of {@link openConnector}. */
export interface ConnectorOptions extends ConnectOptions {
  /** Told about channel failures (the CLI prints them to stderr, never stdout). */
  readonly onError?: (message: string) => void;
  /** Pause after a failed poll before the next. Default 1000 ms. */
  readonly pollRetryMs?: number;
}

/** An open connector for one gateway endpoint. */
export interface Connector {
  /** The upstream slug, from the endpoint URL. */
  readonly server: string;
  readonly channel: ChannelSession;
  /** Sends one message; resolves with the messages of the reply (for a request: its response). */
  send(message: Message): Promise<Message[]>;
  /** Sends one message acknowledging delivery up to `ack`; resolves with the reply envelope. */
  exchange(message: Message, ack: number): Promise<ReplyEnvelope>;
  /**
   * Waits for server messages after `ack` (bounded by the gateway's poll wait); `resync` asks for
   * every retained one at once, after a reply was lost.
   */
  poll(ack: number, resync?: boolean): Promise<ReplyEnvelope>;
  /** Ends the MCP session at the gateway (best effort). */
  close(): Promise<void>;
}

/**
 * Connects to `<gateway>/api/mcp/<server>`: handshake at `<url>/pq/handshake`, records at
 * `<url>/pq/record`.
 * @throws GatewayError from the handshake (`untrusted_gateway_key`, `downgrade_detected`, …).
 */
export async function openConnector(url: string, identity: KeyPair, options: ConnectorOptions): Promise<Connector> {
  const { onError: _e, pollRetryMs: _p, ...connectOptions } = options;
  const endpoint = new URL(url);
  const server = decodeURIComponent(endpoint.pathname.split('/').filter(Boolean).at(-1) ?? '');
  if (!server) throw new GatewayError('invalid_argument', `${url} names no server; use <gateway>/api/mcp/<server>`);
  const channel = await connect(`${url.replace(/\/+$/, '')}/pq`, identity, connectOptions);
  return connectorSession(channel, server, newSessionId(options.provider));
}

/** A fresh MCP session id for the channel (random, 128 bits). */
export function newSessionId(provider?: ConnectOptions['provider']): string {
  return toBase64Url((provider ?? getCryptoProvider()).randomBytes(16));
}

/**
 * One MCP session over an open channel. The gateway keys the MCP session by identity, server and
 * `session`, so several sessions (one per HTTP client of the bridge) share one channel; the id is
 * stable across re-handshakes, so a new channel session continues the same MCP session.
 */
export function connectorSession(channel: ChannelSession, server: string, session: string): Connector {
  const exchange = async (route: string, extra: { message?: Message; ack?: number; resync?: true }): Promise<ReplyEnvelope> => {
    const body = encodeEnvelope({ server, session, ...extra });
    const reply = await channel.request(route, body, { idempotent: isIdempotent(route, extra.message) });
    return parseReplyEnvelope(reply);
  };
  return {
    server,
    channel,
    send: async (message) => (await exchange(MCP_ROUTES.message, { message })).messages.map((e) => e.message),
    exchange: (message, ack) => exchange(MCP_ROUTES.message, { message, ack }),
    poll: (ack, resync) => exchange(MCP_ROUTES.poll, resync ? { ack, resync } : { ack }),
    async close() {
      await exchange(MCP_ROUTES.close, {}).catch(() => undefined);
    },
  };
}

/** One connector session's client side: messages in, server messages out in sequence order. */
export interface SessionPump {
  /** Sends one client message; a request always gets an answer delivered (a failure becomes a JSON-RPC error). */
  send(message: Message): Promise<void>;
  /** Stops polling (the connector session itself is closed by its owner). */
  stop(): void;
}

/**
 * Drives one connector session: each client message goes out as a record; the server messages
 * of every reply and of the poll kept in flight once `initialize` succeeded are handed to
 * `deliver` strictly in sequence order, one at a time.
 */
export function createSessionPump(connector: Connector, deliver: (m: Message) => Promise<void>, options: Pick<ConnectorOptions, 'onError' | 'pollRetryMs'> = {}): SessionPump {
  let open = true;
  let polling = false;
  const report = options.onError ?? (() => undefined);
  // Server messages by sequence number: `delivered` is the highest handed to the client with
  // every lower one before it; later ones wait in `held` for the gap to fill.
  let delivered = 0;
  const held = new Map<number, Message>();
  let chain: Promise<void> = Promise.resolve();
  let notifiedAt = 0;

  /** Takes a reply's entries and delivers what is next in sequence (one delivery at a time). */
  const accept = (reply: ReplyEnvelope) => {
    chain = chain.then(async () => {
      const now: Message[] = [];
      for (const e of reply.messages) {
        if (e.seq === undefined) now.push(e.message);
        else if (e.seq > delivered) held.set(e.seq, e.message);
      }
      // A complete answer holds everything the gateway kept: numbers below it are gone.
      if (reply.complete && held.size && !held.has(delivered + 1)) delivered = Math.min(...held.keys()) - 1;
      while (held.has(delivered + 1)) {
        now.push(held.get(delivered + 1)!);
        held.delete(++delivered);
      }
      for (const m of now) {
        // SDK clients handle notifications a microtask later than responses, and a reader may
        // see both in one chunk: a response right after a notification waits a moment, so the
        // client takes the notification (a progress) before the request is settled.
        if (!('method' in m)) {
          const since = Date.now() - notifiedAt;
          if (since < NOTIFICATION_GAP_MS) await new Promise((r) => setTimeout(r, NOTIFICATION_GAP_MS - since));
        } else if (!('id' in m)) notifiedAt = Date.now();
        await deliver(m);
      }
    }).catch((e: unknown) => report(`pqgate connect: local transport: ${(e as Error).message}`));
    return chain;
  };

  /** One poll; true when the gateway has no session to poll (then the loop waits a while). */
  async function poll(resync: boolean): Promise<boolean> {
    const reply = await connector.poll(delivered, resync);
    void accept(reply);
    return reply.complete === true && reply.messages.length === 0;
  }

  async function pollLoop(): Promise<void> {
    let resync = false;
    while (open) {
      try {
        const none = await poll(resync);
        resync = false;
        if (none) await new Promise((r) => setTimeout(r, options.pollRetryMs ?? 1000));
      } catch (e) {
        report(`pqgate connect: poll failed: ${(e as Error).message}`);
        // The lost answer may have held messages: the next poll asks for all of them again.
        resync = true;
        await new Promise((r) => setTimeout(r, options.pollRetryMs ?? 1000));
      }
    }
  }

  async function send(message: Message): Promise<void> {
    const isRequest = typeof message.method === 'string' && 'id' in message;
    let reply: ReplyEnvelope;
    try {
      reply = await connector.exchange(message, delivered);
    } catch (e) {
      report(`pqgate connect: ${(e as Error).message}`);
      // The lost reply may have held a numbered response: ask for everything retained now.
      if (polling) void poll(true).catch(() => undefined);
      if (!isRequest) return;
      const why = isGatewayError(e, 'outcome_unknown')
        ? `pqgate: ${String(message.method)} on ${connector.server} may or may not have run: ${(e as Error).message}`
        : `pqgate gateway unreachable for ${connector.server}: ${(e as Error).message}`;
      reply = { messages: [{ message: jsonRpcError(message.id as string | number, new JsonRpcFailure(JSON_RPC.upstreamUnavailable, why)) }] };
    }
    if (isRequest && !reply.messages.some((e) => e.message.id === message.id && !('method' in e.message))) {
      reply = { messages: [...reply.messages, { message: jsonRpcError(message.id as string | number, new JsonRpcFailure(JSON_RPC.sessionNotFound, `the gateway closed the MCP session for ${connector.server}; reconnect`)) }] };
    }
    await accept(reply);
    // Server messages tied to no request only exist once the session does.
    if (open && message.method === 'initialize' && !polling && reply.messages.some((e) => e.message.id === message.id && 'result' in e.message)) {
      polling = true;
      void pollLoop();
    }
  }

  return {
    send,
    stop: () => void (open = false),
  };
}

/**
 * Relays between a local MCP transport and a connector until the transport closes. Every
 * request gets an answer: a channel failure becomes a JSON-RPC error naming the gateway.
 */
export async function relay(connector: Connector, local: Transport, options: Pick<ConnectorOptions, 'onError' | 'pollRetryMs'> = {}): Promise<void> {
  const report = options.onError ?? (() => undefined);
  const pump = createSessionPump(connector, (m) => local.send(m as JSONRPCMessage), options);
  await new Promise<void>((resolve) => {
    local.onmessage = (m) => void pump.send(m as Message).catch((e: unknown) => report(`pqgate connect: ${(e as Error).message}`));
    local.onclose = () => {
      pump.stop();
      resolve();
    };
    local.onerror = (e) => report(`pqgate connect: local transport: ${e.message}`);
    void local.start();
  });
  await connector.close();
}
