/**
 * `pqgate connect --http <host:port>`: where the HTTP bridge listens. Loopback only unless
 * `--http-allow-remote`: whoever reaches the bridge acts as the identity at the gateway, with no
 * credential of their own.
 */
import { isIP } from 'node:net';
import { createHttpBridge, type HttpBridge } from '../connector/http-bridge';
import type { ChannelSession } from '../channel';
import { serveNode, type NodeServer } from '../http/node-adapter';
import { UsageError } from './args';

/** A parsed `--http` value. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  readonly loopback: boolean;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/**
 * Parses `host:port` (`[v6]:port` for IPv6; port 0 picks a free one).
 * @throws UsageError for a malformed value, a host name other than localhost, or a non-loopback
 * address without `allowRemote`.
 */
export function parseListenAddress(value: string, allowRemote: boolean): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--http ${value.slice(0, 100)} is not host:port; use e.g. --http 127.0.0.1:8808 (port 0 picks a free one)`);
  const host = (m[1] ?? m[2]!).toLowerCase();
  if (host !== 'localhost' && isIP(host) === 0) throw new UsageError(`--http ${value.slice(0, 100)}: give an IP address or localhost, not a host name`);
  if (host === '0.0.0.0' || host === '::') throw new UsageError(`--http ${value.slice(0, 100)}: a wildcard address cannot be checked against the Host header; give the one address clients use`);
  const loopback = isLoopback(host);
  if (!loopback && !allowRemote) {
    throw new UsageError(`--http ${value.slice(0, 100)} is not a loopback address: anyone who reaches it would act as your identity at the gateway. Use 127.0.0.1, or add --http-allow-remote if that is what you mean`);
  }
  return { host, port, loopback };
}

/** A listening bridge. */
export interface ListeningBridge {
  /** `http://host:port/mcp`, with the port actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the bridge on `address`; Host and Origin must name loopback or the address itself. */
export async function listenBridge(channel: ChannelSession, server: string, address: ListenAddress, onError: (m: string) => void): Promise<ListeningBridge> {
  let bridge: HttpBridge | undefined;
  const node: NodeServer = await serveNode((request) => bridge!.handle(request), { host: address.host, port: address.port });
  const port = (node.server.address() as { port: number }).port;
  const authority = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${port}`;
  // Its own address too: the host guard knows only the usual loopback names (not 127.0.0.2).
  bridge = createHttpBridge(channel, server, { origins: [`http://${authority}`], onError, authority });
  return {
    url: `http://${authority}/mcp`,
    async close() {
      await bridge!.close();
      await node.close();
    },
  };
}
