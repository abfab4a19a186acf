import type { AlertSignal, SourcedChannelEvent } from './types';

export interface HandshakeBurstOptions {
  /** Failed handshakes from one source within `windowMs` that make a burst. */
  readonly threshold: number;
  readonly windowMs: number;
  /** Sources tracked at most; the least recently failing are forgotten first. */
  readonly maxSources?: number;
}

/** Channel event types that count as a failed handshake. */
const FAILED = new Set(['handshake_failed', 'bad_signature', 'unknown_identity', 'downgrade']);

/**
 * Bursts of failed handshakes from one source: `threshold` failures inside a sliding window.
 * Raises once per burst (again only after the source's window has drained), so a sustained
 * attack counts up one alert instead of flooding.
 */
export function createHandshakeBurstDetector(options: HandshakeBurstOptions) {
  const maxSources = options.maxSources ?? 10_000;
  const bySource = new Map<string, { times: number[]; raised: boolean }>();
  return (e: SourcedChannelEvent): AlertSignal | null => {
    if (!FAILED.has(e.type)) return null;
    let s = bySource.get(e.source);
    if (s) bySource.delete(e.source);
    s ??= { times: [], raised: false };
    bySource.set(e.source, s); // re-inserted: Map order is least recently failing first
    if (bySource.size > maxSources) bySource.delete(bySource.keys().next().value!);
    while (s.times.length && s.times[0]! <= e.at - options.windowMs) s.times.shift();
    if (s.times.length === 0) s.raised = false;
    s.times.push(e.at);
    if (s.times.length > options.threshold) s.times.shift();
    if (s.raised || s.times.length < options.threshold) return null;
    s.raised = true;
    return {
      kind: 'handshake_burst',
      severity: 'high',
      dedupKey: `handshake_burst:${e.source}`,
      title: `${options.threshold} failed handshakes in ${Math.round(options.windowMs / 1000)} s from ${e.source}`,
      at: e.at,
      source: e.source,
      details: { source: e.source, failures: options.threshold, windowSeconds: Math.round(options.windowMs / 1000), lastCode: e.code ?? e.type },
    };
  };
}
