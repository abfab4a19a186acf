import type { IncomingMessage } from 'node:http';

/**
 * The whole body of a `node:http` message, refused (and the message destroyed) once it passes
 * `limit` bytes, declared or sent; `tooLarge` makes the error to refuse it with.
 */
export function readIncoming(message: IncomingMessage, limit: number, tooLarge: (bytes: number) => Error): Promise<Buffer> {
  const declared = Number(message.headers['content-length'] ?? '0');
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
