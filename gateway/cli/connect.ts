/**
 * `pqgate connect`: a stdio MCP server for Claude Desktop, VS Code or any MCP client that relays
 * every message to the gateway over the post-quantum channel. stdout carries only the protocol;
 * every diagnostic goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { getSuite, suiteNames } from '../crypto';
import { isGatewayError } from '../errors';
import { openConnector, relay } from '../connector/connector';
import { followGatewayTrustLive, resolveGatewayTrust } from '../connector/trust';
import { defaultTrustStatePath, TrustStateFile } from '../connector/trust-state';
import { parse, UsageError, type CliIo } from './args';
import { listenBridge, parseListenAddress } from './http-listen';
import { readIdentityFile } from './identity-file';

export const CONNECT_HELP = `usage: pqgate connect <gateway-url>/api/mcp/<server> --identity <file> --trust <fingerprint|file> [--trust-state <file>] [--min-suite NAME] [--http <host:port> [--http-allow-remote]]

Runs as a stdio MCP server and relays everything to <server> at the gateway over the
post-quantum channel. Configure it as the command of an MCP server in your client.

  --identity <file>    identity made by pqgate keygen and enrolled in the console
  --trust <fp|file>    gateway key to trust: its fingerprint as your admin reads it on the
                       console's Rotations page (at least 16 hex digits), or a file saved from
                       <gateway-url>/api/mcp/<server>/pq/keys whose fingerprint you compared
                       with your admin's. Repeat for several keys. The connector follows the
                       signed trust bundle (<gateway>/.well-known/pqgate/trust-bundle) from the
                       pin to its successors and drops keys it marks retired or revoked; it
                       says on stderr which key it trusts and whether it followed a rotation.
  --trust-state <file> where to remember the newest trust bundle accepted, so an older one is
                       refused (default ${defaultTrustStatePath()}; mode 0600). Without it,
                       trust starts again from the pin.
  --min-suite NAME     weakest suite to accept (default hybrid; ${suiteNames().join(', ')})
  --http <host:port>   instead of stdio, serve MCP Streamable HTTP at http://<host:port>/mcp for
                       clients that only speak HTTP (port 0 picks a free one; the URL is printed
                       on stderr). Each HTTP session is its own MCP session at the gateway.
                       Loopback addresses only: whoever reaches the port acts as your identity.
  --http-allow-remote  allow a non-loopback --http address (clients must then call it by that
                       address; no credential protects it)`;

/** How often a running connector re-reads the trust bundle (a rotated gateway key is published before it signs). */
const TRUST_REFRESH_MS = Number(process.env.PQGATE_TRUST_REFRESH_SECONDS ?? 300) * 1000;

/** Runs connect until the MCP client closes stdin; returns the exit code. */
export async function connectCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { identity: { type: 'string' }, trust: { type: 'string', multiple: true }, 'trust-state': { type: 'string' }, 'min-suite': { type: 'string' }, http: { type: 'string' }, 'http-allow-remote': { type: 'boolean' } }, true);
  if (values.help) return io.out(CONNECT_HELP), 0;
  if (positionals.length !== 1) throw new UsageError('give exactly one gateway URL, e.g. https://gateway.example/api/mcp/clinic-records');
  const url = positionals[0]!;
  if (!/^https?:\/\/[^/]+\/.+/.test(url)) throw new UsageError(`${url} is not an http(s) URL naming a server path`);
  if (!values.identity) throw new UsageError('--identity <file> is required (create one with pqgate keygen)');
  if (!values.trust?.length) throw new UsageError(`--trust is required: ask your admin for the gateway key fingerprint (console, Rotations page), or save ${url}/pq/keys to a file and compare its fingerprint with your admin's`);
  const minSuite = values['min-suite'];
  if (minSuite) {
    try {
      getSuite(minSuite);
    } catch (e) {
      if (isGatewayError(e)) throw new UsageError(e.message);
      throw e;
    }
  }
  if (values['http-allow-remote'] && values.http === undefined) throw new UsageError('--http-allow-remote only applies with --http <host:port>');
  // Checked before any network traffic: a refused address costs no handshake.
  const address = values.http === undefined ? undefined : parseListenAddress(values.http, values['http-allow-remote'] === true);
  const identity = readIdentityFile(values.identity);
  const state = new TrustStateFile(values['trust-state'] ?? defaultTrustStatePath());
  // The pins plus their signed successors from the gateway's trust bundle, refreshed while running.
  const initial = await resolveGatewayTrust(url, values.trust, { state });
  for (const line of initial.report) io.err(line);
  const trust = followGatewayTrustLive(url, values.trust, initial, { intervalMs: TRUST_REFRESH_MS, state, onInfo: io.err });
  const connector = await openConnector(url, identity, { trustedGatewayKeys: trust.keys, ...(minSuite ? { minSuite } : {}) });
  io.err(`pqgate connect: ${connector.server} over ${connector.channel.info().suite}, gateway key ${connector.channel.info().gatewayKeyId}`);
  if (address) {
    const bridge = await listenBridge(connector.channel, connector.server, address, io.err);
    if (!address.loopback) io.err(`pqgate connect: WARNING: ${address.host} is not loopback; anyone who reaches it acts as your identity at the gateway`);
    io.err(`pqgate connect: serving MCP Streamable HTTP at ${bridge.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await bridge.close();
    trust.stop();
    return 0;
  }
  const local = new StdioServerTransport();
  // The SDK's stdio transport does not watch for end of input; an MCP client that quits closes
  // our stdin, and that must end the session (and the process) cleanly.
  process.stdin.once('end', () => void local.close());
  await relay(connector, local, { onError: io.err });
  trust.stop();
  return 0;
}
