/**
 * The upstreams of one gateway. Every client session gets an upstream session of its own: a
 * Streamable HTTP session (initialized with the client's own `initialize`) or, for stdio, a
 * process of its own, capped per server and per identity. A server marked `shared` serves all
 * its clients on one session instead. Beside the clients', the pool keeps the gateway's own
 * session per upstream for discovery (tools/list on registration and on a schedule).
 *
 * An upstream is marked down only when connecting to it fails (refused connection, a process
 * that cannot start, an initialize that fails); then new sessions of that server are refused
 * until its backoff has passed. One failed request never marks it down.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { GatewayError } from '../errors';
import { toJsonRpcFailure } from './json-rpc-errors';
import { createSharedUpstream, type SharedUpstream } from './shared-upstream';
import type { Caller, ListedTool, UpstreamConfig } from './store';
import type { UpstreamConnection, UpstreamEvents } from './upstream-connection';
import { createHttpUpstream } from './upstream-http';
import { createStdioUpstream } from './upstream-stdio';

/** Tunables of the pool; every one has a default. */
export interface UpstreamPoolOptions {
  /** Per-request timeout (progress does not extend it). Default 30 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Time allowed for the gateway's own connect + initialize. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** How often each connected upstream's tools are listed again. Default 300 000 ms; 0 disables. */
  readonly discoveryIntervalMs?: number;
  /** First reconnect delay, doubled per consecutive failure. Default 250 ms. */
  readonly backoffInitialMs?: number;
  /** Upper bound of that delay. Default 30 000 ms. */
  readonly backoffMaxMs?: number;
  /** Processes one stdio server runs for client sessions at most. Default 16. */
  readonly stdioSessionsPerServer?: number;
  /** Processes of one stdio server one identity holds at most. Default 4. */
  readonly stdioSessionsPerIdentity?: number;
}

/** What the pool needs from its host. */
export interface UpstreamPoolDeps extends UpstreamPoolOptions {
  readonly onToolList: (slug: string, tools: readonly ListedTool[]) => Promise<void>;
  readonly onError?: (slug: string, error: unknown) => void;
  readonly clock?: () => number;
}

/** Health of one upstream, for the console and tests. */
export interface UpstreamStatus {
  readonly slug: string;
  readonly state: 'connecting' | 'ready' | 'down';
  /** Restarts of the gateway's own stdio process after it exited. */
  readonly restarts: number;
  readonly consecutiveFailures: number;
  readonly lastError?: string;
  /** Process id of the gateway's own stdio process (discovery, or the shared one) while it runs. */
  readonly pid?: number;
  /** Client sessions open on this upstream. */
  readonly sessions: number;
}

/** The pool. */
export interface UpstreamPool {
  /**
   * An upstream session for one client session of `caller`; its first message must be the
   * client's `initialize`.
   * @throws GatewayError `upstream_unavailable` (down, in backoff), `rate_limited` (a stdio cap).
   */
  open(config: UpstreamConfig, caller: Caller, events: UpstreamEvents): Promise<UpstreamConnection>;
  /** Connects the gateway's own session if needed and lists the tools again. */
  refresh(config: UpstreamConfig): Promise<void>;
  status(): UpstreamStatus[];
  close(): Promise<void>;
}

interface Entry {
  config: UpstreamConfig;
  key: string;
  state: UpstreamStatus['state'];
  restarts: number;
  failures: number;
  lastError?: string;
  retryAt: number;
  gateway?: Promise<SharedUpstream>;
  /** The gateway's session once initialized. */
  live?: SharedUpstream;
  listed: boolean;
  sessions: number;
  perIdentity: Map<string, number>;
  agent?: HttpAgent;
  restartTimer?: NodeJS.Timeout;
  discoveryTimer?: NodeJS.Timeout;
  retired: boolean;
}

const MAX_PAGES = 100;
/** A session refused at a stdio cap is told to retry after this (or after closing one). */
const CAP_RETRY_SECONDS = 30;

