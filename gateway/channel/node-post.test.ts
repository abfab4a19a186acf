import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodePost } from './node-post';
import { LIMITS } from './wire';

describe('nodePost', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));

  async function serve(listener: RequestListener): Promise<string> {
    server = createServer(listener);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('posts the body with its content type and returns status and body, reusing one connection', async () => {
    const sockets = new Set<unknown>();
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/pqgate' }).end(Buffer.concat([Buffer.from(`${req.headers['content-type']}:`), ...chunks])));
    });
    const post = nodePost();
    for (let i = 0; i < 3; i++) {
      const reply = await post(`${url}/pq/record`, 'application/pqgate', new Uint8Array([1, 2, 3]));
      expect(reply.status).toBe(200);
      expect([...reply.body]).toEqual([...Buffer.from('application/pqgate:'), 1, 2, 3]);
    }
    expect(sockets.size).toBe(1);
  });

  it('returns error statuses with their body and redirects with their location, without following them', async () => {
    const url = await serve((req, res) => {
      req.resume();
      if (req.url === '/moved') res.writeHead(308, { location: 'https://gateway.example/api/mcp/x/pq/record' }).end();
      else res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":{"code":"unknown_identity"}}');
    });
    const post = nodePost();
    const refused = await post(`${url}/pq/record`, 'application/pqgate', new Uint8Array(1));
    expect(refused.status).toBe(403);
    expect(JSON.parse(Buffer.from(refused.body).toString())).toEqual({ error: { code: 'unknown_identity' } });
    expect(await post(`${url}/moved`, 'application/pqgate', new Uint8Array(1))).toMatchObject({ status: 308, location: 'https://gateway.example/api/mcp/x/pq/record' });
  });

  it('refuses a reply over the channel body limit, declared or streamed', async () => {
    const url = await serve((req, res) => {
      req.resume();
      if (req.url === '/declared') res.writeHead(200, { 'content-length': String(LIMITS.body + 1) }).end();
      else {
        res.writeHead(200); // chunked: no declared length
        res.write(Buffer.alloc(LIMITS.body));
        res.end(Buffer.alloc(1));
      }
    });
    const post = nodePost();
    await expect(post(`${url}/declared`, 'application/pqgate', new Uint8Array(1))).rejects.toMatchObject({ code: 'message_too_large' });
    await expect(post(`${url}/streamed`, 'application/pqgate', new Uint8Array(1))).rejects.toMatchObject({ code: 'message_too_large' });
  });

  it('rejects with the system error when nothing listens', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(nodePost()(`${url}/pq/record`, 'application/pqgate', new Uint8Array(1))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('gives up on a gateway that sends nothing for the idle timeout, naming it', async () => {
    const url = await serve((req) => req.resume()); // reads the request, never answers
    await expect(nodePost({ idleTimeoutMs: 50 })(`${url}/pq/record`, 'application/pqgate', new Uint8Array(1))).rejects.toThrow(/the gateway at 127\.0\.0\.1:\d+ sent nothing for 0\.05 s/);
  });
});
