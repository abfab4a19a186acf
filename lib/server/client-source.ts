/**
 * The one way the product names the client of a request, for the console (sign-in limits,
 * audit) and the gateway (detection, blocking): `clientAddress` over the TCP peer and the
 * operator's `PQGATE_TRUSTED_PROXIES` (docs/security.md, "Client addresses").
 *
 * How the peer reaches the code: the gateway's node adapter hands the socket's address on its
 * Request (`IncomingRequest.peer`). Next.js route handlers and server actions see headers only,
 * and Next.js 16 sets `x-forwarded-for` to the socket's address only when the client sent none
 * (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in base-server.js): a client that
 * sends the header erases its own address. So the product's server stamps the peer into
 * {@link PEER_HEADER} of every request it hands to Next.js, overwriting whatever the client sent,
 * and only a process whose server did so believes that header. Under a bare `next start` nothing
 * stamps it and every console client is `unknown` (still limited and blockable, never forged).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress, UNKNOWN_SOURCE } from '@/gateway/http/client-address';
import type { IncomingRequest } from '@/gateway/http/incoming-request';
import { env } from '../env';

/** The header the product's server writes the TCP peer into before Next.js sees a request. */
export const PEER_HEADER = 'x-pqgate-peer';

// On globalThis: server.ts and the modules Next.js bundles are separate copies of this file.
const holder = globalThis as typeof globalThis & { __pqgatePeerStamped?: boolean };

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps the listener that hands requests to Next.js: each request carries its TCP peer in
 * {@link PEER_HEADER} (a value the client sent is replaced), and from now on this process
 * believes that header.
 */
export function stampPeer(listener: Listener): Listener {
  holder.__pqgatePeerStamped = true;
  return (req, res) => {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
    listener(req, res);
  };
}

/** The TCP peer of a request, or undefined when this process cannot know it. */
export function peerOf(request: Pick<Request, 'headers'>): string | undefined {
  if ('peer' in request) return (request as IncomingRequest).peer;
  if (!holder.__pqgatePeerStamped) return undefined;
  return request.headers.get(PEER_HEADER) || undefined;
}

/**
 * The client address of a request (canonical), or `unknown` when it cannot be attributed: the
 * TCP peer, or behind trusted proxies the first untrusted `X-Forwarded-For` hop from the right.
 */
export function requestSource(request: Pick<Request, 'headers'>): string {
  const peer = peerOf(request);
  if (peer === undefined) return UNKNOWN_SOURCE;
  return clientAddress(peer, request.headers.get('x-forwarded-for'), env().PQGATE_TRUSTED_PROXIES);
}
