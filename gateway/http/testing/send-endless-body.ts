/** Test helper: an HTTP/1.1 client on a raw socket that sends a body without end. */
import { connect } from 'node:net';

const CHUNK = 64 * 1024;

/**
 * Writes a body to `path` over a raw socket until the server closes the connection (or `cap`
 * bytes): chunked, or after a `Content-Length` that lies (`lyingLength`). Returns what the
 * server answered, how much the client got to write, and whether the server closed first.
 */
export async function sendEndlessBody(origin: string, path: string, headers: Record<string, string>, cap: number, lyingLength?: number) {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let answer = '';
  socket.on('data', (d: Buffer) => void (answer += d.toString('latin1')));
  socket.on('error', () => undefined);
  let closed = false;
  const close = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void close.then(() => (closed = true));
  const framing = lyingLength === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(lyingLength) };
  const head = Object.entries({ host: `${hostname}:${port}`, ...framing, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.write(`POST ${path} HTTP/1.1\r\n${head.join('')}\r\n`);
  const chunk = lyingLength === undefined ? Buffer.concat([Buffer.from(`${CHUNK.toString(16)}\r\n`), Buffer.alloc(CHUNK, 0x20), Buffer.from('\r\n')]) : Buffer.alloc(CHUNK, 0x20);
  let written = 0;
  while (!closed && written < cap) {
    if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), close]);
    written += chunk.length;
  }
  socket.destroy();
  return { answer, written, closedByServer: written < cap };
}

