/**
 * One downstream MCP session: an SDK `Server` that answers `initialize` and `ping` itself with
 * the upstream's identity and capabilities, and forwards everything else to the shared upstream
 * connection after a policy decision (agentgateway's split: transport, session, policy).
 *
 * Forwarded requests that need no streaming (no progress token) may also enter at the message
 * level through `call`, skipping the SDK transport and schema parsing; they get the very same
 * decision, traffic event and upstream request as through the `Server`.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerCapabilities, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { toHex } from '../crypto';
import { decide, type Decision, type DecisionTarget } from '../policy/decide';
import type { PolicySnapshot } from '../policy/snapshot';
import { JSON_RPC, JsonRpcFailure, jsonRpcError, toJsonRpcFailure } from './json-rpc-errors';
import type { Limiter, LimitRefusal } from './limiter';
import { contextOf, type SessionContext } from './session-context';
import type { GatewayStore, TrafficEvent } from './store';
import type { TrafficRecorder } from './traffic-recorder';
import type { UpstreamLink } from './upstream-pool';

/** How `tools/list` shows tools the session may not call. */
export type ToolListMode = 'filter' | 'mark';

/** What a proxy session needs. */
export interface ProxyServerDeps {
  readonly slug: string;
  /** The upstream's current link (it changes when the upstream reconnects). */
  readonly link: () => Promise<UpstreamLink>;
  /** The link the session was opened against: its identity and capabilities are mirrored. */
  readonly initial: UpstreamLink;
  readonly store: GatewayStore;
  readonly recorder: TrafficRecorder;
  readonly clock: () => number;
  readonly random: (n: number) => Uint8Array;
  readonly toolListMode: ToolListMode;
  /** The policy's limits on calls per identity and per tool. */
  readonly limiter: Limiter;
}

type Extra = Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, 'signal'> & Partial<Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, 'sendNotification'>>;
type Params = Record<string, unknown> | undefined;
type Id = string | number;

/** A JSON-RPC request as the downstream sent it. */
export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: Id;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

