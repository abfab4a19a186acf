import { readBody } from '@/gateway/http/read-body';
import { AppError } from '../errors';

/**
 * A console route's request body, at most `limit` bytes, through the gateway's shared bounded
 * reader (gateway/http/read-body.ts): a chunked body is cut off at the limit, not buffered first.
 * Over the limit: AppError `too_large` (413) naming the limit and `advice` (what to do).
 */
export function readRequestBody(request: Request, limit: number, advice: string): Promise<Uint8Array> {
  return readBody(request, limit, (bytes) => new AppError('too_large', `The request body is ${bytes} bytes or more; this endpoint takes at most ${limit} bytes. ${advice}`));
}
