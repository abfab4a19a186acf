/**
 * Test fixture: pqgate's own witness on a real HTTP server (port 0), with the gateway configured
 * to use it (PQGATE_AUDIT_WITNESS_URL and _KEY set before the environment is first read). It
 * learns the gateway's checkpoint keys once they exist (`trustGatewayKeys`).
 */
import { createCosigner, formatCosignerKey, parseVerifierKey, type NoteVerifierKey } from '@/gateway/audit';
import { serveNode } from '@/gateway/http/node-adapter';
import { createWitnessHandler } from '@/gateway/witness/witness-server';
import { WitnessStateStore } from '@/gateway/witness/witness-state';

export async function witnessFixture(stateFile: string) {
  const cosigner = createCosigner('witness.test/w1', new Uint8Array(32).fill(7));
  const store = new WitnessStateStore(stateFile);
  let handler: (r: Request) => Promise<Response> = async () => new Response('not ready\n', { status: 503 });
  const server = await serveNode((r) => handler(r), { port: 0 });
  process.env.PQGATE_AUDIT_WITNESS_URL = server.origin;
  process.env.PQGATE_AUDIT_WITNESS_KEY = formatCosignerKey(cosigner.key);
  return {
    cosigner,
    url: () => server.origin,
    async trustGatewayKeys() {
      const { getAuditVerifierKeys } = await import('../data/get-audit-verifier-keys');
      const logKeys: NoteVerifierKey[] = (await getAuditVerifierKeys()).keys.map((k) => parseVerifierKey(k));
      handler = createWitnessHandler({ cosigner, logKeys, store });
    },
    close: () => server.close(),
  };
}
