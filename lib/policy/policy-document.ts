import { LineCounter, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { KNOWN_ALGORITHM_NAMES } from '@/gateway/policy/allowed-algos';
import { floorNames, type FloorName } from '@/gateway/policy/floors';
import { DEFAULT_LIMITS, MAX_LIMIT } from '@/gateway/policy/limits';

// The policy document security teams already write (DESIGN.md §4), plus the per-resource
// floors. Unknown keys are refused, so a typo never silently weakens a policy.

const floorName = z.enum(floorNames() as [FloorName, ...FloorName[]], { message: `expected a floor: ${floorNames().join(', ')}` });
const algorithm = z
  .string()
  .refine((a) => KNOWN_ALGORITHM_NAMES.some((k) => k.toLowerCase() === a.toLowerCase()), { message: `expected an algorithm: ${KNOWN_ALGORITHM_NAMES.join(', ')}` });

const limit = z
  .number({ message: 'expected a whole number' })
  .int('expected a whole number')
  .min(1, 'expected at least 1 (a limit of 0 would refuse everything)')
  .max(MAX_LIMIT, `expected at most ${MAX_LIMIT}`);

// The gateway's limits (gateway/policy/limits.ts), under their YAML names.
const DEFAULT_LIMITS_SECTION = {
  handshakes_per_source_per_minute: DEFAULT_LIMITS.handshakesPerSourcePerMinute,
  sessions_per_identity: DEFAULT_LIMITS.sessionsPerIdentity,
  calls_per_identity_per_minute: DEFAULT_LIMITS.callsPerIdentityPerMinute,
  calls_per_tool_per_minute: DEFAULT_LIMITS.callsPerToolPerMinute,
};

export const policyDocumentSchema = z
  .object({
    version: z.literal(1, { message: 'expected version: 1' }).default(1),
    mode: z.enum(['enforce', 'monitor'], { message: 'expected enforce or monitor' }).default('enforce'),
    p2p_connectivity: z
      .object({
        enforce_pqc: z.boolean({ message: 'expected true or false' }).default(false),
        allowed_algos: z.array(algorithm, { message: 'expected a list of algorithms' }).default([]),
      })
      .strict()
      .default({ enforce_pqc: false, allowed_algos: [] }),
    threat_detection: z
      .object({
        block_downgrade_attempts: z.boolean({ message: 'expected true or false' }).default(true),
        alert_on_latency_spike: z.boolean({ message: 'expected true or false' }).default(true),
      })
      .strict()
      .default({ block_downgrade_attempts: true, alert_on_latency_spike: true }),
    limits: z
      .object({
        handshakes_per_source_per_minute: limit.default(DEFAULT_LIMITS.handshakesPerSourcePerMinute),
        sessions_per_identity: limit.default(DEFAULT_LIMITS.sessionsPerIdentity),
        calls_per_identity_per_minute: limit.default(DEFAULT_LIMITS.callsPerIdentityPerMinute),
        calls_per_tool_per_minute: limit.default(DEFAULT_LIMITS.callsPerToolPerMinute),
      })
      .strict()
      .default(DEFAULT_LIMITS_SECTION),
    floors: z
      .object({
        labels: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a label name in lowercase'), floorName).default({}),
        servers: z.record(z.string().min(1), floorName).default({}),
        tools: z.record(z.string().regex(/^[^/\s]+\/[^\s]+$/, 'expected <server>/<tool>'), floorName).default({}),
      })
      .strict()
      .default({ labels: {}, servers: {}, tools: {} }),
  })
  .strict();

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

export interface PolicyProblem {
  line: number;
  column: number;
  /** Dotted path of the offending field, e.g. `p2p_connectivity.allowed_algos.1`. */
  path: string;
  message: string;
}

export type ParsedPolicy = { ok: true; document: PolicyDocument } | { ok: false; problems: PolicyProblem[] };

/** Most alias expansions a policy may need (yaml's default); past it a document is refused. */
const MAX_ALIAS_COUNT = 100;

/**
 * Deepest nesting of flow collections (`[`, `{`) a policy may use; a real one needs three. The yaml
 * library parses deep flow nests in superlinear time and, some tens of thousands deep (well
 * inside the 200 kB a policy may be), aborts the whole process running out of memory (found by
 * `npm run fuzz`), so depth is counted before parsing. Every bracket counts, quoted or not:
 * a scanner that tried to skip quoted text could be fooled into skipping real brackets.
 */
const MAX_FLOW_DEPTH = 32;

function flowDepthProblem(text: string): PolicyProblem | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) (line++, (lineStart = i + 1));
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_FLOW_DEPTH) return { line, column: i - lineStart + 1, path: '', message: `brackets ([ or {) nest more than ${MAX_FLOW_DEPTH} deep; a policy needs a few levels: flatten it` };
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

function toJsProblem(e: unknown): string {
  const message = String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
  if (message.startsWith('Unresolved alias')) return `${message}; define each anchor (&name) before an alias (*name) uses it`;
  if (message.startsWith('Excessive alias count')) return `the YAML expands its aliases more than ${MAX_ALIAS_COUNT} times; write the values out instead of nesting aliases`;
  return `the YAML cannot be read as a policy (${message}); use plain keys and values as in the documented policy shape`;
}

/** Parses policy YAML; every problem carries the line and column of the offending text. */
export function parsePolicyYaml(text: string): ParsedPolicy {
  const tooDeep = flowDepthProblem(text);
  if (tooDeep) return { ok: false, problems: [tooDeep] };
  const lineCounter = new LineCounter();
  // logLevel 'error': a warning (a key that is a collection) is left to the schema to refuse, not logged.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] ?? 'invalid YAML' };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    // The yaml library reports some problems only here, by throwing (all found by `npm run
    // fuzz`): an alias without its anchor and an alias expansion bomb (ReferenceError), a
    // collection used as a key whose anchor it cannot write back out (Error). Only library code
    // runs in toJS(), so whatever it throws is a problem of the document.
    return { ok: false, problems: [{ line: 1, column: 1, path: '', message: toJsProblem(e) }] };
  }
  const result = policyDocumentSchema.safeParse(value);
  if (result.success) return { ok: true, document: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const path = issue.path.map(String);
      // Point at the deepest node that exists: the offending value, or its parent for a missing or unknown key.
      let node: unknown;
      for (let depth = path.length; depth >= 0 && !node; depth--) node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      const pos = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
      const unknownKeys = issue.code === 'unrecognized_keys' ? ` (unknown: ${issue.keys.join(', ')})` : '';
      return { line: pos.line, column: pos.col, path: path.join('.'), message: `${issue.message}${unknownKeys}` };
    }),
  };
}

/** Serializes a policy as YAML in the documented shape, with a header that says what it is. */
export function policyToYaml(document: PolicyDocument, header = 'pqgate policy'): string {
  return `# ${header}\n${stringify(document, { indent: 2, lineWidth: 0 })}`;
}

/** The policy a fresh installation starts with: no global PQ requirement, no floors. */
export function emptyPolicy(): PolicyDocument {
  return policyDocumentSchema.parse({});
}
