/** Small HTTP helpers shared by the channel server and client. */
import { GatewayError } from '../errors';
import { BufferedResponse } from '../http/buffered-response';
import { LIMITS } from './wire';

/** Content type of every channel body. */
export const CHANNEL_CONTENT_TYPE = 'application/pqgate';

/** Reads a request or response body, refusing it before buffering when it is declared too large. */
export async function readBody(r: Request | Response, limit: number = LIMITS.body): Promise<Uint8Array> {
  const declared = Number(r.headers.get('content-length') ?? '0');
  if (declared > limit) throw new GatewayError('message_too_large', `body of ${declared} bytes exceeds ${limit}`);
  const body = new Uint8Array(await r.arrayBuffer());
  if (body.length > limit) throw new GatewayError('message_too_large', `body of ${body.length} bytes exceeds ${limit}`);
  return body;
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
