/**
 * The fixture MCP server of the conformance suite (`@modelcontextprotocol/conformance` 0.1.16):
 * every tool, resource, template and prompt that the descriptions of the suite's active server
 * scenarios ask for, each answering exactly what its description says (read them with
 * `conformance list --server` and the scenario classes in its dist/index.js). The suite's own
 * reference "everything-server" is not published, so this one is ours, written on the SDK's
 * `McpServer` and served by the demo upstreams' Streamable HTTP server (`serveHttp`: a session
 * per initialize, SSE answers, and a 403 for any Host that is not a loopback name).
 */
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageResultSchema, ElicitResultSchema, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
  type CallToolResult, type ElicitRequestFormParams, type LoggingLevel, type ServerNotification, type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { serveHttp, type RunningUpstream } from '../../scripts/demo-upstreams/serve-http';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A 1×1 red PNG and a minimal WAV, as the scenario descriptions suggest. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

/**
 * How long a server→client request (sampling, elicitation) may wait for its answer. Short, so a
 * path that loses the request fails its scenario in seconds instead of the SDK's 60 s.
 */
const CLIENT_REQUEST_TIMEOUT_MS = 5_000;

// notifications/message severities in order (RFC 5424, as MCP's logging utility defines them).
const LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t: string, isError = false): CallToolResult => ({ content: [{ type: 'text', text: t }], ...(isError ? { isError } : {}) });

/** The SEP-1034 schema: a default for every primitive type. */
const DEFAULTS_SCHEMA: ElicitRequestFormParams['requestedSchema'] = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  },
  required: [],
};

/** The SEP-1330 schema: the five enum shapes. */
const ENUMS_SCHEMA: ElicitRequestFormParams['requestedSchema'] = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: { type: 'string', oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
    legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
    untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: { type: 'array', items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
  },
};

