/**
 * One downstream MCP session: an SDK `Server` that answers `initialize` and `ping` itself with
 * the upstream's identity and capabilities, and forwards everything else to the shared upstream
 * connection after a policy decision (agentgateway's split: transport, session, policy).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerCapabilities, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { toHex } from '../crypto';
import { decide, type Decision, type DecisionTarget } from '../policy/decide';
import { JSON_RPC, JsonRpcFailure, toJsonRpcFailure } from './json-rpc-errors';
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
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type Params = Record<string, unknown> | undefined;

// Decisions that are about the caller or the server as a whole; tools/list refuses on these
// and filters per tool on the rest.
const SESSION_LEVEL = new Set(['unknown_identity', 'identity_suspended', 'identity_revoked', 'server_not_allowed', 'unknown_upstream']);

/** Creates the SDK server of one downstream session. */
export function createProxyServer(deps: ProxyServerDeps): Server {
  const { slug, store, recorder, clock } = deps;
  const server = new Server(deps.initial.serverInfo, { capabilities: mirrorCapabilities(deps.initial.capabilities), instructions: deps.initial.instructions });

  function record(ctx: SessionContext, method: string, d: Decision, extra: Partial<TrafficEvent> = {}): void {
    recorder.record({
      time: clock(),
      requestId: toHex(deps.random(8)),
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

  function refuse(d: Decision): JsonRpcFailure {
    return new JsonRpcFailure(JSON_RPC.policyDenied, d.message, { code: d.code, rule: d.rule, floor: d.effectiveFloor?.floor, epoch: d.epoch });
  }

  async function forward(ctx: SessionContext, method: string, params: Params, extra: Extra, d: Decision, tool?: string) {
    const token = (params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
    const started = clock();
    // Progress must reach the downstream before the response it belongs to: sends are async, so
    // the result waits for the ones already started.
    const sent: Promise<void>[] = [];
    try {
      const link = await deps.link();
      const result = await link.request(method, stripProgressToken(params), {
        signal: extra.signal,
        onprogress:
          typeof token === 'string' || typeof token === 'number'
            ? (p) => void sent.push(extra.sendNotification({ method: 'notifications/progress', params: { ...p, progressToken: token } }).catch(() => undefined))
            : undefined,
      });
      await Promise.all(sent);
      record(ctx, method, d, { tool, latencyMs: clock() - started });
      return result;
    } catch (e) {
      // Link failures are GatewayErrors naming the server; anything else is an opaque bug.
      const failure = toJsonRpcFailure(e);
      record(ctx, method, d, { tool, latencyMs: clock() - started, upstreamError: failure.message });
      throw failure;
    }
  }

  async function listTools(ctx: SessionContext, params: Params, extra: Extra) {
    const snapshot = store.snapshot();
    const whole = decide(sessionOf(ctx), { kind: 'server', upstream: slug }, snapshot);
    if (!whole.allowed && SESSION_LEVEL.has(whole.code)) {
      record(ctx, 'tools/list', whole);
      throw refuse(whole);
    }
    const allow: Decision = { ...whole, allowed: true, verdict: 'allow', monitored: false, code: 'allowed', rule: `tools/list (${deps.toolListMode})` };
    const result = await forward(ctx, 'tools/list', params, extra, allow);
    const tools = Array.isArray(result.tools) ? (result.tools as { name: string; description?: string }[]) : [];
    const shown = [];
    for (const tool of tools) {
      const d = decide(sessionOf(ctx), { kind: 'tool', upstream: slug, tool: tool.name }, snapshot);
      if (d.allowed) shown.push(tool);
      else if (deps.toolListMode === 'mark') shown.push({ ...tool, description: `[not callable from this session: ${d.message}] ${tool.description ?? ''}`.trim() });
    }
    return { ...result, tools: shown };
  }

  server.fallbackRequestHandler = async (request, extra) => {
    const ctx = contextOf(extra.authInfo);
    if (!ctx) throw new JsonRpcFailure(JSON_RPC.internalError, 'internal error: message without session context');
    const params = request.params as Params;
    if (request.method === 'tools/list') return listTools(ctx, params, extra);
    let target: DecisionTarget = { kind: 'server', upstream: slug };
    let tool: string | undefined;
    if (request.method === 'tools/call') {
      if (typeof params?.name !== 'string') throw new JsonRpcFailure(JSON_RPC.invalidParams, 'tools/call needs params.name (a string)');
      tool = params.name;
      target = { kind: 'tool', upstream: slug, tool };
    }
    const d = decide(sessionOf(ctx), target, store.snapshot());
    if (!d.allowed) {
      record(ctx, request.method, d, { tool });
      throw refuse(d);
    }
    return forward(ctx, request.method, params, extra, d, tool);
  };

  // Upstream-initiated notifications for the session (cancellations of forwarded requests are
  // sent by the SDK client itself); client notifications such as roots changes stop here.
  server.fallbackNotificationHandler = async () => undefined;
  return server;
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
