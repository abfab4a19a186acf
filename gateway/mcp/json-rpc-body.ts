/**
 * Reads and checks a downstream JSON-RPC body before any work is done: the size first (413,
 * from `content-length` and again while reading, through the shared bounded reader), then
 * nesting depth and string length (-32600, json-limits.ts), then JSON (-32700), then the
 * JSON-RPC 2.0 envelope (-32600, §4 and §5 of the spec), then the strings in each message
 * (-32600: lone surrogates, U+0000 in names). The SDK transport then gets the parsed value.
 */
import { GatewayError } from '../errors';
import { readBody } from '../http/read-body';
import { jsonTextProblem, unsafeStringProblem } from './json-limits';
import { JSON_RPC, JsonRpcFailure } from './json-rpc-errors';

/** A parsed body, or the failure to answer with (and its HTTP status). */
export type BodyResult =
  | { readonly ok: true; readonly value: unknown; readonly messages: readonly Record<string, unknown>[] }
  | { readonly ok: false; readonly error: GatewayError | JsonRpcFailure; readonly id: string | number | null; readonly status: number };

/** Checks one JSON-RPC 2.0 message shape; returns a reason when it is not one. */
export function invalidMessage(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'a JSON-RPC message must be an object';
  const o = m as Record<string, unknown>;
  if (o.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  const hasId = 'id' in o;
  if (hasId && typeof o.id !== 'string' && !(typeof o.id === 'number' && Number.isFinite(o.id)) && o.id !== null) return 'id must be a string or a number';
  if ('method' in o) {
    if (typeof o.method !== 'string' || o.method.length === 0) return 'method must be a non-empty string';
    if ('params' in o && (typeof o.params !== 'object' || o.params === null)) return 'params must be an object or an array';
    if (hasId && o.id === null) return 'a request id must not be null';
    return undefined;
  }
  if (hasId && ('result' in o) !== ('error' in o)) return undefined;
  return 'a message needs a method (request or notification) or exactly one of result and error (response)';
}

// Stateless between calls (no `stream` option), so one serves every request.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads, parses and checks a POST body of at most `limit` bytes. */
export async function readJsonRpcBody(request: Request, limit: number): Promise<BodyResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readBody(request, limit, (size) => new GatewayError('body_too_large', `request body of ${size} bytes or more exceeds the limit of ${limit} bytes`));
  } catch (e) {
    if (e instanceof GatewayError) return { ok: false, error: e, id: null, status: 413 };
    throw e;
  }
  return parseJsonRpcBody(bytes);
}

/** Parses and checks a body already read within its limit (the fuzzer calls this directly). */
export function parseJsonRpcBody(bytes: Uint8Array): BodyResult {
  const tooDeep = jsonTextProblem(bytes);
  if (tooDeep) return { ok: false, error: new JsonRpcFailure(JSON_RPC.invalidRequest, `Invalid Request: the body has ${tooDeep}`), id: null, status: 400 };
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return { ok: false, error: new JsonRpcFailure(JSON_RPC.parseError, 'Parse error: the body is not valid JSON'), id: null, status: 400 };
  }
  const list = Array.isArray(value) ? value : [value];
  const idOf = (m: unknown) => {
    const id = (m as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  };
  if (list.length === 0) return { ok: false, error: new JsonRpcFailure(JSON_RPC.invalidRequest, 'Invalid Request: empty batch'), id: null, status: 400 };
  for (const m of list) {
    const why = invalidMessage(m) ?? unsafeStringProblem(m as Record<string, unknown>);
    if (why) return { ok: false, error: new JsonRpcFailure(JSON_RPC.invalidRequest, `Invalid Request: ${why}`), id: idOf(m), status: 400 };
  }
  return { ok: true, value, messages: list as Record<string, unknown>[] };
}
