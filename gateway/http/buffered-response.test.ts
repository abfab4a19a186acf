import { describe, expect, it } from 'vitest';
import { BufferedResponse } from './buffered-response';

describe('BufferedResponse', () => {
  it('is a Response with its status, headers and body, readable as text, JSON or bytes', async () => {
    const r = new BufferedResponse('{"a":1}', { status: 201, headers: { 'content-type': 'application/json' } });
    expect(r).toBeInstanceOf(Response);
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(await r.clone().json()).toEqual({ a: 1 });
    expect(await r.clone().text()).toBe('{"a":1}');
    expect([...(await r.clone().bytes())]).toEqual([...new TextEncoder().encode('{"a":1}')]);
    expect(await (await r.blob()).text()).toBe('{"a":1}');
  });

  it('reads once: a second read fails and bodyUsed says so', async () => {
    const r = new BufferedResponse(new Uint8Array([1, 2, 3]));
    expect(r.bodyUsed).toBe(false);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
    expect(() => r.clone()).toThrow(TypeError);
  });

  it('gives a stream to whoever asks for body (Next.js, when it serves the route file)', async () => {
    const r = new BufferedResponse('streamed');
    const body = r.body;
    expect(r.body).toBe(body);
    expect(r.bodyUsed).toBe(false);
    expect(await new Response(body).text()).toBe('streamed');
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
    expect(BufferedResponse.bytesOf(r)).toBeUndefined();
  });

  it('asking for body reads nothing: a reader method still gets the bytes (as undici\'s do)', async () => {
    const r = new BufferedResponse('abc');
    expect(r.body).not.toBeNull();
    expect(await r.text()).toBe('abc');
    expect(r.bodyUsed).toBe(true);
    await expect(r.arrayBuffer()).rejects.toThrow(TypeError);
  });

  it('hands its bytes to an adapter once, and nothing for other responses', async () => {
    const r = new BufferedResponse('x');
    expect(BufferedResponse.bytesOf(r)).toEqual(new TextEncoder().encode('x'));
    expect(BufferedResponse.bytesOf(r)).toBeUndefined();
    expect(BufferedResponse.bytesOf(new Response('y'))).toBeUndefined();
    const asked = new BufferedResponse('z');
    void asked.body;
    expect(BufferedResponse.bytesOf(asked)).toBeUndefined();
  });

  it('json() sets the content type unless given', async () => {
    expect(BufferedResponse.json({ a: 1 }).headers.get('content-type')).toBe('application/json');
    expect(BufferedResponse.json({ a: 1 }, { headers: { 'content-type': 'application/x' } }).headers.get('content-type')).toBe('application/x');
    expect(await BufferedResponse.json([1], { status: 202 }).json()).toEqual([1]);
  });
});
