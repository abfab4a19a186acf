import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../mcp/store';
import { createBlocklist } from './blocklist';
import { channelAlert } from './channel-alerts';
import { createDetector } from './detector';
import { createHandshakeBurstDetector } from './handshake-burst';
import { identityRefusal } from './identity-refusals';
import { createLatencySpikeDetector, RollingMedian } from './latency-spike';
import { createPqFallbackDetector } from './pq-fallback';
import { suiteStrength, weakerStrength } from './suite-strength';
import type { SourcedChannelEvent } from './types';

// Each detector is fed a scripted sequence; every rule has sequences that must not alert.

const T0 = 1_700_000_000_000;
const ON = { blockDowngradeAttempts: true, alertOnLatencySpike: true };
const OFF = { blockDowngradeAttempts: false, alertOnLatencySpike: false };

const ch = (type: SourcedChannelEvent['type'], at = T0, extra: Partial<SourcedChannelEvent> = {}): SourcedChannelEvent => ({ type, at, source: '203.0.113.9', ...extra });
let n = 0;
const call = (extra: Partial<TrafficEvent> = {}): TrafficEvent => ({
  time: T0 + n,
  requestId: `r${++n}`,
  upstream: 'clinic',
  method: 'tools/call',
  tool: 'read_chart',
  identityId: 'id-1',
  suite: 'hybrid-xwing-mldsa65',
  transport: 'pq',
  decision: 'allow',
  code: 'allowed',
  rule: 'floor',
  epoch: 1,
  latencyMs: 20,
  ...extra,
});

describe('suite strength', () => {
  it('grades suites by their weakest post-quantum category; unknown names are classical', () => {
    expect(suiteStrength('cnsa2-mlkem1024-mldsa87')).toBe('pq5');
    expect(suiteStrength('hybrid-xwing-mldsa65')).toBe('pq3');
    expect(suiteStrength('classical-x25519-ed25519')).toBe('classical');
    expect(suiteStrength('classical-bearer')).toBe('classical');
    expect(suiteStrength('made-up')).toBe('classical');
    expect(weakerStrength('pq5', 'pq3')).toBe('pq3');
    expect(weakerStrength('classical', 'pq5')).toBe('classical');
  });
});

describe('channel alerts', () => {
  it('a downgrade is critical, names the key and the source, and blocks the source when policy says so', () => {
    const a = channelAlert(ch('downgrade', T0, { identityKeyId: 'abcd:ef01', suite: 'classical-x25519-ed25519', detail: 'client offered [2,1]' }), ON, { blockMs: 60_000 });
    expect(a).toMatchObject({ kind: 'downgrade', severity: 'critical', source: '203.0.113.9', identityKeyId: 'abcd:ef01', block: { source: '203.0.113.9', until: T0 + 60_000 } });
    expect(a!.dedupKey).toBe('downgrade:203.0.113.9:abcd:ef01');
  });

  it('a downgrade under a policy that does not block raises the alert without a block', () => {
    const a = channelAlert(ch('downgrade'), OFF, { blockMs: 60_000 });
    expect(a?.kind).toBe('downgrade');
    expect(a?.block).toBeUndefined();
    expect(a?.details.blocked).toBe(false);
  });

  it.each([
    ['replay', 'replay', 'high'],
    ['bad_signature', 'bad_signature', 'high'],
    ['unknown_identity', 'unknown_identity', 'medium'],
  ] as const)('%s becomes a %s alert of severity %s', (type, kind, severity) => {
    expect(channelAlert(ch(type, T0, { identityKeyId: 'k1' }), ON, { blockMs: 1 })).toMatchObject({ kind, severity, dedupKey: `${kind}:k1` });
  });

  it.each(['handshake_completed', 'handshake_failed', 'ticket_refused', 'bad_record'] as const)('%s alone is not an alert', (type) => {
    expect(channelAlert(ch(type), ON, { blockMs: 1 })).toBeNull();
  });
});

