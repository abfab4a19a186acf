/**
 * The conformance fixture behind `pqgate connect --http` (a real process): the CLI talks
 * Streamable HTTP to the bridge, the bridge relays over the post-quantum channel to the gateway
 * core (gateway-target.ts), and the core to the fixture. Nothing is added to the CLI's requests:
 * the bridge needs no credential from its local client.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayKeyId, generateKeyPair } from '../../gateway/channel';
import { writeIdentityFile } from '../../gateway/cli/identity-file';
import { GATEWAY_KEYS } from '../../gateway/mcp/testing/fixture';
import { startGatewayTarget } from './gateway-target';

/** Starts gateway and bridge in front of the MCP server at `upstreamUrl`; `url` is the bridge's `/mcp`. */
export async function startBridgeTarget(upstreamUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const key = generateKeyPair('ML-DSA-65');
  const gateway = await startGatewayTarget(upstreamUrl, key);
  const dir = mkdtempSync(join(tmpdir(), 'pqgate-conformance-bridge-'));
  writeIdentityFile(join(dir, 'id.json'), key, false);
  const child = spawn(process.execPath, ['bin/pqgate.mjs', 'connect', gateway.url, '--identity', join(dir, 'id.json'), '--trust', displayKeyId(GATEWAY_KEYS[1]!.keyId), '--http', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      const m = /serving MCP Streamable HTTP at (\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`pqgate connect --http exited ${code}: ${stderr}`)));
  });
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
