/** The channel's MCP envelope takes the same JSON bounds as a Streamable HTTP body. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors';
import { MCP_ROUTES, parseRequestEnvelope } from './channel-envelope';

const envelope = (message: string) => new TextEncoder().encode(`{"server":"inventory","session":"abcdefghijklmnop","message":${message}}`);
const refusal = (bytes: Uint8Array) => {
  try {
    parseRequestEnvelope(bytes, MCP_ROUTES.message);
    return undefined;
  } catch (e) {
    return e;
  }
};

describe('parseRequestEnvelope', () => {
  it('takes a well-formed tools/call, U+0000 in an argument included', () => {
    expect(refusal(envelope('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"q":"a\\u0000b"}}}'))).toBeUndefined();
  });

  it.each([
    ['a depth bomb', `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"q":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`, /nested more than 64 deep/],
    ['a lone surrogate in the tool name', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t\\ud800"}}', /params\.name contains a lone UTF-16 surrogate/],
    ['U+0000 in the method', '{"jsonrpc":"2.0","id":1,"method":"tools/call\\u0000"}', /method contains U\+0000/],
  ])('refuses %s as malformed_message naming the field', (_what, message, why) => {
    const e = refusal(envelope(message));
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).code).toBe('malformed_message');
    expect((e as GatewayError).message).toMatch(why);
  });
});