/** One downstream session: its SDK server and the message-level entry. */
export interface ProxySession {
  readonly server: Server;
  /**
   * Answers one request at the message level (see {@link isDirectRequest}); never rejects: a
   * failure becomes the JSON-RPC error response. `signal` aborts it (client went away).
   */
  call(ctx: SessionContext, request: JsonRpcRequest, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** Handles `notifications/cancelled` for requests that entered through `call`. */
  cancel(requestId: unknown, reason?: unknown): void;
}

// Methods the SDK server does not answer itself (initialize, ping, logging/setLevel are its own).
const DIRECT_METHODS = new Set(['tools/call', 'tools/list', 'resources/list', 'resources/templates/list', 'resources/read', 'prompts/list', 'prompts/get', 'completion/complete']);

/**
 * Whether `m` may enter through {@link ProxySession.call}: a request for a forwarded method
 * without a progress token (progress needs a stream back to the client).
 */
export function isDirectRequest(m: Record<string, unknown>): m is Record<string, unknown> & JsonRpcRequest {
  if (typeof m.method !== 'string' || !DIRECT_METHODS.has(m.method) || !(typeof m.id === 'string' || typeof m.id === 'number')) return false;
  const meta = (m.params as { _meta?: unknown } | undefined)?._meta;
  return !(typeof meta === 'object' && meta !== null && 'progressToken' in meta);
}

// Decisions that are about the caller or the server as a whole; tools/list refuses on these
// and filters per tool on the rest.
const SESSION_LEVEL = new Set(['unknown_identity', 'identity_suspended', 'identity_revoked', 'server_not_allowed', 'unknown_upstream']);

/** Creates one downstream session. */
export function createProxyServer(deps: ProxyServerDeps): ProxySession {
  const { slug, store, recorder, clock } = deps;
  const server = new Server(deps.initial.serverInfo, { capabilities: mirrorCapabilities(deps.initial.capabilities), instructions: deps.initial.instructions });

  // Traffic request ids are 16 random bytes, drawn 16 ids at a time: unique enough to tell a
  // decision already stored from a new one when a batch is written again (lib/gateway-store/record-traffic.ts).
  let idBytes: Uint8Array = new Uint8Array(0);
  let idAt = 0;
  function requestId(): string {
    if (idAt + 16 > idBytes.length) {
      idBytes = deps.random(256);
      idAt = 0;
    }
    return toHex(idBytes.subarray(idAt, (idAt += 16)));
  }

  /** Records the decision; resolves once it is journaled: only then may its reply leave. */
  function record(ctx: SessionContext, method: string, d: Decision, extra: Partial<TrafficEvent> = {}): Promise<void> | undefined {
    return recorder.record({
      time: clock(),
      requestId: requestId(),
      upstream: slug,
      method,
      identityId: ctx.caller.identityId,
      suite: ctx.strength.suite,
      transport: ctx.transport,
      decision: !d.allowed ? 'deny' : d.monitored ? 'monitor' : 'allow',
      code: d.code,
      rule: d.rule,
      epoch: d.epoch,
      ...extra,
    });
  }

  /**
   * Refuses a request over a limit. Only the first refusal of a run is recorded: a client
   * hammering past its limit must not turn each refused request into an audit write.
   */
  function overLimit(ctx: SessionContext, method: string, over: LimitRefusal, tool?: string): never {
    if (over.first) {
      recorder.record({
        time: clock(),
        requestId: requestId(),
        upstream: slug,
        method,
        tool,
        identityId: ctx.caller.identityId,
        suite: ctx.strength.suite,
        transport: ctx.transport,
        decision: 'deny',
        code: 'rate_limited',
        rule: `limits.${over.limit}`,
        epoch: store.snapshot().epoch,
      });
    }
    throw toJsonRpcFailure(over.error);
  }

  function refuse(d: Decision): JsonRpcFailure {
    return new JsonRpcFailure(JSON_RPC.policyDenied, d.message, { code: d.code, rule: d.rule, floor: d.effectiveFloor?.floor, epoch: d.epoch });
  }

  async function forward(ctx: SessionContext, method: string, params: Params, extra: Extra, d: Decision, tool?: string) {
    const token = (params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
    const notify = extra.sendNotification;
    const started = clock();
    // Progress must reach the downstream before the response it belongs to: sends are async, so
    // the result waits for the ones already started.
    const sent: Promise<void>[] = [];
    try {
      const link = await deps.link();
      const result = await link.request(method, stripProgressToken(params), {
        signal: extra.signal,
        onprogress:
          (typeof token === 'string' || typeof token === 'number') && notify
            ? (p) => void sent.push(notify({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => undefined))
            : undefined,
      });
      await Promise.all(sent);
      await record(ctx, method, d, { tool, latencyMs: clock() - started });
      return result;
    } catch (e) {
      // Link failures are GatewayErrors naming the server; anything else is an opaque bug.
      const failure = toJsonRpcFailure(e);
      await record(ctx, method, d, { tool, latencyMs: clock() - started, upstreamError: failure.message });
      throw failure;
    }
  }

  async function listTools(ctx: SessionContext, params: Params, extra: Extra) {
    const snapshot = store.snapshot();
    const whole = decideFor(ctx, { kind: 'server', upstream: slug }, snapshot);
    if (!whole.allowed && SESSION_LEVEL.has(whole.code)) {
      await record(ctx, 'tools/list', whole);
      throw refuse(whole);
    }
    const allow: Decision = { ...whole, allowed: true, verdict: 'allow', monitored: false, code: 'allowed', rule: `tools/list (${deps.toolListMode})` };
    const result = await forward(ctx, 'tools/list', params, extra, allow);
    const tools = Array.isArray(result.tools) ? (result.tools as { name: string; description?: string }[]) : [];
    const shown = [];
    for (const tool of tools) {
      const d = decideFor(ctx, { kind: 'tool', upstream: slug, tool: tool.name }, snapshot);
      if (d.allowed) shown.push(tool);
      else if (deps.toolListMode === 'mark') shown.push({ ...tool, description: `[not callable from this session: ${d.message}] ${tool.description ?? ''}`.trim() });
    }
    return { ...result, tools: shown };
  }

  /** Policy, then the upstream: the one path of every forwarded request. */
  async function handle(ctx: SessionContext, request: { method: string; params?: unknown }, extra: Extra): Promise<Record<string, unknown>> {
    const params = request.params as Params;
    const over = deps.limiter.call(ctx.caller);
    if (over) overLimit(ctx, request.method, over, request.method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined);
    if (request.method === 'tools/list') return listTools(ctx, params, extra);
    let target: DecisionTarget = { kind: 'server', upstream: slug };
    let tool: string | undefined;
    if (request.method === 'tools/call') {
      if (typeof params?.name !== 'string') throw new JsonRpcFailure(JSON_RPC.invalidParams, 'tools/call needs params.name (a string)');
      tool = params.name;
      target = { kind: 'tool', upstream: slug, tool };
    }
    const d = decideFor(ctx, target, store.snapshot());
    if (!d.allowed) {
      await record(ctx, request.method, d, { tool });
      throw refuse(d);
    }
    // Counted only once the policy let the call through: tool names a client makes up never
    // become buckets, and a denied call costs the upstream nothing.
    const overTool = tool === undefined ? null : deps.limiter.toolCall(ctx.caller, slug, tool);
    if (overTool) overLimit(ctx, request.method, overTool, tool);
    return forward(ctx, request.method, params, extra, d, tool);
  }

  server.fallbackRequestHandler = async (request, extra) => {
    const ctx = contextOf(extra.authInfo);
    if (!ctx) throw new JsonRpcFailure(JSON_RPC.internalError, 'internal error: message without session context');
    return handle(ctx, request, extra);
  };

  // Upstream-initiated notifications for the session (cancellations of forwarded requests are
  // sent by the SDK client itself); client notifications such as roots changes stop here.
  server.fallbackNotificationHandler = async () => undefined;

  // Requests in flight through `call`, by downstream id, so a cancellation can reach them.
  const direct = new Map<Id, AbortController>();
  return {
    server,
    async call(ctx, request, signal) {
      const id = request.id;
      if (direct.has(id)) return jsonRpcError(id, new JsonRpcFailure(JSON_RPC.invalidRequest, `Invalid Request: id ${JSON.stringify(id)} is already in flight`));
      const aborter = new AbortController();
      const onAbort = () => aborter.abort(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      direct.set(id, aborter);
      try {
        return { jsonrpc: '2.0', id, result: await handle(ctx, request, { signal: aborter.signal }) };
      } catch (e) {
        return jsonRpcError(id, toJsonRpcFailure(e));
      } finally {
        direct.delete(id);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    cancel(requestId, reason) {
      if (typeof requestId === 'string' || typeof requestId === 'number') direct.get(requestId)?.abort(reason);
    },
  };
}

// decide() is pure over (session, target, snapshot), so its answers are memoized per snapshot:
// a policy change is a new snapshot, which the very next call decides against afresh.
const decisions = new WeakMap<PolicySnapshot, Map<string, Decision>>();
const DECISIONS_PER_SNAPSHOT = 10_000;

function decideFor(ctx: SessionContext, target: DecisionTarget, snapshot: PolicySnapshot): Decision {
  const s = ctx.strength;
  const key = [s.suite, s.kemCategory, s.signatureCategory, s.quantumSafe, ctx.caller.identityId, ctx.caller.identityName, target.kind, target.upstream, target.kind === 'tool' ? target.tool : ''].join('\0');
  let memo = decisions.get(snapshot);
  if (!memo) decisions.set(snapshot, (memo = new Map()));
  let d = memo.get(key);
  if (!d) {
    d = decide(sessionOf(ctx), target, snapshot);
    if (memo.size >= DECISIONS_PER_SNAPSHOT) memo.clear();
    memo.set(key, d);
  }
  return d;
}

function sessionOf(ctx: SessionContext) {
  return { strength: ctx.strength, identityId: ctx.caller.identityId, identityName: ctx.caller.identityName };
}

/** The upstream's capabilities minus what the gateway does not relay (tasks, see docs). */
function mirrorCapabilities(caps: ServerCapabilities): ServerCapabilities {
  const { tasks: _tasks, ...rest } = caps as ServerCapabilities & { tasks?: unknown };
  return rest;
}

/** The SDK client sets its own progress token; the downstream's is restored on the way back. */
function stripProgressToken(params: Params): Params {
  const meta = params?._meta as Record<string, unknown> | undefined;
  if (!meta || !('progressToken' in meta)) return params;
  const { progressToken: _t, ...restMeta } = meta;
  const { _meta: _m, ...rest } = params!;
  return Object.keys(restMeta).length ? { ...rest, _meta: restMeta } : rest;
}
