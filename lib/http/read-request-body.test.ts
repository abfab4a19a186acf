/**
 * Console routes read their bodies through the shared bounded reader: a chunked body that never
 * ends is refused with 413 at the route's limit, and the reader stops pulling there.
 */
import { describe, expect, it } from 'vitest';
import { POST as rotationPost } from '@/app/api/rotations/client/route';
import { readRequestBody } from './read-request-body';

/** An endless chunked request body that counts the chunks it was asked for. */
function endlessRequest(url: string, headers: Record<string, string> = {}, chunk = 16 * 1024) {
  const seen = { pulls: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull: (c) => void (seen.pulls++, c.enqueue(new Uint8Array(chunk).fill(0x7b))),
      cancel: () => void (seen.cancelled = true),
    },
    { highWaterMark: 0 },
  );
  return { request: new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit), seen };
}

describe('readRequestBody', () => {
  it('refuses past the limit with too_large (413), naming the limit and what to do', async () => {
    const { request, seen } = endlessRequest('http://console.test/x');
    const error = await readRequestBody(request, 32 * 1024, 'Send less.').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'too_large', status: 413 });
    expect(String(error)).toMatch(/at most 32768 bytes\. Send less\./);
    expect(seen).toEqual({ pulls: 3, cancelled: true });
  });
});

describe('POST /api/rotations/client', () => {
  it('a chunked body without end: 413 at 64 KiB, and the route stops reading there', async () => {
    const { request, seen } = endlessRequest('http://console.test/api/rotations/client');
    const res = await rotationPost(request);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'too_large' });
    expect(body.error.message).toContain('at most 65536 bytes');
    expect(seen.pulls).toBe(5);
    expect(seen.cancelled).toBe(true);
  });

  it('a declared length over the limit: 413 before a byte is read', async () => {
    const { request, seen } = endlessRequest('http://console.test/api/rotations/client', { 'content-length': String(1 << 30) });
    expect((await rotationPost(request)).status).toBe(413);
    expect(seen.pulls).toBe(0);
  });
});
