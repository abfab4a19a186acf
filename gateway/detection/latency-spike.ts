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

/**
 * The last `size` samples and their median. Every traffic event passes through here on the thread
 * that answers calls, so a sample costs a binary search and a shift of at most `size` numbers in
 * place, not a copy and a sort of the window (which was 5-7 ms a batch of 750 calls).
 */
export class RollingMedian {
  /** Samples in arrival order, as a ring. */
  readonly #ring: number[] = [];
  #next = 0;
  /** The same samples, sorted. */
  readonly #sorted: number[] = [];

  constructor(readonly size: number) {}

  get count(): number {
    return this.#sorted.length;
  }

  add(value: number): void {
    if (this.#ring.length < this.size) this.#ring.push(value);
    else {
      const old = this.#ring[this.#next]!;
      this.#ring[this.#next] = value;
      this.#next = (this.#next + 1) % this.size;
      this.#sorted.splice(this.#lowerBound(old), 1);
    }
    this.#sorted.splice(this.#lowerBound(value), 0, value);
  }

  median(): number {
    const s = this.#sorted;
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  }

  #lowerBound(value: number): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
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
  const samples = new Map<string, RollingMedian>();
  return (e: TrafficEvent): AlertSignal | null => {
    if (e.latencyMs === undefined || !Number.isFinite(e.latencyMs) || e.upstreamError) return null;
    let list = samples.get(e.upstream);
    if (!list) samples.set(e.upstream, (list = new RollingMedian(window)));
    let signal: AlertSignal | null = null;
    if (list.count >= minSamples) {
      const baseline = list.median();
      if (e.latencyMs > baseline * factor && e.latencyMs - baseline >= minExcessMs) {
        signal = {
          kind: 'latency_spike',
          severity: 'medium',
          dedupKey: `latency_spike:${e.upstream}`,
          title: `Latency spike on ${e.upstream}: ${Math.round(e.latencyMs)} ms against a ${Math.round(baseline)} ms baseline`,
          at: e.time,
          upstream: e.upstream,
          ...(e.identityId ? { identityId: e.identityId } : {}),
          details: { latencyMs: Math.round(e.latencyMs), baselineMs: Math.round(baseline), samples: list.count, ...(e.tool ? { tool: e.tool } : {}), requestId: e.requestId },
        };
      }
    }
    list.add(e.latencyMs);
    return signal;
  };
}
