import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@/gateway/policy/limits';
import { emptyPolicy, parsePolicyYaml, policyToYaml } from './policy-document';

const DESIGN_SNIPPET = `p2p_connectivity:
  enforce_pqc: true
  allowed_algos: ["ML-KEM-768", "ML-DSA-65"]
threat_detection:
  block_downgrade_attempts: true
  alert_on_latency_spike: true
`;

describe('policy YAML', () => {
  it('imports the DESIGN.md §4 snippet as it stands', () => {
    const parsed = parsePolicyYaml(DESIGN_SNIPPET);
    expect(parsed).toMatchObject({
      ok: true,
      document: {
        mode: 'enforce',
        p2p_connectivity: { enforce_pqc: true, allowed_algos: ['ML-KEM-768', 'ML-DSA-65'] },
        threat_detection: { block_downgrade_attempts: true, alert_on_latency_spike: true },
        floors: { labels: {}, servers: {}, tools: {} },
      },
    });
  });

  it('round-trips: export then import gives the same document', () => {
    const first = parsePolicyYaml(`${DESIGN_SNIPPET}mode: monitor\nfloors:\n  labels: { healthcare: ML-KEM-768 }\n  tools: { "clinic-records/export_chart": ML-KEM-1024 }\n`);
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const again = parsePolicyYaml(policyToYaml(first.document));
    expect(again).toEqual(first);
  });

  it('points at the offending line for a bad value, an unknown key and broken YAML', () => {
    const bad = parsePolicyYaml('p2p_connectivity:\n  enforce_pqc: yes please\n  allowed_algos: ["ML-KEM-768", "RSA-2048"]\nfloors:\n  labels:\n    healthcare: ML-KEM-9000\nthreat_detectoin: {}\n');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const byPath = Object.fromEntries(bad.problems.map((p) => [p.path, p]));
    expect(byPath['p2p_connectivity.enforce_pqc']).toMatchObject({ line: 2, message: 'expected true or false' });
    expect(byPath['p2p_connectivity.allowed_algos.1']).toMatchObject({ line: 3 });
    expect(byPath['p2p_connectivity.allowed_algos.1']!.message).toContain('expected an algorithm');
    expect(byPath['floors.labels.healthcare']).toMatchObject({ line: 6 });
    expect(byPath['floors.labels.healthcare']!.message).toContain('ML-KEM-768');
    expect(bad.problems.find((p) => p.message.includes('threat_detectoin'))).toBeDefined();

    const broken = parsePolicyYaml('p2p_connectivity:\n  allowed_algos: [\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('fills the limits with their defaults, and an export names every limit with its value', () => {
    const parsed = parsePolicyYaml(DESIGN_SNIPPET);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.document.limits).toEqual({
      handshakes_per_source_per_minute: DEFAULT_LIMITS.handshakesPerSourcePerMinute,
      sessions_per_identity: DEFAULT_LIMITS.sessionsPerIdentity,
      calls_per_identity_per_minute: DEFAULT_LIMITS.callsPerIdentityPerMinute,
      calls_per_tool_per_minute: DEFAULT_LIMITS.callsPerToolPerMinute,
    });
    expect(policyToYaml(emptyPolicy())).toContain(`limits:\n  handshakes_per_source_per_minute: ${DEFAULT_LIMITS.handshakesPerSourcePerMinute}\n`);
    const some = parsePolicyYaml('limits:\n  sessions_per_identity: 3\n');
    expect(some.ok && some.document.limits).toMatchObject({ sessions_per_identity: 3, calls_per_tool_per_minute: DEFAULT_LIMITS.callsPerToolPerMinute });
    const again = some.ok ? parsePolicyYaml(policyToYaml(some.document)) : some;
    expect(again).toEqual(some);
  });

  it('refuses unknown limits and values that are not whole numbers of at least 1, with their line', () => {
    const bad = parsePolicyYaml('mode: enforce\nlimits:\n  sessions_per_identity: 0\n  calls_per_identity_per_minute: 2.5\n  calls_per_tool_per_minute: "10"\n  handshakes_per_minute: 5\n');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const byPath = Object.fromEntries(bad.problems.map((p) => [p.path, p]));
    expect(byPath['limits.sessions_per_identity']).toMatchObject({ line: 3, message: 'expected at least 1 (a limit of 0 would refuse everything)' });
    expect(byPath['limits.calls_per_identity_per_minute']).toMatchObject({ line: 4, message: 'expected a whole number' });
    expect(byPath['limits.calls_per_tool_per_minute']).toMatchObject({ line: 5 });
    expect(byPath.limits).toMatchObject({ line: 3 });
    expect(byPath.limits!.message).toContain('handshakes_per_minute');
  });

  it('refuses a duplicated key instead of keeping the last one', () => {
    expect(parsePolicyYaml('mode: enforce\nmode: monitor\n').ok).toBe(false);
  });

  // Both found by `npm run fuzz`: the yaml library throws them from toJS(), past its parser's errors.
  it('answers an alias without its anchor with a problem, not an exception', () => {
    const parsed = parsePolicyYaml('floors:\n  servers: *l\n');
    expect(parsed).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/Unresolved alias.*define each anchor/) }] });
  });

  it('answers an alias expansion bomb with a problem, not an exception', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const parsed = parsePolicyYaml(`${lines.join('\n')}\nfloors: { labels: { x: *a7 } }\n`);
    expect(parsed).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/expands its aliases more than 100 times/) }] });
  });

  it('refuses flow collections nested deeper than 32 before parsing: 60,000 deep aborted the process', () => {
    const started = performance.now();
    const parsed = parsePolicyYaml(`floors: ${'['.repeat(60_000)}${']'.repeat(60_000)}\n`);
    expect(parsed).toMatchObject({ ok: false, problems: [{ line: 1, column: 41, message: expect.stringMatching(/nest more than 32 deep/) }] });
    expect(performance.now() - started).toBeLessThan(200);
    expect(parsePolicyYaml('floors: { labels: { healthcare: ML-KEM-768 } }\n').ok).toBe(true);
  });

  it('answers a collection key whose anchor has control characters with a problem, not an exception', () => {
    const parsed = parsePolicyYaml('floors:\n  labels: &l { a: ML-KEM-768 }\n  ? serv labels: &\u0000\u0000a: ML-KEM');
    expect(parsed).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/cannot be read as a policy \(Anchor must not contain/) }] });
  });
});
