import type { TrafficEvent } from '../mcp/store';
import type { AlertSignal } from './types';

/**
 * Calls refused because the identity is revoked or suspended: a credential that should no
 * longer be in use is. (Unknown keys and tokens never reach a decision; the channel reports them.)
 */
export function identityRefusal(e: TrafficEvent): AlertSignal | null {
  if (e.code !== 'identity_revoked' && e.code !== 'identity_suspended') return null;
  const state = e.code === 'identity_revoked' ? 'revoked' : 'suspended';
  return {
    kind: 'revoked_identity',
    severity: e.code === 'identity_revoked' ? 'high' : 'medium',
    dedupKey: `revoked_identity:${e.identityId ?? 'anonymous'}`,
    title: `A ${state} identity is still calling ${e.upstream}`,
    at: e.time,
    upstream: e.upstream,
    ...(e.identityId ? { identityId: e.identityId } : {}),
    details: { code: e.code, method: e.method, ...(e.tool ? { tool: e.tool } : {}), suite: e.suite, requestId: e.requestId },
  };
}
