/**
 * The gateway's one error type. Every failure the gateway reports carries a stable code from a
 * closed union; messages say what to do and never carry secrets or key material.
 * (Modelled on jose `util/errors.ts`: one base class, codes as data.)
 */
import { BufferedResponse } from './http/buffered-response';

/** HTTP status, machine code and default advice for every gateway error code. */
export const GATEWAY_ERRORS = {
  malformed_message: { status: 400, advice: 'The message could not be parsed; upgrade the client or check what sits between it and the gateway.' },
  unsupported_version: { status: 400, advice: 'The protocol version is not supported; upgrade pqgate connect.' },
  message_too_large: { status: 400, advice: 'The message exceeds the size limit; split the request.' },
  unknown_suite: { status: 400, advice: 'Use one of the suite names listed in the message.' },
  unknown_floor: { status: 400, advice: 'Use one of the floor names listed in the message.' },
  invalid_key: { status: 400, advice: 'A public key or ciphertext is not valid for its algorithm; regenerate it.' },
  no_common_suite: { status: 403, advice: 'Client and gateway share no suite that meets both minimums; offer a stronger suite.' },
  suite_below_minimum: { status: 403, advice: 'The negotiated suite is below the required minimum; offer a stronger suite.' },
  downgrade_detected: { status: 403, advice: 'The suite offer was altered in transit; the connection is not trustworthy. Report to the security team.' },
  identity_mismatch: { status: 403, advice: 'The identity key does not use the signature scheme of the negotiated suite; use a matching identity key.' },
  authentication_failed: { status: 401, advice: 'The identity key is not enrolled, was revoked, or its signature does not verify: check that --identity names the key enrolled on the Identities page of the console (pqgate pubkey prints it).' },
  unknown_identity: { status: 401, advice: 'The identity key is unknown or revoked; register it in the console (pqgate keygen).' },
  untrusted_gateway_key: { status: 401, advice: 'The gateway signed with a key the client does not trust; update the trust bundle.' },
  bad_signature: { status: 401, advice: 'A handshake signature did not verify; the peer holds a different key or the transcript was altered.' },
  bad_finished: { status: 401, advice: 'A Finished MAC did not verify; restart the handshake.' },
  cookie_invalid: { status: 401, advice: 'The handshake cookie is invalid; restart the handshake.' },
  cookie_expired: { status: 401, advice: 'The handshake took too long; restart the handshake.' },
  ticket_invalid: { status: 401, advice: 'The session ticket was refused; perform a new handshake.' },
  ticket_expired: { status: 401, advice: 'The session ticket expired; perform a new handshake.' },
  bad_record: { status: 401, advice: 'A record failed authentication; the session must be re-established.' },
  replay: { status: 401, advice: 'The record was replayed or arrived too far out of order; send a new request.' },
  store_unavailable: { status: 503, advice: 'The gateway could not reach its database, so it processed nothing; retry in a moment.' },
  outcome_unknown: { status: 502, advice: 'Check whether the request took effect before retrying it: it was not sent again, so that it cannot run twice.' },
  provider_unavailable: { status: 500, advice: 'The requested crypto provider is not available in this runtime; use PQGATE_CRYPTO_PROVIDER=auto or noble.' },
  invalid_argument: { status: 500, advice: 'The gateway was called with invalid arguments; this is a bug in the caller.' },
  internal_error: { status: 500, advice: 'The gateway failed unexpectedly; retry, and report it if it persists.' },
  unauthenticated: { status: 401, advice: 'Send `Authorization: Bearer <API token>` with a token issued on the Identities page of the console, or connect through `pqgate connect` with an enrolled identity key.' },
  host_not_allowed: { status: 403, advice: 'Requests must name the gateway by one of its public origins (DNS-rebinding protection).' },
  unknown_server: { status: 404, advice: 'Check the URL (/api/mcp/<server>) against the Servers page of the console.' },
  body_too_large: { status: 413, advice: 'The request body exceeds the gateway limit; send a smaller request.' },
  policy_denied: { status: 403, advice: 'The policy refused this request; the message says which floor applies and how to comply.' },
  upstream_unavailable: { status: 502, advice: 'The gateway keeps serving other servers; retry later, or check the server on the Servers page.' },
  upstream_timeout: { status: 504, advice: 'The upstream server is slow or stuck; retry later, or ask an admin to raise the upstream timeout.' },
  rate_limited: { status: 429, advice: 'Retry after the time given (Retry-After); an admin can raise the limit under `limits:` in the policy.' },
} as const satisfies Record<string, { status: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 502 | 503 | 504; advice: string }>;

/** Closed union of stable error codes. */
export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/** The only error type the gateway throws on purpose. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  /** When to retry, in seconds: sent as `Retry-After` on HTTP and in the JSON-RPC error's data. */
  readonly retryAfterSeconds?: number;
  /** Machine-readable detail for the JSON-RPC error's data (e.g. which limit, its value). */
  readonly data?: Readonly<Record<string, string | number>>;

  /**
   * @param message extra detail, safe to show (no secrets); the code's advice is appended unless
   *   `details.advice` is false (a message that already carries it, e.g. read back from the wire).
   * @param details when to retry and machine-readable detail, both safe to show; `cause`, the
   *   failure this one stands for (e.g. what made an outcome unknown).
   */
  constructor(code: GatewayErrorCode, message?: string, details: { readonly retryAfterSeconds?: number; readonly data?: Record<string, string | number>; readonly cause?: unknown; readonly advice?: false } = {}) {
    const advice = GATEWAY_ERRORS[code].advice;
    super(!message ? advice : details.advice === false ? message : `${message}. ${advice}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
    if (details.data) this.data = details.data;
  }

  /** The `Retry-After` header this error calls for, if any. */
  get retryHeaders(): Record<string, string> {
    return this.retryAfterSeconds === undefined ? {} : { 'retry-after': String(this.retryAfterSeconds) };
  }

  /** HTTP status for this error, from the one mapping table. */
  get status(): number {
    return GATEWAY_ERRORS[this.code].status;
  }
}

/** Type guard that also checks the code when one is given. */
export function isGatewayError(e: unknown, code?: GatewayErrorCode): e is GatewayError {
  return e instanceof GatewayError && (code === undefined || e.code === code);
}

/** Maps any thrown value to a JSON `Response`; unknown errors become an opaque 500. */
export function errorResponse(e: unknown): Response {
  // Anything that is not a GatewayError is a bug: report it opaquely, never echo its message.
  const err = e instanceof GatewayError ? e : new GatewayError('internal_error');
  return new BufferedResponse(JSON.stringify({ error: { code: err.code, message: err.message, ...err.data, ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }) } }), {
    status: err.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...err.retryHeaders },
  });
}
