/**
 * Connections to upstream MCP servers: one SDK `Client` per upstream, shared by every downstream
 * session and kept alive between calls. A stdio server that exits is restarted with exponential
 * backoff; an HTTP server that fails is reconnected on the next call once its backoff has passed.
 * Each (re)connect lists the upstream's tools for discovery, and so does a timer.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ResultSchema, ToolListChangedNotificationSchema, type Implementation, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors';
import { JSON_RPC, upstreamFailure } from './json-rpc-errors';
import { createHttpForwarder, fetchWithOwnSignal, type HttpForwarder } from './upstream-http';
import type { ListedTool, UpstreamConfig } from './store';

/** Tunables of the pool; every one has a default. */
export interface UpstreamPoolOptions {
  /** Per-request timeout (progress does not extend it). Default 30 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Time allowed for connect + initialize. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** How often each connected upstream's tools are listed again. Default 300 000 ms; 0 disables. */
  readonly discoveryIntervalMs?: number;
  /** First restart / reconnect delay, doubled per consecutive failure. Default 250 ms. */
  readonly backoffInitialMs?: number;
  /** Upper bound of that delay. Default 30 000 ms. */
  readonly backoffMaxMs?: number;
}

/** What the pool needs from its host. */
export interface UpstreamPoolDeps extends UpstreamPoolOptions {
  readonly onToolList: (slug: string, tools: readonly ListedTool[]) => Promise<void>;
  /** Called after the upstream announced (and the pool re-listed) a changed tool list. */
  readonly onToolsChanged?: (slug: string) => void;
  readonly onError?: (slug: string, error: unknown) => void;
  readonly clock?: () => number;
}

