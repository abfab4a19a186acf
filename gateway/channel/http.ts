/** Small HTTP helpers shared by the channel server and client. */
import { GatewayError } from '../errors';
import { BufferedResponse } from '../http/buffered-response';
import { readBody as readBoundedBody } from '../http/read-body';
import { LIMITS } from './wire';

/** Content type of every channel body. */
export const CHANNEL_CONTENT_TYPE = 'application/pqgate';

/**
 * Reads a channel request or response body, at most `limit` bytes (`LIMITS.body`, the largest
 * channel message), through the shared bounded reader: refused while reading, chunked included.
 */
export function readBody(r: Request | Response, limit: number = LIMITS.body): Promise<Uint8Array> {
  return readBoundedBody(r, limit, (bytes) => new GatewayError('message_too_large', `a channel body of ${bytes} bytes or more exceeds the limit of ${limit} bytes; a channel message is never that large, so check what sits between connector and gateway`));
}

/** A binary channel response. */
export function binaryResponse(body: Uint8Array): Response {
  return new BufferedResponse(body, { status: 200, headers: { 'content-type': CHANNEL_CONTENT_TYPE, 'cache-control': 'no-store' } });
}

/** One POST of the channel client: the status and body of the answer. */
export type ChannelPost = (url: string, contentType: string, body: Uint8Array) => Promise<{ status: number; body: Uint8Array; location?: string }>;

/** The channel client's POST over a `fetch` (browsers, tests that stand in for the network). */
export function fetchPost(doFetch: typeof fetch): ChannelPost {
  return async (url, contentType, body) => {
    const res = await doFetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: body as Uint8Array<ArrayBuffer>, redirect: 'manual' });
    return { status: res.status, body: await readBody(res), location: res.headers.get('location') ?? undefined };
  };
}
