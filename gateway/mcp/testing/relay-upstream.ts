/**
 * Test upstream for the relay: a real Streamable HTTP server (the demo upstreams' `serveHttp`,
 * an SDK `McpServer` per session) whose tools exercise what a faithful relay must carry: state
 * kept per session (`remember` / `recall`), server requests inside a call (`ask_llm` sampling,
 * `ask_user` elicitation, `list_roots`), log lines, and progress stamped with when it was sent.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageResultSchema, ElicitResultSchema, ListRootsResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { serveHttp } from '../../../scripts/demo-upstreams/serve-http';

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A running relay upstream. */
export interface RelayUpstream {
  readonly url: string;
  /** Sessions open upstream right now (initialized and not yet closed). */
  open(): number;
  /** When `progress_then_wait` sent each progress notification (ms since the epoch). */
  readonly progressSentAt: number[];
  close(): Promise<void>;
}

export async function startRelayUpstream(): Promise<RelayUpstream> {
  let open = 0;
  const progressSentAt: number[] = [];
  const create = () => {
    const mcp = new McpServer({ name: 'relay-upstream', version: '1.0.0' }, { capabilities: { logging: {} } });
    let remembered = '';
    open++;
    mcp.server.onclose = () => void open--;
    mcp.registerTool('remember', { description: 'Keeps a value in this session', inputSchema: { value: z.string() } }, ({ value }) => ((remembered = value), text('kept')));
    mcp.registerTool('recall', { description: 'The value this session kept', inputSchema: {} }, () => text(`recalled:${remembered}`));
    mcp.registerTool('ask_llm', { description: 'Samples the client', inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
      const r = await extra.sendRequest({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 10 } }, CreateMessageResultSchema, { timeout: 5000 });
      return text(`llm:${r.content.type === 'text' ? r.content.text : r.content.type}`);
    });
    mcp.registerTool('ask_user', { description: 'Elicits a name', inputSchema: {} }, async (_a, extra) => {
      const r = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } }, ElicitResultSchema, { timeout: 5000 });
      return text(`user:${r.action}:${JSON.stringify(r.content ?? {})}`);
    });
    mcp.registerTool('list_roots', { description: 'Asks the client for its roots', inputSchema: {} }, async (_a, extra) => {
      const r = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema, { timeout: 5000 });
      return text(`roots:${r.roots.map((x) => x.uri).join(',')}`);
    });
    mcp.registerTool('log_twice', { description: 'Sends two log lines, then answers', inputSchema: {} }, async (_a, extra) => {
      for (const data of ['one', 'two']) await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data } });
      return text('logged');
    });
    mcp.registerTool('progress_then_wait', { description: 'Two progress notifications, then 400 ms, then the answer', inputSchema: {} }, async (_a, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (const progress of [1, 2]) {
        progressSentAt.push(Date.now());
        if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 2 } });
        await sleep(20);
      }
      await sleep(400);
      return text('done');
    });
    return mcp;
  };
  const running = await serveHttp(create, { port: 0 });
  return { url: running.url, open: () => open, progressSentAt, close: () => running.close() };
}
