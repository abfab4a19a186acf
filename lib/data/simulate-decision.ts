import { getSuite, SUITES } from '@/gateway/crypto';
import { decide, type Decision } from '@/gateway/policy/decide';
import { BEARER_STRENGTH, type SessionStrength } from '@/gateway/policy/floors';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { currentPolicySnapshot } from '../gateway-runtime';

export const SIMULATOR_SUITES = ['classical-bearer', ...SUITES.map((s) => s.name)];

const SIMULATED = 'simulated-identity';

/**
 * Runs the gateway's own decide() on the snapshot in force for an identity (or a bare suite, as
 * an active identity with access to every server) calling a tool.
 */
export async function simulateDecision(actor: SessionUser, input: { identityId?: string; suite: string; tool: string }): Promise<Decision> {
  assertPermission(actor, 'console:read');
  // The very snapshot the gateway decides from, not a second copy compiled for the console.
  const snapshot = await currentPolicySnapshot();
  const strength: SessionStrength =
    input.suite === 'classical-bearer'
      ? BEARER_STRENGTH
      : (() => {
          const s = getSuite(input.suite);
          return { suite: s.name, kemCategory: s.kemCategory, signatureCategory: s.signatureCategory, quantumSafe: s.quantumSafe };
        })();
  const [upstream, ...rest] = input.tool.split('/');
  const identities = new Map(snapshot.identities);
  if (!input.identityId) identities.set(SIMULATED, { status: 'active', allowedServers: [] });
  return decide(
    { strength, identityId: input.identityId ?? SIMULATED, identityName: input.identityId ? undefined : 'a bare suite' },
    { kind: 'tool', upstream: upstream ?? '', tool: rest.join('/') },
    { ...snapshot, identities },
  );
}
