import { describe, expect, it } from 'vitest';
import { canonicalAddress, clientAddress, NO_TRUSTED_PROXIES, parseTrustedProxies, UNKNOWN_SOURCE } from './client-address';

describe('canonicalAddress', () => {
  it('spells one address one way: IPv6 compressed and lowercase, IPv4-mapped as IPv4', () => {
    expect(canonicalAddress('2001:0DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(canonicalAddress('::FFFF:c000:0207')).toBe('192.0.2.7');
    expect(canonicalAddress('0:0:0:0:0:ffff:c000:207')).toBe('192.0.2.7');
    expect(canonicalAddress(' 198.51.100.4 ')).toBe('198.51.100.4');
    expect(canonicalAddress('::1')).toBe('::1');
  });

  it('drops ports, brackets and zone ids, and refuses what is not an address', () => {
    expect(canonicalAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(canonicalAddress('192.0.2.7:8080')).toBe('192.0.2.7');
    expect(canonicalAddress('fe80::1%eth0')).toBe('fe80::1');
    for (const bad of ['', 'unknown', '01.2.3.4', '256.1.1.1', '1.2.3', 'evil"<script>', '::ffff:1.2.3.4.5', 'a'.repeat(100), '_hidden']) expect(canonicalAddress(bad)).toBeNull();
  });
});

describe('parseTrustedProxies', () => {
  it('matches IPv4 and IPv6 networks at their edges', () => {
    const t = parseTrustedProxies('10.0.0.0/8, 192.0.2.7, 2001:db8::/32, 198.51.100.128/25');
    expect(t.has('10.0.0.0')).toBe(true);
    expect(t.has('10.255.255.255')).toBe(true);
    expect(t.has('11.0.0.0')).toBe(false);
    expect(t.has('9.255.255.255')).toBe(false);
    expect(t.has('192.0.2.7')).toBe(true);
    expect(t.has('192.0.2.8')).toBe(false);
    expect(t.has('198.51.100.127')).toBe(false);
    expect(t.has('198.51.100.128')).toBe(true);
    expect(t.has('198.51.100.255')).toBe(true);
    expect(t.has('2001:db8::')).toBe(true);
    expect(t.has('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(t.has('2001:db9::')).toBe(false);
    expect(t.entries).toEqual(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '198.51.100.128/25']);
  });

  it('treats an IPv4-mapped entry as the IPv4 network it maps, and /32 and /128 as one address', () => {
    const t = parseTrustedProxies('::ffff:10.0.0.0/104, 203.0.113.9/32, ::1/128');
    expect(t.has('10.1.2.3')).toBe(true);
    expect(t.has(canonicalAddress('::ffff:10.1.2.3')!)).toBe(true);
    expect(t.has('203.0.113.9')).toBe(true);
    expect(t.has('203.0.113.10')).toBe(false);
    expect(t.has('::1')).toBe(true);
    expect(t.has('::2')).toBe(false);
  });

  it('refuses entries that would trust more, or other, than meant, naming the entry', () => {
    expect(() => parseTrustedProxies('10.0.0.1/8')).toThrow(/"10.0.0.1\/8" has host bits set/);
    expect(() => parseTrustedProxies('2001:db8::1/32')).toThrow(/host bits/);
    expect(() => parseTrustedProxies('0.0.0.0/0')).toThrow(/every address/);
    expect(() => parseTrustedProxies('::/0')).toThrow(/every address/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/from 1 to 32/);
    expect(() => parseTrustedProxies('10.0.0.0/x')).toThrow(/prefix length/);
    expect(() => parseTrustedProxies('proxy.internal')).toThrow(/"proxy.internal" is not an IP address/);
    expect(() => parseTrustedProxies('192.0.2.7:80')).toThrow(/not an IP address/);
    expect(() => parseTrustedProxies('10.0.0.0/8/8')).toThrow(/not an IP address/);
  });

  it('an empty list trusts nobody', () => {
    expect(parseTrustedProxies(' , ')).toBe(NO_TRUSTED_PROXIES);
    expect(NO_TRUSTED_PROXIES.has('127.0.0.1')).toBe(false);
  });
});

describe('clientAddress', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8, 2001:db8:1::/48');

  it('is the TCP peer when the peer is not a trusted proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.9', proxies)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', '203.0.113.9, 10.0.0.1', NO_TRUSTED_PROXIES)).toBe('127.0.0.1');
    expect(clientAddress('::ffff:198.51.100.7', 'garbage', proxies)).toBe('198.51.100.7');
  });

  it('through trusted proxies, is the first untrusted hop from the right', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.9', proxies)).toBe('203.0.113.9');
    // The client wrote a forged hop itself; the proxy appended what it saw.
    expect(clientAddress('10.0.0.2', '192.0.2.66, 203.0.113.9', proxies)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '192.0.2.66, 203.0.113.9, 10.9.9.9', proxies)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:10.0.0.2', '2001:0DB8:2::5, 2001:db8:1::9', proxies)).toBe('2001:db8:2::5');
    // A forged hop left of the real client cannot be reached even when it looks like a proxy.
    expect(clientAddress('10.0.0.2', '10.0.0.3, 203.0.113.9', proxies)).toBe('203.0.113.9');
  });

  it('a request that began at a trusted proxy names that proxy', () => {
    expect(clientAddress('10.0.0.2', null, proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '10.0.0.3', proxies)).toBe('10.0.0.3');
  });

  it('is unknown when it cannot be attributed, and never the garbage it was sent', () => {
    expect(clientAddress(undefined, '203.0.113.9', proxies)).toBe(UNKNOWN_SOURCE);
    expect(clientAddress('10.0.0.2', 'not-an-ip', proxies)).toBe(UNKNOWN_SOURCE);
    expect(clientAddress('10.0.0.2', '203.0.113.9, , 10.0.0.3', proxies)).toBe(UNKNOWN_SOURCE);
    expect(clientAddress('10.0.0.2', Array(40).fill('10.0.0.3').join(','), proxies)).toBe(UNKNOWN_SOURCE);
    expect(clientAddress('10.0.0.2', `203.0.113.9,${Array(31).fill('10.0.0.3').join(',')}`, proxies)).toBe('203.0.113.9');
  });
});
