/**
 * Bounds on downstream JSON-RPC messages beyond their byte size (docs/security.md, "Bounded
 * input"). Before parsing: nesting depth and the length of any one string, found by one pass over
 * the bytes (V8's JSON.parse takes any depth, but JSON.stringify, the SDK and the traffic
 * recorder then recurse and overflow the stack). After parsing: every string and member name is
 * well-formed UTF-16 (a lone surrogate cannot be stored as UTF-8 or in PostgreSQL), and the
 * identifiers the gateway decides and records on (method, tool and prompt name, resource URI)
 * carry no U+0000 and have a sane length. Arguments may carry U+0000: they go to the upstream
 * as sent.
 */

/** The limits; every one is checked before the message reaches a session. */
export const JSON_LIMITS = Object.freeze({
  /** Deepest nesting of arrays and objects. */
  depth: 64,
  /** Longest single string or member name, in bytes as sent (escapes included). */
  stringBytes: 1024 * 1024,
  /** Longest method, tool name or prompt name, in UTF-16 code units (MCP names are at most 128). */
  name: 256,
  /** Longest resource URI, in UTF-16 code units. */
  uri: 8192,
});

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Why the JSON text `bytes` nests deeper or has a longer string than the limits allow, or
 * undefined. Structural only: whether it is JSON at all is JSON.parse's to say, afterwards.
 */
export function jsonTextProblem(bytes: Uint8Array, limits: { depth: number; stringBytes: number } = JSON_LIMITS): string | undefined {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) {
      const start = i;
      // UTF-8 continuation bytes are all >= 0x80, so a quote or backslash byte is always one.
      for (i++; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
      if (i - start - 1 > limits.stringBytes) return `a string of more than ${limits.stringBytes} bytes (the limit for one string); send large content as a resource or in several calls`;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > limits.depth) return `arrays and objects nested more than ${limits.depth} deep (the limit); flatten the arguments`;
    } else if ((b === CLOSE_ARRAY || b === CLOSE_OBJECT) && depth > 0) depth--;
  }
  return undefined;
}

const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** A field path for messages: `params.arguments.note`, `params.items[2]`, `params["a b"]`. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$-]{0,63}$/.test(key) ? `${path}${path ? '.' : ''}${key}` : `${path}[${JSON.stringify(key.slice(0, 64))}]`;
}

const LONE_SURROGATE = 'contains a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which cannot be stored or forwarded as UTF-8; send well-formed Unicode text, and base64 for binary data';

/** The first string or member name under `value` that is not well-formed UTF-16, as a reason. */
function surrogateProblem(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return wellFormed(value) ? undefined : `${path} ${LONE_SURROGATE}`;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const why = surrogateProblem(value[i], child(path, i));
      if (why) return why;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!wellFormed(k)) return `a member name in ${path || 'the message'} ${LONE_SURROGATE}`;
    const why = surrogateProblem(v, child(path, k));
    if (why) return why;
  }
  return undefined;
}

/** Why an identifier the gateway decides on is unusable, or undefined. */
function identifierProblem(value: unknown, path: string, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes('\u0000')) return `${path} contains U+0000 (a NUL character), which no name or URI may hold; remove it`;
  if (value.length > max) return `${path} is ${value.length} characters long, over the limit of ${max}; use a shorter name`;
  return undefined;
}

/**
 * Why one parsed JSON-RPC message (already shaped by `invalidMessage`, its text within
 * `jsonTextProblem`'s limits, so its depth is bounded) must be refused at the boundary, naming
 * the field; undefined when it may pass.
 */
export function unsafeStringProblem(message: Record<string, unknown>): string | undefined {
  const params = typeof message.params === 'object' && message.params !== null ? (message.params as Record<string, unknown>) : undefined;
  const ref = typeof params?.ref === 'object' && params.ref !== null ? (params.ref as Record<string, unknown>) : undefined;
  return (
    surrogateProblem(message, '') ??
    identifierProblem(message.method, 'method', JSON_LIMITS.name) ??
    identifierProblem(params?.name, 'params.name', JSON_LIMITS.name) ??
    identifierProblem(params?.uri, 'params.uri', JSON_LIMITS.uri) ??
    identifierProblem(ref?.name, 'params.ref.name', JSON_LIMITS.name) ??
    identifierProblem(ref?.uri, 'params.ref.uri', JSON_LIMITS.uri)
  );
}
