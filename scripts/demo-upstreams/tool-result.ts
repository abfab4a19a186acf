import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The closed set of reasons a demo tool refuses a call. */
export type DemoErrorCode = 'not_found' | 'invalid_input' | 'conflict';

/**
 * A refusal the caller can act on. Data functions throw it; {@link toolResult}
 * turns it into an `isError` tool result whose text says what to do next.
 */
export class DemoUpstreamError extends Error {
  override readonly name = 'DemoUpstreamError';

  constructor(
    readonly code: DemoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs a data function and wraps its value as text content: strings as they
 * are, anything else as pretty JSON.
 * A {@link DemoUpstreamError} becomes an `isError: true` result; anything else
 * is a bug and propagates, so the SDK reports it rather than us hiding it.
 */
export async function toolResult(run: () => unknown): Promise<CallToolResult> {
  try {
    const value = await run();
    return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] };
  } catch (error) {
    if (!(error instanceof DemoUpstreamError)) throw error;
    return { isError: true, content: [{ type: 'text', text: `${error.code}: ${error.message}` }] };
  }
}

/** Annotations for tools that only read the in-memory data set. */
export const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/** Annotations for tools that change the in-memory data set. */
export const MUTATING = { readOnlyHint: false, destructiveHint: false, openWorldHint: false } as const;
