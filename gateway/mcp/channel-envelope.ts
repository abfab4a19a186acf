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
  /** One JSON-RPC message from the client; the reply holds its response and related notifications. */
  message: 'mcp',
  /** Waits (bounded) for notifications not tied to a request. */
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
}

/** Gateway → client plaintext: notifications first, then the response (if any). */
export interface ReplyEnvelope {
  readonly messages: readonly Record<string, unknown>[];
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
  onlyKeys(o, route === MCP_ROUTES.message ? ['server', 'session', 'message'] : ['server', 'session'], 'MCP envelope');
  if (typeof o.server !== 'string' || o.server.length < 1 || o.server.length > 200) throw new GatewayError('malformed_message', 'MCP envelope server must be a server slug');
  if (typeof o.session !== 'string' || !SESSION_RE.test(o.session)) throw new GatewayError('malformed_message', 'MCP envelope session must be 16-64 characters of [A-Za-z0-9_-]');
  if (route === MCP_ROUTES.message) {
    const why = invalidMessage(o.message) ?? unsafeStringProblem(o.message as Record<string, unknown>);
    if (why) throw new GatewayError('malformed_message', `MCP envelope message: ${why}`);
  }
  return o as unknown as RequestEnvelope;
}

/** Parses a gateway reply (connector side). */
export function parseReplyEnvelope(bytes: Uint8Array): ReplyEnvelope {
  const o = parseJson(bytes, 'MCP reply');
  onlyKeys(o, ['messages'], 'MCP reply');
  if (!Array.isArray(o.messages)) throw new GatewayError('malformed_message', 'MCP reply messages must be an array');
  for (const m of o.messages) {
    const why = invalidMessage(m);
    if (why) throw new GatewayError('malformed_message', `MCP reply message: ${why}`);
  }
  return o as unknown as ReplyEnvelope;
}

/** Encodes either envelope. */
export function encodeEnvelope(e: RequestEnvelope | ReplyEnvelope): Uint8Array {
  return enc.encode(JSON.stringify(e));
}
