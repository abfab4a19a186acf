/**
 * DNS-rebinding protection (MCP transport spec, "Security Warning"): a page on another site whose
 * name resolves to the gateway's address makes the browser send that site's name as `Host` and
 * `Origin`. Only the gateway's own public origins, and loopback names, are answered.
 */
import { GatewayError } from '../errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origins (scheme, host, port) clients use to reach this gateway, e.g. `https://gw.example.com`. */
export type PublicOrigins = readonly string[];

/**
 * Parses a comma-separated list of origins (`PQGATE_PUBLIC_ORIGINS`).
 * @throws Error naming the entry that is not an http(s) origin.
 */
export function parsePublicOrigins(list: string): PublicOrigins {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`"${entry.slice(0, 100)}" is not a URL`);
      }
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username) throw new Error(`"${entry.slice(0, 100)}" is not an origin (scheme://host[:port], nothing after it)`);
      return url.origin;
    });
}

/** The host guard of one gateway: `refusal(request)` is null for an allowed Host and Origin. */
export function createHostGuard(origins: PublicOrigins = []) {
  const hosts = new Set(origins.map((o) => new URL(o).host));
  const allowedOrigins = new Set(origins);
  const isLoopback = (host: string) => LOOPBACK_HOSTS.has(host.replace(/:\d+$/, ''));
  const setting = origins.length ? `PQGATE_PUBLIC_ORIGINS (now ${origins.join(', ')})` : 'PQGATE_PUBLIC_ORIGINS (unset: loopback names only)';
  return {
    refusal(request: Request): GatewayError | null {
      // A web Request made in code has no Host header (a forbidden name): its URL names the host.
      const host = (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
      if (!isLoopback(host) && !hosts.has(host)) return new GatewayError('host_not_allowed', `Host "${host.slice(0, 100)}" is not one of this gateway's public origins; if clients reach it by that name, add it to ${setting}`);
      const origin = request.headers.get('origin');
      if (origin === null) return null;
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (parsed && (allowedOrigins.has(parsed.origin) || isLoopback(parsed.host))) return null;
      return new GatewayError('host_not_allowed', `Origin "${origin.slice(0, 100)}" is not one of this gateway's public origins; if a browser page there is meant to call the gateway, add it to ${setting}`);
    },
  };
}
