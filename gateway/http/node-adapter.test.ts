/**
 * The node adapter over real HTTP: the lazy Request a core sees (incoming-request.ts) and the
 * responses it writes back (buffered-response.ts among them).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BufferedResponse } from './buffered-response';
import { serveNode, type FetchHandler, type NodeServer } from './node-adapter';

let server: NodeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: FetchHandler): Promise<string> {
  server = await serveNode(handler);
  return server.origin;
}

describe('the Request a core sees', () => {
  it('is a Request with the method, URL, headers and body the client sent', async () => {
    let seen: unknown;
    const origin = await serve(async (request) => {
      seen = { isRequest: request instanceof Request, method: request.method, url: request.url, type: request.headers.get('content-type'), custom: request.headers.get('x-a'), body: await request.json(), used: request.bodyUsed };
      return new Response('ok');
    });
    await fetch(`${origin}/api/mcp/inventory?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-a': '1' }, body: '{"jsonrpc":"2.0"}' });
    expect(seen).toEqual({ isRequest: true, method: 'POST', url: `${origin}/api/mcp/inventory?x=1`, type: 'application/json', custom: '1', body: { jsonrpc: '2.0' }, used: true });
  });

  it('reads its body once, as any Request: a second read fails', async () => {
    let second: unknown;
    const origin = await serve(async (request) => {
      await request.arrayBuffer();
      second = await request.text().catch((e: unknown) => e);
      return new Response('ok');
    });
    await fetch(origin, { method: 'POST', body: 'abc' });
    expect(second).toBeInstanceOf(TypeError);
  });

  it('decodes text as the Fetch standard does: a UTF-8 BOM is dropped, invalid bytes replaced', async () => {
    let text: unknown;
    const origin = await serve(async (request) => {
      text = await request.text();
      return new Response('ok');
    });
    await fetch(origin, { method: 'POST', body: new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62]) });
    expect(text).toBe('a\ufffdb');
  });

  it('answers every other member from undici\'s Request: body stream, clone, cache', async () => {
    let seen: unknown;
    const origin = await serve(async (request) => {
      const copy = request.clone();
      const reader = request.body!.getReader();
      const { value } = await reader.read();
      seen = { cache: request.cache, streamed: new TextDecoder().decode(value), copy: await copy.text(), used: request.bodyUsed, copyIsRequest: copy instanceof Request };
      return new Response('ok');
    });
    await fetch(origin, { method: 'PUT', body: 'hello' });
    expect(seen).toEqual({ cache: 'default', streamed: 'hello', copy: 'hello', used: true, copyIsRequest: true });
  });

  it('streams a body sent in chunks (no Content-Length) instead of buffering it first', async () => {
    let body: unknown;
    const origin = await serve(async (request) => {
      body = await request.text();
      return new Response('ok');
    });
    const parts = ['a', 'b', 'c'];
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const p = parts.shift();
        if (p) c.enqueue(new TextEncoder().encode(p));
        else c.close();
      },
    });
    await fetch(origin, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(body).toBe('abc');
  });

  it('aborts the signal when the client goes away before the answer', async () => {
    let aborted: Promise<boolean> | undefined;
    const origin = await serve(
      (request) =>
        new Promise<Response>((resolve) => {
          aborted = new Promise((done) => request.signal.addEventListener('abort', () => done(true)));
          void aborted.then(() => resolve(new Response('late')));
        }),
    );
    const client = new AbortController();
    const pending = fetch(origin, { method: 'POST', body: 'x', signal: client.signal }).catch(() => undefined);
    while (!aborted) await new Promise((r) => setTimeout(r, 5));
    client.abort();
    await pending;
    expect(await aborted).toBe(true);
  });
});

describe('the responses it writes', () => {
  it('writes a BufferedResponse with its status, headers and length', async () => {
    const origin = await serve(async () => new BufferedResponse('{"ok":true}', { status: 202, headers: { 'content-type': 'application/json', 'x-b': '2' } }));
    const res = await fetch(origin);
    expect(res.status).toBe(202);
    expect(res.headers.get('x-b')).toBe('2');
    expect(res.headers.get('content-length')).toBe('11');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('writes a BufferedResponse whose body stream was already asked for (the generic way)', async () => {
    const origin = await serve(async () => {
      const r = new BufferedResponse('touched', { headers: { 'content-type': 'text/plain' } });
      void r.body;
      return r;
    });
    expect(await (await fetch(origin)).text()).toBe('touched');
  });

  it('streams an event stream as its events are produced', async () => {
    let push!: (s: string) => void;
    const origin = await serve(async () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          push = (s) => (s ? c.enqueue(new TextEncoder().encode(s)) : c.close());
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const res = await fetch(origin);
    const reader = res.body!.getReader();
    push('data: 1\n\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    push('');
    expect((await reader.read()).done).toBe(true);
  });

  it('answers 500 without details when the core throws', async () => {
    const origin = await serve(async () => {
      throw new Error('secret detail');
    });
    const res = await fetch(origin);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret');
  });
});
