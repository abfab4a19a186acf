/**
 * The policy YAML parser (lib/policy/policy-document.ts): mutated valid policies, hostile YAML
 * tokens (anchors, aliases, merge keys, tags, directives) and generated alias bombs. It answers
 * every input with a parsed policy or a list of problems; anything thrown is a crash.
 */
import { parsePolicyYaml } from '../../../lib/policy/policy-document';
import { mutateText, type Rng } from '../mutate';
import { outcomeOf, type FuzzTarget } from '../target';

const SEEDS = [
  'p2p_connectivity:\n  enforce_pqc: true\n  allowed_algos: ["ML-KEM-768", "ML-DSA-65"]\nthreat_detection:\n  block_downgrade_attempts: true\n  alert_on_latency_spike: true\n',
  '# pqgate policy\nversion: 1\nmode: monitor\nfloors:\n  labels: { healthcare: ML-KEM-768, finance: ML-KEM-1024 }\n  servers:\n    clinic-records: ML-KEM-768\n  tools: { "clinic-records/export_chart": ML-KEM-1024 }\n',
  'version: 1\nmode: enforce\np2p_connectivity: { enforce_pqc: false, allowed_algos: [] }\nfloors: { labels: {}, servers: {}, tools: {} }\n',
  '',
  'floors:\n  labels: &l { a: ML-KEM-768 }\n  servers: *l\n',
];

/** Aliases that expand exponentially (the "billion laughs" shape), or a deep flow nest. */
function generated(rng: Rng): string {
  if (rng.chance(0.5)) {
    const levels = 2 + rng.below(12);
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    return `${lines.join('\n')}\nfloors: { labels: { x: *a${levels - 1} } }\n`;
  }
  const depth = rng.pick([10, 32, 33, 1000, 60_000]);
  return `floors: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

export const policyTarget: FuzzTarget = {
  name: 'policy YAML',
  count: 80_000,
  sliceCount: 1_000,
  input(rng) {
    let text = rng.chance(0.05) ? generated(rng) : rng.pick(SEEDS);
    for (let k = 1 + rng.below(4); k > 0; k--) text = mutateText(text, rng);
    return { variant: 'parsePolicyYaml', bytes: new TextEncoder().encode(text) };
  },
  run({ bytes }) {
    const parsed = parsePolicyYaml(new TextDecoder().decode(bytes));
    return parsed.ok ? 'ok' : outcomeOf('problem', parsed.problems[0]?.message);
  },
};
