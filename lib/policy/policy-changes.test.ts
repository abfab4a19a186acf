import { describe, expect, it } from 'vitest';
import { applyImport } from './merge-policy';
import { policyChanges } from './policy-changes';
import { emptyPolicy, parsePolicyYaml, type PolicyDocument } from './policy-document';

function parsed(text: string): PolicyDocument {
  const result = parsePolicyYaml(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

const CURRENT = parsed(`floors:
  labels: { healthcare: ML-KEM-768, finance: ML-KEM-1024 }
  tools: { "clinic/export_chart": ML-KEM-1024 }
`);

describe('policyChanges', () => {
  it('nothing for the same policy', () => {
    expect(policyChanges(CURRENT, structuredClone(CURRENT))).toEqual([]);
  });

  it('lists every floor a replacing import removes, each marked as weakening', () => {
    const snippet = 'p2p_connectivity:\n  enforce_pqc: true\n';
    const changes = policyChanges(CURRENT, applyImport(CURRENT, parsed(snippet), snippet, 'replace'));
    expect(changes.map((c) => [c.text, c.weakens])).toEqual([
      ['floor of label finance removed (was ML-KEM-1024)', true],
      ['floor of label healthcare removed (was ML-KEM-768)', true],
      ['floor of tool clinic/export_chart removed (was ML-KEM-1024)', true],
      ['p2p_connectivity.enforce_pqc: false → true', false],
    ]);
  });

  it('tells floors added from changed, and a lower floor from a higher one', () => {
    const after = parsed(`floors:
  labels: { healthcare: classical-ok, finance: ML-KEM-1024, pii: ML-KEM-768 }
  servers: { vault: ML-KEM-1024 }
  tools: { "clinic/export_chart": ML-KEM-1024 }
`);
    expect(policyChanges(CURRENT, after)).toEqual([
      { kind: 'changed', path: 'floors.labels.healthcare', before: 'ML-KEM-768', after: 'classical-ok', weakens: true, text: 'floor of label healthcare changed: ML-KEM-768 → classical-ok' },
      { kind: 'added', path: 'floors.labels.pii', after: 'ML-KEM-768', weakens: false, text: 'floor of label pii added: ML-KEM-768' },
      { kind: 'added', path: 'floors.servers.vault', after: 'ML-KEM-1024', weakens: false, text: 'floor of server vault added: ML-KEM-1024' },
    ]);
  });

  it('lists the mode, switches and limits, marking what opens the gateway up', () => {
    const before = emptyPolicy();
    const after = parsed(`mode: monitor
threat_detection: { block_downgrade_attempts: false, alert_on_latency_spike: true }
limits: { sessions_per_identity: ${before.limits.sessions_per_identity + 1}, calls_per_tool_per_minute: 1 }
`);
    expect(policyChanges(before, after).map((c) => [c.path, c.before, c.after, c.weakens])).toEqual([
      ['mode', 'enforce', 'monitor', true],
      ['threat_detection.block_downgrade_attempts', 'true', 'false', true],
      ['limits.sessions_per_identity', String(before.limits.sessions_per_identity), String(before.limits.sessions_per_identity + 1), true],
      ['limits.calls_per_tool_per_minute', String(before.limits.calls_per_tool_per_minute), '1', false],
    ]);
  });

  it('allowed_algos: narrowing is not weakening; widening (or emptying the list) is', () => {
    const strict = parsed('p2p_connectivity: { allowed_algos: [ML-KEM-1024, ML-DSA-87] }');
    const wider = parsed('p2p_connectivity: { allowed_algos: [ML-KEM-768, ML-DSA-65] }');
    expect(policyChanges(wider, strict)).toEqual([
      expect.objectContaining({ path: 'p2p_connectivity.allowed_algos', before: 'ML-KEM-768, ML-DSA-65', after: 'ML-KEM-1024, ML-DSA-87', weakens: false }),
    ]);
    expect(policyChanges(strict, wider)[0]?.weakens).toBe(true);
    expect(policyChanges(strict, emptyPolicy())[0]).toMatchObject({ after: 'any suite', weakens: true });
    // Case alone is no change.
    expect(policyChanges(wider, parsed('p2p_connectivity: { allowed_algos: [ml-kem-768, ml-dsa-65] }'))).toEqual([]);
  });
});
