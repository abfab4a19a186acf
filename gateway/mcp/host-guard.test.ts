import { describe, expect, it } from 'vitest';
import { createHostGuard, parsePublicOrigins } from './host-guard';
import { startFixture, TOKEN } from './testing/fixture';

const req = (host: string, origin?: string) => new Request('http://x/api/mcp/inventory', { headers: { host, ...(origin ? { origin } : {}) } });

describe('DNS-rebinding protection', () => {
  it('by default answers loopback names only, on any port, and a loopback Origin', () => {
    const g = createHostGuard();
    for (const h of ['localhost', 'localhost:3000', '127.0.0.1:8080', '[::1]:3000']) expect(g.refusal(req(h))).toBeNull();
    expect(g.refusal(req('localhost:3000', 'http://localhost:5173'))).toBeNull();
    expect(g.refusal(req('evil.example.com'))?.code).toBe('host_not_allowed');
    expect(g.refusal(req('127.0.0.1.evil.example'))?.code).toBe('host_not_allowed');
    expect(g.refusal(req('localhost:3000', 'https://evil.example.com'))?.message).toMatch(/Origin "https:\/\/evil\.example\.com".*PQGATE_PUBLIC_ORIGINS \(unset: loopback names only\)/);
    expect(g.refusal(req('localhost', 'null'))?.code).toBe('host_not_allowed');
  });

  it('with public origins configured, answers exactly those hosts and origins (port included)', () => {
    const g = createHostGuard(parsePublicOrigins('https://gw.example.com, https://gw.example.com:8443'));
    expect(g.refusal(req('gw.example.com'))).toBeNull();
    expect(g.refusal(req('gw.example.com:8443', 'https://gw.example.com:8443'))).toBeNull();
    expect(g.refusal(req('gw.example.com:9000'))?.code).toBe('host_not_allowed');
    expect(g.refusal(req('gw.example.com', 'http://gw.example.com'))?.code).toBe('host_not_allowed');
    expect(g.refusal(req('other.example.com'))?.message).toMatch(/add it to PQGATE_PUBLIC_ORIGINS \(now https:\/\/gw\.example\.com, https:\/\/gw\.example\.com:8443\)/);
  });

  it('a web Request made in code (no Host header) is judged by its URL', () => {
    const g = createHostGuard();
    expect(g.refusal(new Request('http://127.0.0.1:3000/api/mcp/x'))).toBeNull();
    expect(g.refusal(new Request('http://evil.example.com/api/mcp/x'))?.code).toBe('host_not_allowed');
  });

  it('refuses a list entry that is not an origin, naming it', () => {
    expect(() => parsePublicOrigins('gw.example.com')).toThrow(/"gw\.example\.com" is not a URL/);
    expect(() => parsePublicOrigins('https://gw.example.com/api')).toThrow(/is not an origin/);
    expect(() => parsePublicOrigins('ftp://gw.example.com')).toThrow(/is not an origin/);
  });

  it('the gateway answers a foreign Host with 403 before authenticating or routing', async () => {
    const f = await startFixture();
    try {
      const url = `${f.base}/inventory`;
      const init = (host: string) => ({ method: 'POST', headers: { host, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
      const { request } = await import('node:http');
      const post = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const { headers, body, method } = init(host);
          const r = request(url, { method, headers }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
          r.on('error', reject);
          r.end(body);
        });
      expect(await post('evil.example.com')).toBe(403);
      expect(await post(new URL(url).host)).not.toBe(403);
    } finally {
      await f.close();
    }
  });
});
