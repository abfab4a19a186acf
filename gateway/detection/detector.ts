import type { TrafficEvent } from '../mcp/store';
import { channelAlert } from './channel-alerts';
import { createHandshakeBurstDetector, type HandshakeBurstOptions } from './handshake-burst';
import { identityRefusal } from './identity-refusals';
import { createLatencySpikeDetector, type LatencySpikeOptions } from './latency-spike';
import { createPqFallbackDetector } from './pq-fallback';
import type { AlertSignal, DetectionPolicy, SourcedChannelEvent } from './types';

/** Tunables of {@link createDetector}; every one has a default. */
export interface DetectorOptions {
  /** How long a downgrade's source is refused (when policy blocks downgrades). Default 15 min. */
  readonly blockMs?: number;
  readonly burst?: HandshakeBurstOptions;
  readonly latency?: LatencySpikeOptions;
}

/**
 * Every detector behind one object: feed it channel events and traffic events in order, with
 * the policy in force, and it returns the alert occurrences they raise. Pure apart from the
 * detectors' own bounded state; time comes from the events.
 */
export function createDetector(options: DetectorOptions = {}) {
  const blockMs = options.blockMs ?? 15 * 60_000;
  const burst = createHandshakeBurstDetector(options.burst ?? { threshold: 10, windowMs: 60_000 });
  const fallback = createPqFallbackDetector();
  const latency = createLatencySpikeDetector(options.latency);
  return {
    channel(e: SourcedChannelEvent, policy: DetectionPolicy): AlertSignal[] {
      return [channelAlert(e, policy, { blockMs }), burst(e)].filter((s) => s !== null);
    },
    traffic(e: TrafficEvent, policy: DetectionPolicy): AlertSignal[] {
      const out = [fallback.observe(e), identityRefusal(e)];
      // The baseline keeps learning when spike alerts are off, so turning them on is not blind.
      const spike = latency(e);
      if (policy.alertOnLatencySpike) out.push(spike);
      return out.filter((s) => s !== null);
    },
    /** Seeds "has used post-quantum" from what the store already knows (e.g. `Identity.lastSuite`). */
    seenSuite(identityId: string, suite: string): void {
      fallback.seen(identityId, suite);
    },
  };
}

export type Detector = ReturnType<typeof createDetector>;