/** One session's server (serveHttp makes one per initialize, so closure state is per session). */
export function createConformanceServer(): McpServer {
  const mcp = new McpServer(
    { name: 'pqgate-conformance-fixture', version: '1.0.0' },
    { capabilities: { logging: {}, completions: {}, resources: { subscribe: true } } },
  );

  // logging/setLevel: the SDK keeps the level by transport session id and only filters messages
  // it sends on its own; the tool's messages travel on the request's stream, so filter here.
  let minLevel: LoggingLevel = 'debug';
  mcp.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    minLevel = request.params.level;
    return {};
  });
  const log = (extra: Extra, level: LoggingLevel, data: string) =>
    LEVELS.indexOf(level) < LEVELS.indexOf(minLevel) ? Promise.resolve() : extra.sendNotification({ method: 'notifications/message', params: { level, logger: 'conformance-fixture', data } });

  // Server→client requests go on the stream of the tool call that asked (relatedRequestId).
  const elicit = async (extra: Extra, message: string, requestedSchema: ElicitRequestFormParams['requestedSchema']) => {
    if (!mcp.server.getClientCapabilities()?.elicitation) return text('Elicitation needs a client that declares the elicitation capability', true);
    const r = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message, requestedSchema } }, ElicitResultSchema, { timeout: CLIENT_REQUEST_TIMEOUT_MS });
    return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
  };

  const noArgs = (name: string, description: string, result: CallToolResult) => mcp.registerTool(name, { description }, () => result);
  noArgs('test_simple_text', 'Returns one text block', text('This is a simple text response for testing.'));
  noArgs('test_image_content', 'Returns one image block (1×1 PNG)', { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] });
  noArgs('test_audio_content', 'Returns one audio block (minimal WAV)', { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] });
  noArgs('test_embedded_resource', 'Returns one embedded text resource', {
    content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
  });
  noArgs('test_multiple_content_types', 'Returns text, image and embedded resource blocks', {
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
    ],
  });
  noArgs('test_error_handling', 'Always fails with isError', text('This tool intentionally returns an error for testing', true));

  mcp.registerTool('test_tool_with_logging', { description: 'Sends three info log messages 50 ms apart while it runs', inputSchema: {} }, async (_args, extra) => {
    await log(extra, 'info', 'Tool execution started');
    await sleep(50);
    await log(extra, 'info', 'Tool processing data');
    await sleep(50);
    await log(extra, 'info', 'Tool execution completed');
    return text('Tool with logging executed successfully');
  });

  mcp.registerTool('test_tool_with_progress', { description: 'Reports progress 0, 50, 100 of 100, 50 ms apart', inputSchema: {} }, async (_args, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 100 } });
      if (progress < 100) await sleep(50);
    }
    return text(`Progress reported for token ${JSON.stringify(progressToken ?? null)}`);
  });

  mcp.registerTool('test_sampling', { description: 'Asks the client for an LLM completion of `prompt`', inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') } }, async ({ prompt }, extra) => {
    if (!mcp.server.getClientCapabilities()?.sampling) return text('Sampling needs a client that declares the sampling capability', true);
    const r = await extra.sendRequest(
      { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 } },
      CreateMessageResultSchema,
      { timeout: CLIENT_REQUEST_TIMEOUT_MS },
    );
    return text(`LLM response: ${r.content.type === 'text' ? r.content.text : `[${r.content.type}]`}`);
  });

  mcp.registerTool('test_elicitation', { description: 'Asks the user for a username and email', inputSchema: { message: z.string().describe('The message to show the user') } }, ({ message }, extra) =>
    elicit(extra, message, {
      type: 'object',
      properties: { username: { type: 'string', description: "User's response" }, email: { type: 'string', description: "User's email address" } },
      required: ['username', 'email'],
    }),
  );
  mcp.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicits a form whose fields all have defaults (SEP-1034)', inputSchema: {} }, (_args, extra) =>
    elicit(extra, 'Please review and update the form fields with defaults', DEFAULTS_SCHEMA),
  );
  mcp.registerTool('test_elicitation_sep1330_enums', { description: 'Elicits a form with every enum shape (SEP-1330)', inputSchema: {} }, (_args, extra) =>
    elicit(extra, 'Please pick from each list', ENUMS_SCHEMA),
  );

  mcp.registerResource('static-text', 'test://static-text', { description: 'A static text resource', mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
  }));
  mcp.registerResource('static-binary', 'test://static-binary', { description: 'A static binary resource (PNG)', mimeType: 'image/png' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG }],
  }));
  mcp.registerResource('watched-resource', 'test://watched-resource', { description: 'A resource clients may subscribe to', mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }],
  }));
  mcp.registerResource('template-data', new ResourceTemplate('test://template/{id}/data', { list: undefined }), { description: 'Data for one id', mimeType: 'application/json' }, (uri, { id }) => ({
    contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }],
  }));

  // McpServer does not answer subscriptions itself; the session keeps the set of subscribed URIs.
  const subscriptions = new Set<string>();
  mcp.server.setRequestHandler(SubscribeRequestSchema, (request) => (subscriptions.add(request.params.uri), {}));
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, (request) => (subscriptions.delete(request.params.uri), {}));

  mcp.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }));
  mcp.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two arguments (arg1 completes)',
      argsSchema: {
        arg1: completable(z.string().describe('First test argument'), (value) => ['paris', 'park', 'party'].filter((v) => v.startsWith(value))),
        arg2: z.string().describe('Second test argument'),
      },
    },
    ({ arg1, arg2 }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }] }),
  );
  mcp.registerPrompt('test_prompt_with_embedded_resource', { description: 'A prompt that embeds a resource', argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') } }, ({ resourceUri }) => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }));
  mcp.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));
  return mcp;
}

/** Starts the fixture on 127.0.0.1, port 0; `url` is its MCP endpoint. */
export function startConformanceServer(): Promise<RunningUpstream> {
  return serveHttp(createConformanceServer, { port: 0 });
}
