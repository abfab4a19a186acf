/**
 * The channel client's POST on Node: a keep-alive `node:http(s)` agent, headers and body in one
 * write, the reply buffered up to the channel's body limit. `fetch` (undici) does the same work
 * through web streams, a Request and a Response per record, which on a small machine costs more
 * than the record's cryptography (gateway/mcp/README.md, "Performance").
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { GatewayError } from '../errors';
import { readIncoming } from '../http/read-body';
import type { ChannelPost } from './http';
import { LIMITS } from './wire';

/**
 * How long a POST may go without a byte from the gateway (as undici's default for `fetch`): the
 * gateway answers slow upstreams itself well before, so only a gateway that hangs gets here.
 */
const IDLE_TIMEOUT_MS = 300_000;

/** A POST function over its own keep-alive agents (idle sockets do not keep the process alive). */
export function nodePost(options: { idleTimeoutMs?: number } = {}): ChannelPost {
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (url, contentType, body) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const https = target.protocol === 'https:';
      const req = (https ? httpsRequest : httpRequest)(target, { method: 'POST', agent: https ? agents.https : agents.http, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
        readIncoming(res, LIMITS.body, (bytes) => new GatewayError('message_too_large', `body of ${bytes} bytes exceeds ${LIMITS.body}`)).then((bytes) => resolve({ status: res.statusCode ?? 0, body: bytes, location: res.headers.location }), reject);
      });
      req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`the gateway at ${target.host} sent nothing for ${idleTimeoutMs / 1000} s`)));
      req.once('error', reject);
      req.end(body);
    });
}