/** Options of one forwarded request. */
export interface ForwardOptions {
  readonly signal?: AbortSignal;
  readonly onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/** A connected upstream. */
export interface UpstreamLink {
  readonly slug: string;
  readonly serverInfo: Implementation;
  readonly capabilities: ServerCapabilities;
  readonly instructions?: string;
  /** Forwards one request; failures are `JsonRpcFailure`s that name the server when it is at fault. */
  request(method: string, params: Record<string, unknown> | undefined, options?: ForwardOptions): Promise<Record<string, unknown>>;
}

/** Health of one upstream, for the console and tests. */
export interface UpstreamStatus {
  readonly slug: string;
  readonly state: 'connecting' | 'ready' | 'down';
  readonly restarts: number;
  readonly consecutiveFailures: number;
  readonly lastError?: string;
  /** Process id of a stdio upstream while it runs. */
  readonly pid?: number;
}

/** The pool. */
export interface UpstreamPool {
  /** The connected link for `config`, connecting (or reconnecting) when needed. */
  link(config: UpstreamConfig): Promise<UpstreamLink>;
  status(): UpstreamStatus[];
  /** Lists an upstream's tools now (the scheduled discovery, on demand). */
  discover(slug: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  config: UpstreamConfig;
  key: string;
  state: UpstreamStatus['state'];
  client?: Client;
  transport?: Transport;
  /** Message-level path for HTTP upstreams (see upstream-http.ts). */
  forwarder?: HttpForwarder & { close(): void };
  link?: UpstreamLink;
  connecting?: Promise<UpstreamLink>;
  restarts: number;
  failures: number;
  lastError?: string;
  retryAt: number;
  restartTimer?: NodeJS.Timeout;
  discoveryTimer?: NodeJS.Timeout;
}

const MAX_PAGES = 100;

/** Creates a pool. */
export function createUpstreamPool(deps: UpstreamPoolDeps): UpstreamPool {
  const timeoutMs = deps.requestTimeoutMs ?? 30_000;
  const connectTimeoutMs = deps.connectTimeoutMs ?? 10_000;
  const discoveryMs = deps.discoveryIntervalMs ?? 300_000;
  const backoffInitial = deps.backoffInitialMs ?? 250;
  const backoffMax = deps.backoffMaxMs ?? 30_000;
  const clock = deps.clock ?? Date.now;
  const entries = new Map<string, Entry>();
  let closed = false;

  const backoff = (failures: number) => Math.min(backoffMax, backoffInitial * 2 ** Math.max(0, failures - 1));

  function makeTransport(config: UpstreamConfig): Transport {
    if (config.transport === 'http') {
      // Credentials travel as headers on every request; they are never logged or echoed.
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: { ...config.headers } }, fetch: fetchWithOwnSignal });
    }
    // stderr is dropped: it may echo the credentials the server was started with.
    return new StdioClientTransport({ command: config.command, args: [...config.args], env: { ...config.env }, cwd: config.cwd, stderr: 'ignore' });
  }

  async function discover(entry: Entry): Promise<void> {
    const client = entry.client;
    if (!client || !entry.link?.capabilities.tools) return;
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      for (const t of res.tools) {
        tools.push({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations });
      }
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    await deps.onToolList(entry.config.slug, tools);
  }

  function safeDiscover(entry: Entry): Promise<void> {
    return discover(entry).catch((e: unknown) => deps.onError?.(entry.config.slug, e));
  }

  /** Drops the current client; a stdio server is restarted after its backoff. */
  function markDown(entry: Entry, client: Client, reason: string): void {
    if (entry.client !== client) return;
    entry.client = undefined;
    entry.transport = undefined;
    entry.forwarder?.close();
    entry.forwarder = undefined;
    entry.link = undefined;
    entry.state = 'down';
    entry.failures++;
    entry.lastError = reason;
    entry.retryAt = clock() + backoff(entry.failures);
    clearInterval(entry.discoveryTimer);
    void client.close().catch(() => undefined);
    if (entry.config.transport === 'stdio' && !closed) {
      clearTimeout(entry.restartTimer);
      entry.restartTimer = setTimeout(() => {
        entry.restarts++;
        void connect(entry).catch(() => undefined);
      }, backoff(entry.failures));
      entry.restartTimer.unref();
    }
  }

  function connect(entry: Entry): Promise<UpstreamLink> {
    if (entry.connecting) return entry.connecting;
    entry.state = 'connecting';
    const slug = entry.config.slug;
    const attempt = (async () => {
      const client = new Client({ name: 'pqgate-gateway', version: '0.1.0' }, { capabilities: {} });
      const transport = makeTransport(entry.config);
      client.onclose = () => markDown(entry, client, 'connection closed');
      client.onerror = () => undefined; // failures surface on the requests they break
      try {
        await client.connect(transport, { timeout: connectTimeoutMs });
      } catch (e) {
        void client.close().catch(() => undefined);
        entry.state = 'down';
        entry.failures++;
        entry.lastError = upstreamFailure(slug, e, connectTimeoutMs).message;
        entry.retryAt = clock() + backoff(entry.failures);
        if (entry.config.transport === 'stdio' && !closed) {
          entry.restartTimer = setTimeout(() => void connect(entry).catch(() => undefined), backoff(entry.failures));
          entry.restartTimer.unref();
        }
        throw upstreamFailure(slug, e, connectTimeoutMs);
      }
      if (closed) {
        await client.close();
        throw new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (gateway closing)`);
      }
      // Progress is routed here, synchronously, instead of by the SDK client: the SDK handles a
      // notification a microtask after a response read in the same chunk, so the last progress
      // before a result would find its handler already removed and be lost.
      const progress = new Map<string, NonNullable<ForwardOptions['onprogress']>>();
      const onmessage = transport.onmessage;
      transport.onmessage = (message, extra) => {
        const m = message as { method?: string; params?: { progressToken?: unknown; progress?: number; total?: number; message?: string } };
        const route = m.method === 'notifications/progress' ? progress.get(String(m.params?.progressToken)) : undefined;
        if (route) return route({ progress: m.params!.progress!, total: m.params!.total, message: m.params!.message });
        onmessage?.(message, extra);
      };
      let nextToken = 0;
      // Requests that expect only their response skip the SDK client (one write, one parse);
      // it keeps initialize, discovery and requests that carry progress.
      const forwarder =
        transport instanceof StreamableHTTPClientTransport && entry.config.transport === 'http'
          ? createHttpForwarder({
              slug,
              url: new URL(entry.config.url),
              headers: entry.config.headers,
              session: () => ({ id: transport.sessionId, protocolVersion: transport.protocolVersion }),
              timeoutMs,
              onBroken: (reason) => markDown(entry, client, reason),
            })
          : undefined;
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        await safeDiscover(entry);
        deps.onToolsChanged?.(slug);
      });
      const link: UpstreamLink = {
        slug,
        serverInfo: client.getServerVersion() ?? { name: slug, version: '0' },
        capabilities: client.getServerCapabilities() ?? {},
        instructions: client.getInstructions(),
        async request(method, params, options = {}) {
          if (forwarder && !options.onprogress) return forwarder(method, params, options.signal);
          const token = options.onprogress ? `pqgate-${++nextToken}` : undefined;
          if (token) {
            progress.set(token, options.onprogress!);
            params = { ...params, _meta: { ...(params?._meta as object | undefined), progressToken: token } };
          }
          try {
            return await client.request({ method, params }, ResultSchema, { signal: options.signal, timeout: timeoutMs });
          } catch (e) {
            const failure = upstreamFailure(slug, e, timeoutMs);
            // A transport failure means the connection is unusable: reconnect next time.
            if (failure.code === JSON_RPC.upstreamUnavailable) markDown(entry, client, failure.message);
            throw failure;
          } finally {
            if (token) progress.delete(token);
          }
        },
      };
      Object.assign(entry, { client, transport, forwarder, link, state: 'ready', failures: 0, lastError: undefined });
      await safeDiscover(entry);
      if (discoveryMs > 0) {
        entry.discoveryTimer = setInterval(() => void safeDiscover(entry), discoveryMs);
        entry.discoveryTimer.unref();
      }
      return link;
    })();
    entry.connecting = attempt;
    void attempt.finally(() => {
      if (entry.connecting === attempt) entry.connecting = undefined;
    }).catch(() => undefined);
    return attempt;
  }

  async function retire(entry: Entry): Promise<void> {
    clearTimeout(entry.restartTimer);
    clearInterval(entry.discoveryTimer);
    const client = entry.client;
    entry.client = undefined;
    entry.link = undefined;
    entry.forwarder?.close();
    entry.forwarder = undefined;
    if (client) {
      client.onclose = undefined;
      await client.close().catch(() => undefined);
    }
  }

  return {
    async link(config) {
      if (closed) throw new GatewayError('upstream_unavailable', `upstream ${config.slug} is unavailable (gateway closing)`);
      let entry = entries.get(config.slug);
      const key = JSON.stringify(config);
      if (entry && entry.key !== key) {
        // The registration changed (URL, command or rotated credentials): start over.
        await retire(entry);
        entry = undefined;
      }
      if (!entry) {
        entry = { config, key, state: 'connecting', restarts: 0, failures: 0, retryAt: 0 };
        entries.set(config.slug, entry);
      }
      if (entry.link) return entry.link;
      if (entry.connecting) return entry.connecting;
      if (clock() < entry.retryAt) {
        throw new GatewayError('upstream_unavailable', `upstream ${config.slug} is unavailable (${entry.lastError ?? 'down'}; next attempt in ${entry.retryAt - clock()} ms)`);
      }
      return connect(entry);
    },
    status() {
      return [...entries.values()].map((e) => ({
        slug: e.config.slug,
        state: e.state,
        restarts: e.restarts,
        consecutiveFailures: e.failures,
        lastError: e.lastError,
        pid: e.transport instanceof StdioClientTransport ? (e.transport.pid ?? undefined) : undefined,
      }));
    },
    async discover(slug) {
      const entry = entries.get(slug);
      if (entry) await discover(entry);
    },
    async close() {
      closed = true;
      await Promise.all([...entries.values()].map(retire));
      entries.clear();
    },
  };
}
