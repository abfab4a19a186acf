/**
 * One upstream MCP session at the message level, whatever carries it (Streamable HTTP or a stdio
 * process): JSON-RPC messages go in with `send`, and everything the upstream says comes out
 * through {@link UpstreamEvents} as it arrives. A relay session owns exactly one.
 */
import { GatewayError } from '../errors';
import { toJsonRpcFailure, type JsonRpcFailure } from './json-rpc-errors';

export type Message = Record<string, unknown>;
export type Id = string | number;

/** What an upstream session reports. */
export interface UpstreamEvents {
  /**
   * A message from the upstream. `related` is the id of the request on whose reply stream it
   * came (Streamable HTTP); undefined on the GET stream and on stdio.
   */
  message(message: Message, related?: Id): void;
  /** The request `id` will get no response (stream ended early, HTTP error, connection lost). */
  failed(id: Id, failure: JsonRpcFailure): void;
  /** The upstream session is over (process exited, session expired); nothing more arrives. */
  closed(reason: string): void;
}

/** The gateway's side of one upstream session. */
export interface UpstreamConnection {
  /** Sends one message; resolves once the upstream took it (a notification's 202). Never rejects. */
  send(message: Message): Promise<void>;
  /** Stops waiting for the response to `id` (timeout, cancellation). */
  drop(id: Id): void;
  /** Ends the upstream session (DELETE, or the process is stopped). */
  close(): Promise<void>;
  /** Process id of a stdio upstream. */
  readonly pid?: number;
  /**
   * Whether `related` says which request a message is about (Streamable HTTP reply streams).
   * Stdio cannot: the relay then takes a server request made while exactly one request is in
   * flight as that request's.
   */
  readonly tellsRelated: boolean;
}

/** A request (has a method and an id). */
export const isRequest = (m: Message): boolean => typeof m.method === 'string' && m.id !== undefined;

/** The failure for an upstream that cannot be reached or broke off; names the server. */
export function unavailable(slug: string, why: string): JsonRpcFailure {
  return toJsonRpcFailure(new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (${why})`));
}

/** Transport error codes that mean "could not connect" (the upstream is down, not one request). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOENT', 'EACCES']);

/** Whether `e` is a failure to connect (as opposed to a request that broke off). */
export function isConnectFailure(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && CONNECT_CODES.has(code);
}

/** A short, secret-free description of a transport failure (no URLs, headers or env). */
export function describeFailure(e: unknown): string {
  if (e instanceof Error && e.name === 'ReplyError') return e.message;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'connection failed';
}
