import { describe, expect, it } from 'vitest';
import { clientSource } from './client-source';

const h = (xff?: string, real?: string) => new Headers({ ...(xff !== undefined ? { 'x-forwarded-for': xff } : {}), ...(real ? { 'x-real-ip': real } : {}) });

describe('clientSource', () => {
  it('is the peer Next.js appended when it is remote, whatever the client claimed before it', () => {
    expect(clientSource(h('203.0.113.9, 198.51.100.7'))).toBe('198.51.100.7');
  });

  it('trusts loopback hops (a proxy on this host) to name the client before them', () => {
    expect(clientSource(h('203.0.113.9, 127.0.0.1'))).toBe('203.0.113.9');
    expect(clientSource(h('203.0.113.9, ::1, 127.0.0.1'))).toBe('203.0.113.9');
    expect(clientSource(h('127.0.0.1'))).toBe('127.0.0.1');
  });

  it('ignores hops that are not addresses and falls back to x-real-ip, then unknown', () => {
    expect(clientSource(h('evil"<script>, 127.0.0.1'))).toBe('127.0.0.1');
    expect(clientSource(h(undefined, '192.0.2.1'))).toBe('192.0.2.1');
    expect(clientSource(h())).toBe('unknown');
  });
});
