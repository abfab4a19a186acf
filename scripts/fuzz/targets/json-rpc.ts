/**
 * The JSON-RPC body reader and parser: the bounded reader (gateway/http/read-body.ts) over
 * bodies split into random chunks with true, lying or absent lengths; the Streamable HTTP body
 * parser (json-rpc-body.ts); the channel's MCP envelopes both ways (channel-envelope.ts). The
 * parsers' own answers are a failure result or a GatewayError; the reader's are the body
 * itself (exactly the bytes sent, within the limit) or its own refusal, for bodies over it.
 */
import { GatewayError } from '../../../gateway/errors';
import { readBody } from '../../../gateway/http/read-body';
import { parseReplyEnvelope, parseRequestEnvelope } from '../../../gateway/mcp/channel-envelope';
import { parseJsonRpcBody } from '../../../gateway/mcp/json-rpc-body';
import { JsonRpcFailure } from '../../../gateway/mcp/json-rpc-errors';
import { HOSTILE_TEXT, mutateBytes, mutateJson, mutateText, type Rng } from '../mutate';
import { InvariantBroken, outcomeOf, type FuzzTarget } from '../target';

const MESSAGES: readonly Record<string, unknown>[] = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: { sampling: {} }, clientInfo: { name: 'fuzz', version: '1' } } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 'a-7', method: 'tools/call', params: { name: 'read_chart', arguments: { mrn: 'MRN-1001', flags: [1, 2.5, true, null], nested: { a: { b: ['c'] } } }, _meta: { progressToken: 3 } } },
  { jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: 'clinic://patients/MRN-1001' } },
  { jsonrpc: '2.0', id: 4, method: 'prompts/get', params: { name: 'summarize_chart', arguments: { mrn: 'MRN-1005' } } },
  { jsonrpc: '2.0', id: 5, method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 'b' } } },
  { jsonrpc: '2.0', id: 6, result: { content: [{ type: 'text', text: 'ok ✓ \ud83d\ude00' }] } },
  { jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'no' } },
  { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'a-7', reason: 'user' } },
];
const enc = new TextEncoder();
const BODIES = [...MESSAGES.map((m) => JSON.stringify(m)), JSON.stringify(MESSAGES.slice(0, 4))];
const envelope = (message: unknown) => ({ server: 'clinic-records', session: 'abcdefghijklmnop0123', message });

/** A generated body: deep nests, long strings, escapes and hostile tokens in a message frame. */
function generated(rng: Rng): string {
  const depth = rng.pick([63, 64, 65, 200, 5000]);
  const open = rng.pick(['[', '{"a":']);
  const nest = open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  // Strings at the 1 MiB string limit are costly to build: one generated body in twenty.
  const long = rng.chance(0.05) ? `"${'x'.repeat(rng.pick([1 << 20, (1 << 20) + 1]))}"` : `"${'x'.repeat(rng.below(300))}"`;
  const value = rng.pick([nest, long, `"${rng.pick(HOSTILE_TEXT)}"`, rng.pick(HOSTILE_TEXT)]);
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"v":${value}}}}`;
}

function body(rng: Rng): Uint8Array {
  switch (rng.below(4)) {
    case 0:
      return mutateBytes(enc.encode(rng.pick(BODIES)), rng);
    case 1:
      return enc.encode(mutateText(rng.pick(BODIES), rng));
    case 2:
      return enc.encode(JSON.stringify(mutateJson(rng.chance(0.8) ? rng.pick(MESSAGES) : MESSAGES.slice(0, 3), rng)) ?? 'null');
    default:
      return enc.encode(generated(rng));
  }
}

/** The reader's input: a limit, a declared length (true, lying or absent), chunk sizes; then the body. */
function readerInput(rng: Rng): Uint8Array {
  const b = rng.chance(0.5) ? body(rng) : rng.bytes(rng.below(2000));
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  view.setUint16(0, rng.below(2 * b.length + 2));
  view.setUint8(2, rng.below(3));
  view.setUint16(3, rng.pick([1, 7, 64, 512, 4096, 65535]));
  view.setUint16(5, rng.below(0x10000));
  view.setUint8(7, rng.below(256));
  const out = new Uint8Array(header.length + b.length);
  out.set(header);
  out.set(b, header.length);
  return out;
}

/** Runs the bounded reader over `input`, checking what it returned against what was sent. */
async function runReader(input: Uint8Array): Promise<string> {
  if (input.length < 8) return 'short';
  const view = new DataView(input.buffer, input.byteOffset, 8);
  const limit = view.getUint16(0);
  const declaredMode = view.getUint8(2) % 3;
  const sent = input.subarray(8);
  // At most 64 chunks: each costs a promise round, and 64 split any body in enough ways.
  const chunk = Math.max(1, view.getUint16(3), Math.ceil(sent.length / 64));
  const declared = declaredMode === 0 ? undefined : declaredMode === 1 ? sent.length : view.getUint16(5);
  let at = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (at >= sent.length) return c.close();
        pulled += Math.min(chunk, sent.length - at);
        c.enqueue(sent.slice(at, (at += chunk)));
      },
    },
    { highWaterMark: 0 },
  );
  const headers: Record<string, string> = declared === undefined ? {} : { 'content-length': String(declared) };
  try {
    const got = await readBody(new Response(stream, { headers }), limit, (n) => new GatewayError('body_too_large', String(n)));
    if (got.length !== sent.length || got.some((x, i) => x !== sent[i])) throw new InvariantBroken('the reader returned other bytes than were sent');
    if (got.length > limit) throw new InvariantBroken('the reader returned more than its limit');
    return 'ok';
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    const claimed = declared !== undefined && declared > limit;
    if (!claimed && sent.length <= limit) throw new InvariantBroken('the reader refused a body within its limit');
    if (pulled > limit + chunk) throw new InvariantBroken(`the reader pulled ${pulled} bytes for a limit of ${limit}`);
    return claimed ? 'refused: declared' : 'refused: sent';
  }
}

const VARIANTS = ['body', 'envelope', 'reply', 'reader'] as const;

export const jsonRpcTarget: FuzzTarget = {
  name: 'JSON-RPC body',
  count: 400_000,
  sliceCount: 5_000,
  input(rng) {
    const variant = rng.pick(VARIANTS);
    if (variant === 'reader') return { variant, bytes: readerInput(rng) };
    if (variant === 'body') return { variant, bytes: body(rng) };
    const value = variant === 'envelope' ? envelope(rng.pick(MESSAGES)) : { messages: MESSAGES.slice(rng.below(3), 3 + rng.below(6)).map((message, i) => ({ seq: i + 1, message })) };
    const bytes = rng.chance(0.5) ? enc.encode(JSON.stringify(mutateJson(value, rng)) ?? '') : mutateBytes(enc.encode(JSON.stringify(value)), rng);
    return { variant, bytes };
  },
  run({ variant, bytes }) {
    if (variant === 'reader') return runReader(bytes);
    if (variant === 'body') {
      const result = parseJsonRpcBody(bytes);
      if (result.ok) return 'ok';
      const e = result.error;
      return e instanceof JsonRpcFailure ? outcomeOf(String(e.code), e.message) : outcomeOf(e.code, e.message);
    }
    try {
      if (variant === 'envelope') parseRequestEnvelope(bytes, 'mcp');
      else parseReplyEnvelope(bytes);
      return 'ok';
    } catch (e) {
      if (e instanceof GatewayError) return outcomeOf(e.code, e.message);
      throw e;
    }
  },
};
