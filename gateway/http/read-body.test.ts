/**
 * The shared bounded body reader: it stops pulling at the limit whatever the body claims, on web
 * streams and through the real node:http adapter with a raw socket that never stops sending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveNode, type NodeServer } from './node-adapter';
import { readBody } from './read-body';
import { sendEndlessBody } from './testing/send-endless-body';

const LIMIT = 64 * 1024;
const CHUNK = 16 * 1024;
const tooLarge = (bytes: number) => new RangeError(`too large: ${bytes}`);

/** An endless body that counts how many chunks it was asked for and whether it was cancelled. */
function endless(chunk = CHUNK) {
  const seen = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        seen.pulls++;
        c.enqueue(new Uint8Array(chunk).fill(0x20));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

describe('readBody', () => {
  it('stops pulling a chunked body with no length the moment it passes the limit, and cancels it', async () => {
    const { stream, seen } = endless();
    const request = new Request('http://gw.test/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    await expect(readBody(request, LIMIT, tooLarge)).rejects.toThrow(`too large: ${LIMIT + CHUNK}`);
    // LIMIT / CHUNK chunks fit; the next one passes the limit and is the last one pulled.
    expect(seen.pulls).toBe(LIMIT / CHUNK + 1);
    expect(seen.cancelled).toBe(true);
  });

  it('counts the bytes sent, not the Content-Length claimed: a lying small length does not help', async () => {
    const { stream, seen } = endless();
    const response = new Response(stream, { headers: { 'content-length': '10' } });
    await expect(readBody(response, LIMIT, tooLarge)).rejects.toThrow(/too large/);
    expect(seen.pulls).toBe(LIMIT / CHUNK + 1);
  });

  it('refuses a declared length over the limit before reading a byte', async () => {
    const { stream, seen } = endless();
    const response = new Response(stream, { headers: { 'content-length': String(LIMIT + 1) } });
    await expect(readBody(response, LIMIT, tooLarge)).rejects.toThrow(`too large: ${LIMIT + 1}`);
    expect(seen.pulls).toBe(0);
  });

  it('returns a body within the limit whole, however it was chunked', async () => {
    const parts = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array(LIMIT - 3).fill(9)];
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const p = parts.shift();
        if (p) c.enqueue(p);
        else c.close();
      },
    });
    const body = await readBody(new Response(stream), LIMIT, tooLarge);
    expect(body.length).toBe(LIMIT);
    expect([...body.subarray(0, 4)]).toEqual([1, 2, 3, 9]);
    expect(await readBody(new Response(null), LIMIT, tooLarge)).toEqual(new Uint8Array(0));
  });
});

describe('through the node:http adapter', () => {
  let server: NodeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a raw socket streaming chunks forever is cut off near the limit, and the server never read past it', async () => {
    let read: number | undefined;
    let refused: unknown;
    server = await serveNode(async (request) => {
      try {
        read = (await readBody(request, LIMIT, tooLarge)).length;
      } catch (e) {
        refused = e;
      }
      return new Response('refused', { status: 413 });
    });
    const cap = 256 * 1024 * 1024;
    const { written, answer, closedByServer } = await sendEndlessBody(server.origin, '/', {}, cap);
    expect(read).toBeUndefined();
    expect(String(refused)).toMatch(/too large/);
    // Kernel socket buffers take a few MB; a server that kept reading would take all 256 MB.
    expect(closedByServer).toBe(true);
    expect(written).toBeLessThan(32 * 1024 * 1024);
    // The refusal reaches the client before the connection closes.
    expect(answer).toMatch(/^HTTP\/1\.1 413 .*connection: close/is);
  });

  it('a Content-Length that lies (10 bytes declared, megabytes sent): the server reads 10 and cuts the rest off', async () => {
    let read: number | undefined;
    server = await serveNode(async (request) => {
      read = (await readBody(request, LIMIT, tooLarge)).length;
      return new Response('ok');
    });
    const { written, closedByServer } = await sendEndlessBody(server.origin, '/', {}, 256 * 1024 * 1024, 10);
    expect(read).toBe(10);
    expect(closedByServer).toBe(true);
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });
});