describe('failed-handshake bursts', () => {
  const detect = () => createHandshakeBurstDetector({ threshold: 5, windowMs: 10_000 });

  it('five failures within ten seconds from one source raise one alert, once per burst', () => {
    const d = detect();
    const out = Array.from({ length: 12 }, (_, i) => d(ch('handshake_failed', T0 + i * 500)));
    expect(out.filter(Boolean)).toHaveLength(1);
    expect(out[4]).toMatchObject({ kind: 'handshake_burst', dedupKey: 'handshake_burst:203.0.113.9' });
  });

  it('the same failures spread out, or from different sources, or successful handshakes, do not alert', () => {
    const d = detect();
    for (let i = 0; i < 20; i++) expect(d(ch('handshake_failed', T0 + i * 3000))).toBeNull();
    const e = detect();
    for (let i = 0; i < 20; i++) expect(e(ch('handshake_failed', T0 + i, { source: `198.51.100.${i}` }))).toBeNull();
    const f = detect();
    for (let i = 0; i < 20; i++) expect(f(ch('handshake_completed', T0 + i))).toBeNull();
  });

  it('alerts again after the source went quiet for a window', () => {
    const d = detect();
    const first = Array.from({ length: 5 }, (_, i) => d(ch('handshake_failed', T0 + i)));
    const second = Array.from({ length: 5 }, (_, i) => d(ch('bad_signature', T0 + 60_000 + i)));
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(second.filter(Boolean)).toHaveLength(1);
  });
});

describe('post-quantum to classical fallback', () => {
  it('an identity seen on a post-quantum suite that now calls with a bearer token raises an alert', () => {
    const d = createPqFallbackDetector();
    expect(d.observe(call())).toBeNull();
    expect(d.observe(call({ suite: 'classical-bearer', transport: 'bearer' }))).toMatchObject({ kind: 'pq_fallback', severity: 'high', identityId: 'id-1', dedupKey: 'pq_fallback:id-1' });
  });

  it('an identity that was only ever classical, or stays post-quantum, does not alert', () => {
    const d = createPqFallbackDetector();
    for (let i = 0; i < 5; i++) expect(d.observe(call({ identityId: 'id-2', suite: 'classical-bearer', transport: 'bearer' }))).toBeNull();
    for (let i = 0; i < 5; i++) expect(d.observe(call({ suite: i % 2 ? 'cnsa2-mlkem1024-mldsa87' : 'hybrid-xwing-mldsa65' }))).toBeNull();
    expect(d.observe(call({ identityId: undefined, suite: 'classical-bearer' }))).toBeNull();
  });

  it('remembers post-quantum use seeded from the store', () => {
    const d = createPqFallbackDetector();
    d.seen('id-9', 'cnsa2-mlkem1024-mldsa87');
    d.seen('id-8', 'classical-bearer');
    expect(d.observe(call({ identityId: 'id-9', suite: 'classical-x25519-ed25519' }))?.kind).toBe('pq_fallback');
    expect(d.observe(call({ identityId: 'id-8', suite: 'classical-bearer' }))).toBeNull();
  });
});

describe('latency spikes', () => {
  it('a call far above the upstream rolling median raises an alert', () => {
    const d = createLatencySpikeDetector({ minSamples: 10 });
    for (let i = 0; i < 30; i++) expect(d(call({ latencyMs: 40 + (i % 5) }))).toBeNull();
    expect(d(call({ latencyMs: 900 }))).toMatchObject({ kind: 'latency_spike', upstream: 'clinic', details: { baselineMs: 42 } });
  });

  it('does not alert before the baseline is trusted, on jitter, on other upstreams, or on failed calls', () => {
    const d = createLatencySpikeDetector({ minSamples: 10 });
    for (let i = 0; i < 9; i++) d(call({ latencyMs: 5 }));
    expect(d(call({ latencyMs: 5000 }))).toBeNull(); // the 10th sample: not yet a baseline
    const e = createLatencySpikeDetector({ minSamples: 10 });
    for (let i = 0; i < 30; i++) e(call({ latencyMs: 2 }));
    expect(e(call({ latencyMs: 60 }))).toBeNull(); // 30x, but only 58 ms: jitter of a fast upstream
    expect(e(call({ upstream: 'inventory', latencyMs: 5000 }))).toBeNull();
    expect(e(call({ latencyMs: 30_000, upstreamError: 'timeout' }))).toBeNull();
  });

  it('a slowly rising latency moves the baseline instead of alerting', () => {
    const d = createLatencySpikeDetector({ minSamples: 10, window: 20 });
    const out = Array.from({ length: 200 }, (_, i) => d(call({ latencyMs: 50 + i * 5 })));
    expect(out.filter(Boolean)).toHaveLength(0);
  });
});