/** Creates a pool. */
export function createUpstreamPool(deps: UpstreamPoolDeps): UpstreamPool {
  const timeoutMs = deps.requestTimeoutMs ?? 30_000;
  const connectTimeoutMs = deps.connectTimeoutMs ?? 10_000;
  const discoveryMs = deps.discoveryIntervalMs ?? 300_000;
  const backoffInitial = deps.backoffInitialMs ?? 250;
  const backoffMax = deps.backoffMaxMs ?? 30_000;
  const perServer = deps.stdioSessionsPerServer ?? 16;
  const perIdentity = deps.stdioSessionsPerIdentity ?? 4;
  const clock = deps.clock ?? Date.now;
  const entries = new Map<string, Entry>();
  const sessions = new Set<UpstreamConnection>();
  let closed = false;

  const backoff = (failures: number) => Math.min(backoffMax, backoffInitial * 2 ** Math.max(0, failures - 1));

  function markDown(entry: Entry, reason: string): void {
    if (entry.retired) return;
    entry.state = 'down';
    entry.failures++;
    entry.lastError = reason;
    entry.retryAt = clock() + backoff(entry.failures);
  }

  function markUp(entry: Entry): void {
    entry.state = 'ready';
    entry.failures = 0;
    entry.lastError = undefined;
  }

  /** The transport-level session; `events.message` marks the upstream up on its first answer. */
  function connect(entry: Entry, events: UpstreamEvents): UpstreamConnection {
    const { config } = entry;
    const watched: UpstreamEvents = {
      message(m, related) {
        if (entry.state !== 'ready' && !('method' in m)) markUp(entry);
        events.message(m, related);
      },
      failed: events.failed,
      closed: events.closed,
    };
    const onConnectFailed = (why: string) => markDown(entry, `upstream ${config.slug} is unavailable (${why})`);
    if (config.transport === 'http') {
      const url = new URL(config.url);
      entry.agent ??= url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
      return createHttpUpstream({ slug: config.slug, url, headers: config.headers, agent: entry.agent, events: watched, onConnectFailed });
    }
    return createStdioUpstream({ slug: config.slug, command: config.command, args: config.args, env: config.env, cwd: config.cwd, events: watched, onConnectFailed });
  }

  async function listTools(entry: Entry, gw: SharedUpstream): Promise<void> {
    const init = await gw.ready;
    if (!init.capabilities.tools) return;
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = (await gw.request('tools/list', cursor ? { cursor } : undefined)) as { tools?: ListedTool[]; nextCursor?: string };
      for (const t of res.tools ?? []) tools.push({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations });
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    await deps.onToolList(entry.config.slug, tools);
    entry.listed = true;
  }

  const safeList = (entry: Entry, gw: SharedUpstream) => listTools(entry, gw).catch((e: unknown) => deps.onError?.(entry.config.slug, e));

  /** The gateway's own session with the upstream, (re)connected on demand. */
  function gatewaySession(entry: Entry): Promise<SharedUpstream> {
    if (entry.gateway) return entry.gateway;
    const slug = entry.config.slug;
    const attempt = (async () => {
      if (entry.state !== 'ready') entry.state = 'connecting';
      const gw = createSharedUpstream({
        slug,
        open: (events) => connect(entry, events),
        timeoutMs,
        connectTimeoutMs,
        capabilities: { roots: {}, ...(entry.config.allowSampling === false ? {} : { sampling: {} }), ...(entry.config.allowElicitation === false ? {} : { elicitation: {} }) },
        onNotification: (m) => {
          if (m.method === 'notifications/tools/list_changed') void safeList(entry, gw);
        },
        onClosed: (reason) => {
          if (entry.gateway === attempt) entry.gateway = undefined;
          if (entry.live === gw) entry.live = undefined;
          clearInterval(entry.discoveryTimer);
          if (entry.retired || closed || entry.config.transport !== 'stdio') return;
          // The gateway's own process exited: restart it after the backoff.
          markDown(entry, reason);
          clearTimeout(entry.restartTimer);
          entry.restartTimer = setTimeout(() => {
            entry.restarts++;
            void gatewaySession(entry).then((g) => safeList(entry, g), () => undefined);
          }, backoff(entry.failures));
          entry.restartTimer.unref();
        },
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([gw.ready, new Promise((_, reject) => (timer = setTimeout(() => reject(new GatewayError('upstream_timeout', `upstream ${slug} did not initialize within ${connectTimeoutMs} ms`)), connectTimeoutMs)))]);
      } catch (e) {
        void gw.close();
        markDown(entry, toJsonRpcFailure(e).message);
        throw e;
      } finally {
        clearTimeout(timer);
      }
      if (closed || entry.retired) {
        await gw.close();
        throw new GatewayError('upstream_unavailable', `upstream ${slug} is unavailable (gateway closing)`);
      }
      markUp(entry);
      entry.live = gw;
      if (discoveryMs > 0) {
        clearInterval(entry.discoveryTimer);
        entry.discoveryTimer = setInterval(() => void safeList(entry, gw), discoveryMs);
        entry.discoveryTimer.unref();
      }
      return gw;
    })();
    entry.gateway = attempt;
    attempt.catch(() => {
      if (entry.gateway === attempt) entry.gateway = undefined;
    });
    return attempt;
  }

  async function retire(entry: Entry): Promise<void> {
    entry.retired = true;
    clearTimeout(entry.restartTimer);
    clearInterval(entry.discoveryTimer);
    const gw = entry.gateway;
    entry.gateway = undefined;
    await gw?.then((g) => g.close(), () => undefined);
    entry.agent?.destroy();
  }

  function entryFor(config: UpstreamConfig): Entry {
    if (closed) throw new GatewayError('upstream_unavailable', `upstream ${config.slug} is unavailable (gateway closing)`);
    let entry = entries.get(config.slug);
    const key = JSON.stringify(config);
    if (entry && entry.key !== key) {
      // The registration changed (URL, command or rotated credentials): start over. Open
      // sessions keep what they have until they end.
      void retire(entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { config, key, state: 'connecting', restarts: 0, failures: 0, retryAt: 0, listed: false, sessions: 0, perIdentity: new Map(), retired: false };
      entries.set(config.slug, entry);
    }
    return entry;
  }

  function refuseInBackoff(entry: Entry): void {
    if (entry.state === 'down' && clock() < entry.retryAt) {
      throw new GatewayError('upstream_unavailable', `${entry.lastError ?? `upstream ${entry.config.slug} is down`}; next attempt in ${entry.retryAt - clock()} ms`);
    }
  }

  /** Counts a session against the stdio caps; the returned function gives its place back once. */
  function take(entry: Entry, caller: Caller): () => void {
    const stdio = entry.config.transport === 'stdio' && !entry.config.shared;
    const mine = entry.perIdentity.get(caller.identityId) ?? 0;
    if (stdio && entry.sessions >= perServer) {
      throw new GatewayError('rate_limited', `upstream ${entry.config.slug} runs one process per session and has ${perServer} (stdioSessionsPerServer); close a session (DELETE it, or let it idle out), or ask an admin to mark the server shared or raise the cap`, { retryAfterSeconds: CAP_RETRY_SECONDS, data: { limit: 'stdio_sessions_per_server', value: perServer } });
    }
    if (stdio && mine >= perIdentity) {
      throw new GatewayError('rate_limited', `identity ${caller.identityName} holds ${perIdentity} sessions of upstream ${entry.config.slug} (stdioSessionsPerIdentity, one process each); close one of them first`, { retryAfterSeconds: CAP_RETRY_SECONDS, data: { limit: 'stdio_sessions_per_identity', value: perIdentity } });
    }
    entry.sessions++;
    entry.perIdentity.set(caller.identityId, mine + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      entry.sessions--;
      const left = (entry.perIdentity.get(caller.identityId) ?? 1) - 1;
      if (left <= 0) entry.perIdentity.delete(caller.identityId);
      else entry.perIdentity.set(caller.identityId, left);
    };
  }

  return {
    async open(config, caller, events) {
      const entry = entryFor(config);
      refuseInBackoff(entry);
      // The first session of a server waits for its tools to be listed (and pinned).
      if (!entry.listed) await safeList(entry, await gatewaySession(entry));
      const give = take(entry, caller);
      const ended: UpstreamEvents = {
        message: events.message,
        failed: events.failed,
        closed: (reason) => (give(), sessions.delete(conn), events.closed(reason)),
      };
      let conn: UpstreamConnection;
      try {
        conn = config.shared ? (await gatewaySession(entry)).lane(ended) : connect(entry, ended);
      } catch (e) {
        give();
        throw e;
      }
      sessions.add(conn);
      const inner = conn;
      return {
        send: (m) => inner.send(m),
        drop: (id) => inner.drop(id),
        pid: inner.pid,
        tellsRelated: inner.tellsRelated,
        async close() {
          give();
          sessions.delete(inner);
          await inner.close();
        },
      };
    },
    async refresh(config) {
      const entry = entryFor(config);
      await listTools(entry, await gatewaySession(entry));
    },
    status() {
      return [...entries.values()].map((e) => ({
        slug: e.config.slug,
        state: e.state,
        restarts: e.restarts,
        consecutiveFailures: e.failures,
        lastError: e.lastError,
        pid: e.live?.pid,
        sessions: e.sessions,
      }));
    },
    async close() {
      closed = true;
      await Promise.all([...sessions].map((c) => c.close().catch(() => undefined)));
      sessions.clear();
      await Promise.all([...entries.values()].map(retire));
      entries.clear();
    },
  };
}
