/**
 * The one place that enforces body limits. Every body the gateway and the console read (channel,
 * Streamable HTTP, console routes, the channel client's replies) goes through one of these two
 * readers: the declared Content-Length is checked first, then bytes are counted as they arrive,
 * and reading stops (the stream cancelled, the message destroyed) the moment the count passes the
 * limit, so a chunked body with no length, or a length that lies, never buffers more than
 * `limit` plus one chunk. `tooLarge` makes the caller's own error (its code, its advice).
 */
import type { IncomingMessage } from 'node:http';
import { bufferedBodyLength } from './incoming-request';

/** Makes the error that refuses a body of (at least) `bytes` bytes. */
export type TooLarge = (bytes: number) => Error;

/** The declared Content-Length, or undefined when absent or not a plain decimal number. */
function declaredLength(value: string | null | undefined): number | undefined {
  return value !== null && value !== undefined && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}

/**
 * The whole body of a `node:http` message, refused (and the message destroyed) once it passes
 * `limit` bytes, declared or sent.
 */
export function readIncoming(message: IncomingMessage, limit: number, tooLarge: TooLarge): Promise<Buffer> {
  const declared = declaredLength(message.headers['content-length']) ?? 0;
  if (declared > limit) {
    message.destroy();
    return Promise.reject(tooLarge(declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        message.destroy();
        reject(tooLarge(size));
      } else chunks.push(chunk);
    });
    message.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    message.once('error', reject);
    message.once('close', () => (message.complete ? undefined : reject(new Error('the connection closed mid-body'))));
  });
}

/**
 * The whole body of a web `Request` or `Response`, at most `limit` bytes. A declared length over
 * the limit is refused before a byte is read (the body is left unread: HTTP framing ends it at
 * that length and Node discards it, so the refusal still reaches the client). Otherwise the
 * stream is read chunk by chunk and cancelled as soon as it passes the limit, whatever the
 * Content-Length said.
 */
export async function readBody(r: Request | Response, limit: number, tooLarge: TooLarge): Promise<Uint8Array> {
  const declared = declaredLength(r.headers.get('content-length'));
  if (declared !== undefined && declared > limit) throw tooLarge(declared);
  // The node adapter's request read whole already (its parser framed it): checked, not streamed.
  const buffered = r instanceof Request ? bufferedBodyLength(r) : undefined;
  if (buffered !== undefined) {
    if (buffered > limit) throw tooLarge(buffered);
    return new Uint8Array(await r.arrayBuffer());
  }
  if (!r.body) return new Uint8Array(0);
  const reader = r.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(size);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}
