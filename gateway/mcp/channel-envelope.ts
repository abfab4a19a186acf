/**
 * The plaintext inside channel records that carry MCP (docs/protocol.md, "MCP over the
 * channel"). One module parses both directions and rejects anything unknown or oversized
 * before work is done; the gateway and the connector share it.
 */
import { GatewayError } from '../errors';
import { invalidMessage } from './json-rpc-body';
import { jsonTextProblem, unsafeStringProblem } from './json-limits';

/** Record routes used for MCP. */
export const MCP_ROUTES = {
  /** One JSON-RPC message from the client; the reply to a request holds its response. */
  message: 'mcp',
  /** Kept in flight by the connector; answered as soon as the session has server messages. */
  poll: 'mcp-poll',
  /** Ends the MCP session (like DELETE on Streamable HTTP). */
  close: 'mcp-close',
} as const;

export type McpRoute = (typeof MCP_ROUTES)[keyof typeof MCP_ROUTES];

/** Client → gateway plaintext. */
export interface RequestEnvelope {
  /** The upstream slug; must match the URL the record was posted to. */
  readonly server: string;
  /** Connector-chosen MCP session id, stable across re-handshakes. */
  readonly session: string;
  /** Present on route `mcp` only. */
  readonly message?: Record<string, unknown>;
  /** Routes `mcp` and `mcp-poll`: every server message up to this sequence number was delivered. */
  readonly ack?: number;
  /** Route `mcp-poll`: answer at once with every retained message after `ack` (a reply was lost). */
  readonly resync?: true;
}

/** One server message and its place in the session's outbound sequence (1, 2, …). */
export interface SequencedMessage {
  /** Absent on answers outside any session (e.g. the session could not be opened). */
  readonly seq?: number;
  readonly message: Record<string, unknown>;
}

/** Gateway → client plaintext. */
export interface ReplyEnvelope {
  readonly messages: readonly SequencedMessage[];
  /**
   * Set on a poll answer that holds every retained message after the poll's `ack`: a number
   * missing below the lowest one here is gone (dropped at the gateway's bound), not late.
   */
  readonly complete?: true;
}

const SESSION_RE = /^[A-Za-z0-9_-]{16,64}$/;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(dec.decode(bytes));
  } catch {
    throw new GatewayError('malformed_message', `${what} is not valid JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new GatewayError('malformed_message', `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new GatewayError('malformed_message', `${what} has unknown field "${k.slice(0, 32)}"`);
}

/** Parses a client envelope received on `route`. */
export function parseRequestEnvelope(bytes: Uint8Array, route: string): RequestEnvelope {
  // The same bounds as a Streamable HTTP body (json-limits.ts), before parsing.
  const tooDeep = jsonTextProblem(bytes);
  if (tooDeep) throw new GatewayError('malformed_message', `MCP envelope has ${tooDeep}`);
  const o = parseJson(bytes, 'MCP envelope');
  onlyKeys(o, route === MCP_ROUTES.message ? ['server', 'session', 'message', 'ack'] : route === MCP_ROUTES.poll ? ['server', 'session', 'ack', 'resync'] : ['server', 'session'], 'MCP envelope');
  if (typeof o.server !== 'string' || o.server.length < 1 || o.server.length > 200) throw new GatewayError('malformed_message', 'MCP envelope server must be a server slug');
  if (typeof o.session !== 'string' || !SESSION_RE.test(o.session)) throw new GatewayError('malformed_message', 'MCP envelope session must be 16-64 characters of [A-Za-z0-9_-]');
  if (route === MCP_ROUTES.message) {
    const why = invalidMessage(o.message) ?? unsafeStringProblem(o.message as Record<string, unknown>);
    if (why) throw new GatewayError('malformed_message', `MCP envelope message: ${why}`);
  }
  if ('ack' in o && !isSeq(o.ack, true)) throw new GatewayError('malformed_message', 'MCP envelope ack must be a sequence number (an integer >= 0)');
  if ('resync' in o && o.resync !== true) throw new GatewayError('malformed_message', 'MCP envelope resync must be true when present');
  return o as unknown as RequestEnvelope;
}

/** Parses a gateway reply (connector side). */
export function parseReplyEnvelope(bytes: Uint8Array): ReplyEnvelope {
  const o = parseJson(bytes, 'MCP reply');
  onlyKeys(o, ['messages', 'complete'], 'MCP reply');
  if (!Array.isArray(o.messages)) throw new GatewayError('malformed_message', 'MCP reply messages must be an array');
  if ('complete' in o && o.complete !== true) throw new GatewayError('malformed_message', 'MCP reply complete must be true when present');
  for (const entry of o.messages) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new GatewayError('malformed_message', 'MCP reply entries must be objects {seq, message}');
    onlyKeys(entry as Record<string, unknown>, ['seq', 'message'], 'MCP reply entry');
    const { seq, message } = entry as { seq?: unknown; message?: unknown };
    if (seq !== undefined && !isSeq(seq, false)) throw new GatewayError('malformed_message', 'MCP reply seq must be an integer >= 1');
    const why = invalidMessage(message);
    if (why) throw new GatewayError('malformed_message', `MCP reply message: ${why}`);
  }
  return o as unknown as ReplyEnvelope;
}

function isSeq(v: unknown, zero: boolean): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= (zero ? 0 : 1);
}

/** Encodes either envelope. */
export function encodeEnvelope(e: RequestEnvelope | ReplyEnvelope): Uint8Array {
  return enc.encode(JSON.stringify(e));
}
