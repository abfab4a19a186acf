import { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth';
import { errorResponse } from '@/lib/errors';
import { readRequestBody } from '@/lib/http/read-request-body';

/** Largest Auth.js form post (sign-out, CSRF-checked callbacks): a few hundred bytes in practice. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

export const { GET } = handlers;

/** Auth.js reads the whole body itself; it gets it already read, within the limit. */
export async function POST(request: NextRequest) {
  let body: Uint8Array;
  try {
    body = await readRequestBody(request, MAX_AUTH_BODY_BYTES, 'Sign in and out from the console pages.');
  } catch (error) {
    return errorResponse(error);
  }
  return handlers.POST(new NextRequest(request.url, { method: 'POST', headers: request.headers, body: body as Uint8Array<ArrayBuffer>, signal: request.signal }));
}
