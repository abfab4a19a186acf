import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyImport, mergePolicy } from './merge-policy';
import { parsePolicyYaml, type PolicyDocument } from './policy-document';

function parsed(text: string): PolicyDocument {
  const result = parsePolicyYaml(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

// The policy in force before the import: floors on all three scopes, a custom limit, monitor mode.
const CURRENT = parsed(`mode: monitor
p2p_connectivity:
  enforce_pqc: false
  allowed_algos: []
threat_detection:
  block_downgrade_attempts: false
limits:
  sessions_per_identity: 4
floors:
  labels: { healthcare: ML-KEM-768, finance: ML-KEM-1024 }
  servers: { vault: ML-KEM-1024 }
  tools: { "clinic/export_chart": ML-KEM-1024 }
`);

// The snippet of DESIGN.md §4 (the one the issue imported): switches only, no floors.
const SNIPPET = readFileSync(join(import.meta.dirname, '../../e2e/fixtures/design-policy.yaml'), 'utf8');

describe('mergePolicy', () => {
  it('keeps every floor, limit and the mode the file does not mention', () => {
    const merged = mergePolicy(CURRENT, parsed(SNIPPET), SNIPPET);
    expect(merged.floors).toEqual(CURRENT.floors);
    expect(merged.limits).toEqual(CURRENT.limits);
    expect(merged.mode).toBe('monitor');
    expect(merged.p2p_connectivity).toEqual({ enforce_pqc: true, allowed_algos: ['ML-KEM-768', 'ML-DSA-65'] });
    expect(merged.threat_detection).toEqual({ block_downgrade_attempts: true, alert_on_latency_spike: true });
  });

  it('takes only the fields a section states, not the defaults the parser filled in', () => {
    const text = 'p2p_connectivity:\n  allowed_algos: [ML-KEM-1024, ML-DSA-87]\nlimits:\n  calls_per_tool_per_minute: 30\n';
    const merged = mergePolicy({ ...CURRENT, p2p_connectivity: { enforce_pqc: true, allowed_algos: [] } }, parsed(text), text);
    // enforce_pqc defaults to false in the parsed file; the file did not say so, so it stays on.
    expect(merged.p2p_connectivity).toEqual({ enforce_pqc: true, allowed_algos: ['ML-KEM-1024', 'ML-DSA-87'] });
    expect(merged.threat_detection).toEqual(CURRENT.threat_detection);
    expect(merged.limits).toEqual({ ...CURRENT.limits, calls_per_tool_per_minute: 30 });
  });

  it('adds and changes floors entry by entry, and never removes one', () => {
    const text = 'floors:\n  labels: { healthcare: ML-KEM-1024, pii: ML-KEM-768 }\n';
    const merged = mergePolicy(CURRENT, parsed(text), text);
    expect(merged.floors.labels).toEqual({ healthcare: 'ML-KEM-1024', finance: 'ML-KEM-1024', pii: 'ML-KEM-768' });
    expect(merged.floors.servers).toEqual(CURRENT.floors.servers);
    expect(merged.floors.tools).toEqual(CURRENT.floors.tools);
  });

  it('an explicit mode in the file wins', () => {
    const text = 'mode: enforce\n';
    expect(mergePolicy(CURRENT, parsed(text), text).mode).toBe('enforce');
  });

  it('an empty file changes nothing', () => {
    expect(mergePolicy(CURRENT, parsed(''), '')).toEqual(CURRENT);
  });
});

describe('applyImport', () => {
  it('replace makes the file the whole policy: what it leaves out is gone', () => {
    const replaced = applyImport(CURRENT, parsed(SNIPPET), SNIPPET, 'replace');
    expect(replaced.floors).toEqual({ labels: {}, servers: {}, tools: {} });
    expect(replaced.mode).toBe('enforce');
  });

  it('merge is what the default strategy does', () => {
    expect(applyImport(CURRENT, parsed(SNIPPET), SNIPPET, 'merge')).toEqual(mergePolicy(CURRENT, parsed(SNIPPET), SNIPPET));
  });
});
