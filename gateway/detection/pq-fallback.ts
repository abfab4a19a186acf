import type { TrafficEvent } from '../mcp/store';
import { suiteStrength } from './suite-strength';
import type { AlertSignal } from './types';

/**
 * An identity that has used a post-quantum suite and now arrives classical: a stolen API token,
 * a connector swapped for a weaker one, or a stripped offer that slipped through. Identities
 * that have only ever been classical are not alerted (their floor is policy's business).
 */
export function createPqFallbackDetector(options: { maxIdentities?: number } = {}) {
  const maxIdentities = options.maxIdentities ?? 100_000;
  const pqSuite = new Map<string, string>();
  return {
    /** Remembers that an identity has used `suite` before (seeded from the store at start). */
    seen(identityId: string, suite: string): void {
      if (suiteStrength(suite) === 'classical') return;
      if (pqSuite.size >= maxIdentities && !pqSuite.has(identityId)) pqSuite.delete(pqSuite.keys().next().value!);
      pqSuite.set(identityId, suite);
    },
    observe(e: TrafficEvent): AlertSignal | null {
      if (!e.identityId) return null;
      if (suiteStrength(e.suite) !== 'classical') {
        this.seen(e.identityId, e.suite);
        return null;
      }
      const before = pqSuite.get(e.identityId);
      if (!before) return null;
      return {
        kind: 'pq_fallback',
        severity: 'high',
        dedupKey: `pq_fallback:${e.identityId}`,
        title: `Identity fell back from ${before} to ${e.suite}`,
        at: e.time,
        identityId: e.identityId,
        upstream: e.upstream,
        details: { previousSuite: before, suite: e.suite, transport: e.transport, method: e.method, requestId: e.requestId },
      };
    },
  };
}
