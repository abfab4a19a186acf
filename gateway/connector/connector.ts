/**
 * The connector: relays MCP messages between a local transport (stdio for `pqgate connect`,
 * in-memory for benches) and the gateway over the post-quantum channel. Replies carry the
 * response with its notifications; a poll loop fetches notifications tied to no request.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { connect, type ChannelSession, type ConnectOptions, type KeyPair } from '../channel';
import { getCryptoProvider, toBase64Url } from '../crypto';
import { GatewayError, isGatewayError } from '../errors';
import { encodeEnvelope, MCP_ROUTES, parseReplyEnvelope } from '../mcp/channel-envelope';
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

/** Whether one envelope may be sent again under a new session when its fate is unknown. */
export function isIdempotent(route: string, message?: Message): boolean {
  if (route !== MCP_ROUTES.message) return true; // poll and close
  return typeof message?.method === 'string' && IDEMPOTENT_METHODS.has(message.method);
}

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
  /** Sends one message; resolves with the messages of the reply (for a request: its notifications, then its response). */
  send(message: Message): Promise<Message[]>;
  /** Waits for notifications tied to no request (bounded by the gateway's poll wait). */
  poll(): Promise<Message[]>;
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
  // Stable across re-handshakes: the gateway keys the MCP session by identity, server and this.
  const session = toBase64Url((options.provider ?? getCryptoProvider()).randomBytes(16));
  const exchange = async (route: string, message?: Message): Promise<Message[]> => {
    const body = encodeEnvelope({ server, session, ...(message ? { message } : {}) });
    const reply = await channel.request(route, body, { idempotent: isIdempotent(route, message) });
    return parseReplyEnvelope(reply).messages as Message[];
  };
  return {
    server,
    channel,
    send: (message) => exchange(MCP_ROUTES.message, message),
    poll: () => exchange(MCP_ROUTES.poll),
    async close() {
      await exchange(MCP_ROUTES.close).catch(() => undefined);
    },
  };
}

/**
 * Relays between a local MCP transport and a connector until the transport closes. Every
 * request gets an answer: a channel failure becomes a JSON-RPC error naming the gateway.
 */
export async function relay(connector: Connector, local: Transport, options: Pick<ConnectorOptions, 'onError' | 'pollRetryMs'> = {}): Promise<void> {
  let open = true;
  let polling = false;
  const report = options.onError ?? (() => undefined);
  const deliver = async (messages: Message[]) => {
    for (const m of messages) await local.send(m as JSONRPCMessage);
  };

  async function pollLoop(): Promise<void> {
    while (open) {
      try {
        await deliver(await connector.poll());
      } catch (e) {
        report(`pqgate connect: poll failed: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, options.pollRetryMs ?? 1000));
      }
    }
  }

  async function onMessage(message: Message): Promise<void> {
    const isRequest = typeof message.method === 'string' && 'id' in message;
    let reply: Message[];
    try {
      reply = await connector.send(message);
    } catch (e) {
      report(`pqgate connect: ${(e as Error).message}`);
      if (!isRequest) return;
      const why = isGatewayError(e, 'outcome_unknown')
        ? `pqgate: ${String(message.method)} on ${connector.server} may or may not have run: ${(e as Error).message}`
        : `pqgate gateway unreachable for ${connector.server}: ${(e as Error).message}`;
      reply = [jsonRpcError(message.id as string | number, new JsonRpcFailure(JSON_RPC.upstreamUnavailable, why))];
    }
    if (isRequest && !reply.some((m) => m.id === message.id && !('method' in m))) {
      reply.push(jsonRpcError(message.id as string | number, new JsonRpcFailure(JSON_RPC.sessionNotFound, `the gateway closed the MCP session for ${connector.server}; reconnect`)));
    }
    const response = reply.findIndex((m) => !('method' in m));
    if (response > 0) {
      await deliver(reply.slice(0, response));
      // SDK clients handle notifications a microtask later than responses, and a stdio reader
      // may see both in one chunk: a progress delivered with its response would arrive after
      // the request was settled. A short pause lets the client take the notifications first.
      await new Promise((r) => setTimeout(r, 10));
      await deliver(reply.slice(response));
    } else await deliver(reply);
    // Unsolicited notifications only make sense once the session exists.
    if (message.method === 'initialize' && !polling) {
      polling = true;
      void pollLoop();
    }
  }

  await new Promise<void>((resolve) => {
    local.onmessage = (m) => void onMessage(m as Message).catch((e: unknown) => report(`pqgate connect: ${(e as Error).message}`));
    local.onclose = () => {
      open = false;
      resolve();
    };
    local.onerror = (e) => report(`pqgate connect: local transport: ${e.message}`);
    void local.start();
  });
  await connector.close();
}
