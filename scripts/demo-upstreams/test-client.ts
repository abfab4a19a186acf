import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

// `callTool` resolves to a union that also admits the legacy `toolResult` shape,
// so the helpers take any result object and check `content` themselves.
type ToolCallOutcome = Record<string, unknown>;

/** Connects an SDK client over `transport` (a real initialize handshake). */
export async function connectClient(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'pqgate-demo-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

/** Connects an SDK client to a Streamable HTTP endpoint, returning both so a test can end the session. */
export async function connectHttp(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  return { client: await connectClient(transport), transport };
}

/** The text of a tool result's first content block. */
export function textOf(result: ToolCallOutcome): string {
  const [first] = (result.content ?? []) as Array<{ type: string; text?: string }>;
  if (first?.type !== 'text' || first.text === undefined) throw new Error(`expected text content, got ${JSON.stringify(result.content)}`);
  return first.text;
}

/** A successful tool result's JSON payload; fails loudly on an `isError` result. */
export function jsonOf<T>(result: ToolCallOutcome): T {
  if (result.isError) throw new Error(`tool returned an error: ${textOf(result)}`);
  return JSON.parse(textOf(result)) as T;
}

/** The JSON payload of a `resources/read` result's first (text) entry. */
export function resourceJsonOf<T>(result: { contents: Array<{ text: string } | { blob: string }> }): T {
  const [first] = result.contents;
  if (!first || !('text' in first)) throw new Error('expected a text resource');
  return JSON.parse(first.text) as T;
}
