/** The channel's body reads on both sides stop at the channel body limit (docs/security.md, "Bounded input"). */
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors';
import { fetchPost, readBody } from './http';
import { createHarness, URL_BASE } from './test-harness';
import { LIMITS } from './wire';

/** A body far over the limit (64 MiB: "endless", yet a reader without a bound still ends), counting the bytes it was asked for. */
function endless(chunk = 64 * 1024) {
  const seen = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (seen.bytes >= 64 * 1024 * 1024) return c.close();
        seen.bytes += chunk;
        c.enqueue(new Uint8Array(chunk));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

describe('channel bodies', () => {
  it('the gateway stops reading a chunked request at the limit and refuses it as message_too_large', async () => {
    const { stream, seen } = endless();
    const error = await readBody(new Request('http://gw.test/api/mcp/x/pq/record', { method: 'POST', body: stream, duplex: 'half' } as RequestInit)).catch((e: unknown) => e);
    expect(isGatewayError(error, 'message_too_large')).toBe(true);
    expect((error as Error).message).toContain(`limit of ${LIMITS.body} bytes`);
    expect(seen.bytes).toBeLessThanOrEqual(LIMITS.body + 64 * 1024);
  });

  it('the client (fetch) stops reading a reply that never ends: a hostile gateway or path cannot fill its memory', async () => {
    const { stream, seen } = endless();
    const post = fetchPost((async () => new Response(stream, { status: 200, headers: { 'content-type': 'application/pqgate' } })) as unknown as typeof fetch);
    const error = await post('http://gw.test/x', 'application/pqgate', new Uint8Array(1)).catch((e: unknown) => e);
    expect(isGatewayError(error, 'message_too_large')).toBe(true);
    expect(seen.bytes).toBeLessThanOrEqual(LIMITS.body + 64 * 1024);
  });

  it('the handshake endpoint reads no more than a ClientHello can be (16 KiB)', async () => {
    const h = createHarness();
    const { stream, seen } = endless(1024);
    const res = await h.server.handle(new Request(`${URL_BASE}/handshake`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit), async () => new Uint8Array(0));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('message_too_large');
    expect(seen.bytes).toBeLessThanOrEqual(LIMITS.clientHello + 2048);
  });
});
