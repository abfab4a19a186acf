import { isIP } from 'node:net';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client address of a gateway request, for detection and blocking. Next.js appends the
 * peer it accepted to `x-forwarded-for`; hops added by a proxy on this host (loopback) are
 * trusted to name the client before them, so behind a local reverse proxy the real client is
 * named, while a remote caller cannot choose its own address by sending the header.
 */
export function clientSource(headers: Headers): string {
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter((h) => isIP(h));
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!LOOPBACK.test(hops[i]!) || i === 0) return hops[i]!;
  }
  const real = headers.get('x-real-ip')?.trim();
  return real && isIP(real) ? real : 'unknown';
}
