/**
 * Server-sent events (WHATWG HTML §9.2) as MCP's Streamable HTTP uses them: each event's `data:`
 * lines carry one JSON-RPC message. The reader is incremental, so every message is handed on as
 * soon as its event is complete, never at the end of the stream.
 */

/** Largest single event buffered; a larger one fails the stream (the upstream is misbehaving). */
export const MAX_EVENT_CHARS = 32 * 1024 * 1024;

/** Feeds text chunks in, calls `onMessage` per complete event that carries a JSON object. */
export class SseReader {
  private buffered = '';

  constructor(private readonly onMessage: (message: Record<string, unknown>) => void) {}

  /** Takes one chunk; false when the pending event grew past {@link MAX_EVENT_CHARS}. */
  push(chunk: string): boolean {
    this.buffered += chunk;
    for (let end = eventEnd(this.buffered); end.at >= 0; end = eventEnd(this.buffered)) {
      const message = dataOf(this.buffered.slice(0, end.at));
      this.buffered = this.buffered.slice(end.at + end.length);
      if (message) this.onMessage(message);
    }
    return this.buffered.length <= MAX_EVENT_CHARS;
  }
}

/** One message as an SSE event. */
export function sseEvent(message: unknown): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

function eventEnd(s: string): { at: number; length: number } {
  const lf = s.indexOf('\n\n');
  const crlf = s.indexOf('\r\n\r\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}

function dataOf(event: string): Record<string, unknown> | undefined {
  let data = '';
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line.startsWith('data: ') ? 6 : 5);
  }
  return data ? parseMessage(data) : undefined;
}

/** A JSON object, or undefined for anything else. */
export function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    const m = JSON.parse(text) as unknown;
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
