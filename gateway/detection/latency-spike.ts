import type { TrafficEvent } from '../mcp/store';
import type { AlertSignal } from './types';

export interface LatencySpikeOptions {
  /** Latencies per upstream kept as its rolling baseline. Default 100. */
  readonly window?: number;
  /** Samples needed before a baseline is trusted. Default 20. */
  readonly minSamples?: number;
  /** A call slower than `factor` x the baseline median … Default 4. */
  readonly factor?: number;
  /** … and at least `minExcessMs` above it (fast upstreams jitter). Default 250 ms. */
  readonly minExcessMs?: number;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Latency spikes against a rolling per-upstream baseline: the median of the last `window`
 * round trips (robust to the spikes themselves, which join the window like any sample).
 */
export function createLatencySpikeDetector(options: LatencySpikeOptions = {}) {
  const window = options.window ?? 100;
  const minSamples = options.minSamples ?? 20;
  const factor = options.factor ?? 4;
  const minExcessMs = options.minExcessMs ?? 250;
  const samples = new Map<string, number[]>();
  return (e: TrafficEvent): AlertSignal | null => {
    if (e.latencyMs === undefined || e.upstreamError) return null;
    const list = samples.get(e.upstream) ?? [];
    samples.set(e.upstream, list);
    let signal: AlertSignal | null = null;
    if (list.length >= minSamples) {
      const baseline = median([...list].sort((a, b) => a - b));
      if (e.latencyMs > baseline * factor && e.latencyMs - baseline >= minExcessMs) {
        signal = {
          kind: 'latency_spike',
          severity: 'medium',
          dedupKey: `latency_spike:${e.upstream}`,
          title: `Latency spike on ${e.upstream}: ${Math.round(e.latencyMs)} ms against a ${Math.round(baseline)} ms baseline`,
          at: e.time,
          upstream: e.upstream,
          ...(e.identityId ? { identityId: e.identityId } : {}),
          details: { latencyMs: Math.round(e.latencyMs), baselineMs: Math.round(baseline), samples: list.length, ...(e.tool ? { tool: e.tool } : {}), requestId: e.requestId },
        };
      }
    }
    list.push(e.latencyMs);
    if (list.length > window) list.shift();
    return signal;
  };
}
