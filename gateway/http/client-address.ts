/**
 * Who a request comes from: the peer of the TCP connection, unless that peer is a proxy the
 * operator trusts, in which case `X-Forwarded-For` is read from the right, past every trusted
 * proxy, and the first hop that is not one is the client. A hop is only believed when the hop to
 * its right is a trusted proxy, so whatever a client writes into the header itself is ignored.
 * (The rule of RFC 7239 §7.4 and of every careful proxy-aware server: only hops added by trusted
 * proxies are evidence.) The console and the gateway both name their clients with this function.
 */
import { BlockList, isIP } from 'node:net';

/** The source of a client that cannot be attributed: still one source, counted and blockable. */
export const UNKNOWN_SOURCE = 'unknown';

/** Hops of `X-Forwarded-For` read at most; a longer chain of trusted proxies is unattributable. */
const MAX_HOPS = 32;

/** A set of trusted proxy addresses and networks. */
export interface TrustedProxies {
  /** Whether `address` (canonical, see {@link canonicalAddress}) is a trusted proxy. */
  has(address: string): boolean;
  /** The entries as configured, canonical (for logs and docs). */
  readonly entries: readonly string[];
}

/** Trusts nobody: the default, where the TCP peer is always the client. */
export const NO_TRUSTED_PROXIES: TrustedProxies = Object.freeze({ has: () => false, entries: Object.freeze([]) });

/**
 * The canonical text of an IP address, or null when `text` is not one: IPv4 in dotted decimal,
 * IPv6 compressed in lowercase (RFC 5952), an IPv4-mapped IPv6 address as its IPv4 address (a
 * dual-stack socket reports IPv4 clients that way), a port or brackets (`[v6]:443`, `1.2.3.4:80`,
 * as some proxies write hops) and an IPv6 zone id dropped. One client is then always one source,
 * however its address was spelled.
 */
export function canonicalAddress(text: string): string | null {
  let s = text.trim();
  if (s.length === 0 || s.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else {
    const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
    if (withPort) s = withPort[1]!;
  }
  const family = isIP(s);
  if (family === 4) return s;
  if (family !== 6) return null;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const host = new URL(`http://[${s}]`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!mapped) return host;
  const hi = parseInt(mapped[1]!, 16);
  const lo = parseInt(mapped[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The address as a number, for checking that a network has no host bits set. */
function toBigInt(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(part), 0n);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups.
  const expand = (groups: string[]) => groups.flatMap((g) => (g.includes('.') ? [toBigInt(g) >> 16n, toBigInt(g) & 0xffffn] : [BigInt(`0x${g}`)]));
  const l = expand(left);
  const r = expand(right);
  const groups = [...l, ...Array<bigint>(8 - l.length - r.length).fill(0n), ...r];
  return groups.reduce((n, g) => (n << 16n) | g, 0n);
}

/**
 * Parses a comma-separated list of IP addresses and CIDR networks, IPv4 and IPv6
 * (`10.0.0.0/8, 192.0.2.7, 2001:db8::/32`). Refuses anything else with a message that names the
 * entry: a network with host bits set (`10.0.0.1/8` is ambiguous: `10.0.0.0/8` or
 * `10.0.0.1/32`?) and a `/0` (trusting every address lets every client name itself).
 * @throws Error naming the first bad entry.
 */
export function parseTrustedProxies(list: string): TrustedProxies {
  const blocks = new BlockList();
  const entries: string[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [addressText, prefixText, extra] = entry.split('/');
    // A bare address only: no brackets, port or zone id in configuration.
    const address = isIP(addressText!) && !addressText!.includes('%') ? canonicalAddress(addressText!) : null;
    if (!address || extra !== undefined) {
      throw new Error(`"${entry}" is not an IP address or CIDR network (expected e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32)`);
    }
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    const bits = family === 'ipv4' ? 32 : 128;
    // An IPv4-mapped network (::ffff:10.0.0.0/104) is the IPv4 network it maps.
    const mappedShift = family === 'ipv4' && isIP(addressText!) === 6 ? 96 : 0;
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw new Error(`"${entry}": the prefix length must be a number from 1 to ${bits}`);
    const prefix = prefixText === undefined ? bits : Number(prefixText) - mappedShift;
    if (prefix < 1 || prefix > bits) throw new Error(`"${entry}": the prefix length must be from 1 to ${bits + mappedShift}${prefix === 0 ? ' (a /0 would trust every address, so any client could name itself)' : ''}`);
    const hostBits = BigInt(bits - prefix);
    if (toBigInt(address) & ((1n << hostBits) - 1n)) {
      throw new Error(`"${entry}" has host bits set: write the network address (e.g. ${entry.replace(/\/\d+$/, '')}/${bits + mappedShift} for one address)`);
    }
    blocks.addSubnet(address, prefix, family);
    entries.push(prefix === bits ? address : `${address}/${prefix}`);
  }
  if (entries.length === 0) return NO_TRUSTED_PROXIES;
  return Object.freeze({
    has: (address: string) => blocks.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6'),
    entries: Object.freeze(entries),
  });
}

/**
 * The client address of a request.
 * @param peer the remote address of the TCP connection, as the socket reports it; undefined when
 *   the server cannot tell (then the client is {@link UNKNOWN_SOURCE}, whatever the headers say).
 * @param forwardedFor every `X-Forwarded-For` value of the request, comma-joined (what
 *   `Headers.get` returns), or null.
 * @returns a canonical address, or {@link UNKNOWN_SOURCE}: no peer, or a trusted proxy that
 *   forwarded a hop that is not an address, or more than 32 trusted hops.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null, trusted: TrustedProxies): string {
  const direct = peer === undefined ? null : canonicalAddress(peer);
  if (!direct) return UNKNOWN_SOURCE;
  if (!trusted.has(direct)) return direct;
  let client = direct;
  const hops = forwardedFor ? forwardedFor.split(',') : [];
  for (let i = hops.length - 1, read = 0; i >= 0; i--, read++) {
    if (read === MAX_HOPS) return UNKNOWN_SOURCE;
    // Written by a proxy we trust (the one to its right), so believed; it names the next client.
    const hop = canonicalAddress(hops[i]!);
    if (!hop) return UNKNOWN_SOURCE;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  // Every hop is a trusted proxy: the request started at the leftmost one.
  return client;
}
