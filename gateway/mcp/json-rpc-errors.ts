/**
 * The one place where gateway failures become JSON-RPC errors (and HTTP responses carrying
 * them). JSON-RPC 2.0 §5.1 fixes -32700..-32600; MCP leaves -32000..-32099 to servers, and the
 * gateway's own codes live in that range (docs/protocol.md, "MCP over the channel").
 */
import { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode } from '../errors';
import { BufferedResponse } from '../http/buffered-response';

/** JSON-RPC error codes the gateway produces. */
export const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Generic transport-level refusal (matches the SDK's own use of -32000). */
  serverError: -32000,
  sessionNotFound: -32001,
  policyDenied: -32010,
  upstreamUnavailable: -32011,
  upstreamTimeout: -32012,
  unauthenticated: -32013,
  unknownServer: -32014,
  /** Over a limit of the policy's `limits:`; data names the limit, its value and retryAfterSeconds. */
  rateLimited: -32015,
} as const;

const CODE_FOR: Partial<Record<GatewayErrorCode, number>> = {
  malformed_message: JSON_RPC.invalidRequest,
  body_too_large: JSON_RPC.serverError,
  policy_denied: JSON_RPC.policyDenied,
  upstream_unavailable: JSON_RPC.upstreamUnavailable,
  upstream_timeout: JSON_RPC.upstreamTimeout,
  unauthenticated: JSON_RPC.unauthenticated,
  unknown_server: JSON_RPC.unknownServer,
  rate_limited: JSON_RPC.rateLimited,
};

/** A JSON-RPC error the SDK `Protocol` sends verbatim (it reads `code`, `message`, `data`). */
export class JsonRpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** The JSON-RPC failure for a gateway error; anything else is an opaque internal error. */
export function toJsonRpcFailure(e: unknown): JsonRpcFailure {
  if (e instanceof JsonRpcFailure) return e;
  if (e instanceof GatewayError) {
    const retry = e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds };
    return new JsonRpcFailure(CODE_FOR[e.code] ?? JSON_RPC.internalError, e.message, { code: e.code, ...e.data, ...retry });
  }
  return new JsonRpcFailure(JSON_RPC.internalError, GATEWAY_ERRORS.internal_error.advice);
}

/** A JSON-RPC error message object. */
export function jsonRpcError(id: string | number | null, failure: JsonRpcFailure) {
  return { jsonrpc: '2.0' as const, id, error: { code: failure.code, message: failure.message, ...(failure.data === undefined ? {} : { data: failure.data }) } };
}

/** `retryAfterSeconds` of a JSON-RPC error reply that refused a request over a limit, else undefined. */
export function retryAfterOf(reply: Record<string, unknown>): number | undefined {
  const data = (reply.error as { data?: { code?: unknown; retryAfterSeconds?: unknown } } | undefined)?.data;
  return data?.code === 'rate_limited' && typeof data.retryAfterSeconds === 'number' ? data.retryAfterSeconds : undefined;
}

/**
 * An HTTP response carrying one JSON-RPC error, for failures before a message reaches a session
 * (auth, size, parse). The status comes from the gateway error table unless given.
 */
export function jsonRpcErrorResponse(e: unknown, options: { id?: string | number | null; status?: number; headers?: Record<string, string> } = {}): Response {
  const failure = toJsonRpcFailure(e);
  const status = options.status ?? (e instanceof GatewayError ? e.status : e instanceof JsonRpcFailure ? 400 : 500);
  const retry = e instanceof GatewayError ? e.retryHeaders : {};
  return new BufferedResponse(JSON.stringify(jsonRpcError(options.id ?? null, failure)), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...retry, ...options.headers },
  });
}