describe('identity refusals', () => {
  it('calls refused for a revoked or suspended identity alert; other refusals do not', () => {
    expect(identityRefusal(call({ decision: 'deny', code: 'identity_revoked' }))).toMatchObject({ kind: 'revoked_identity', severity: 'high' });
    expect(identityRefusal(call({ decision: 'deny', code: 'identity_suspended' }))).toMatchObject({ kind: 'revoked_identity', severity: 'medium' });
    expect(identityRefusal(call({ decision: 'deny', code: 'floor_not_met' }))).toBeNull();
    expect(identityRefusal(call())).toBeNull();
  });
});

describe('the composed detector', () => {
  it('honours alert_on_latency_spike but keeps learning the baseline while it is off', () => {
    const d = createDetector({ latency: { minSamples: 5 } });
    for (let i = 0; i < 10; i++) expect(d.traffic(call({ latencyMs: 10 }), OFF)).toEqual([]);
    expect(d.traffic(call({ latencyMs: 2000 }), OFF)).toEqual([]);
    expect(d.traffic(call({ latencyMs: 2000 }), ON).map((s) => s.kind)).toEqual(['latency_spike']);
  });

  it('a downgrade counts toward the burst too, and carries the block', () => {
    const d = createDetector({ blockMs: 5000, burst: { threshold: 2, windowMs: 1000 } });
    expect(d.channel(ch('downgrade'), ON).map((s) => s.kind)).toEqual(['downgrade']);
    const second = d.channel(ch('downgrade', T0 + 10), ON);
    expect(second.map((s) => s.kind)).toEqual(['downgrade', 'handshake_burst']);
    expect(second[0]!.block).toEqual({ source: '203.0.113.9', until: T0 + 10 + 5000 });
  });
});

describe('blocklist', () => {
  it('refuses a source until its block ends, never shortens a block, and blocks "unknown" too', () => {
    let now = T0;
    const b = createBlocklist({ clock: () => now });
    b.block('203.0.113.9', T0 + 1000);
    b.block('203.0.113.9', T0 + 500);
    b.block('unknown', T0 + 1000);
    expect(b.blockedUntil('203.0.113.9')).toBe(T0 + 1000);
    expect(b.blockedUntil('198.51.100.1')).toBeNull();
    // An unattributable client cannot escape a block by staying unattributable.
    expect(b.blockedUntil('unknown')).toBe(T0 + 1000);
    now = T0 + 1000;
    expect(b.blockedUntil('203.0.113.9')).toBeNull();
  });
});

describe('RollingMedian', () => {
  it('is the median of the last `size` samples, as sorting the window would give', () => {
    const m = new RollingMedian(7);
    const all: number[] = [];
    let x = 12345;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const v = (x % 50) + (i % 97 === 0 ? 1000 : 0);
      m.add(v);
      all.push(v);
      const window = all.slice(-7).sort((a, b) => a - b);
      const mid = window.length >> 1;
      expect(m.median()).toBe(window.length % 2 ? window[mid] : (window[mid - 1]! + window[mid]!) / 2);
      expect(m.count).toBe(window.length);
    }
  });
});
