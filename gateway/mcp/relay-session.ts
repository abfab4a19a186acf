/**
 * One downstream MCP session relayed, message by message, to its own upstream session (one
 * path for every message kind, both ways). Client requests are decided by the pure `decide()`
 * (memoized per policy snapshot) and forwarded with their own ids, since the upstream session is
 * the client's own; `tools/list` answers are filtered, and show only approved tool definitions
 * (a tool listed with another definition is held, for every session). Client notifications and the client's
 * answers to server requests go upstream as they are. Upstream messages go to the downstream
 * session: those on a request's reply stream (or carrying its progress token) with that request,
 * the rest as unsolicited messages. Server requests for sampling and elicitation obey the
 * server's switches (`allowSampling`, `allowElicitation`); every decision is a traffic event.
 */
import { toHex } from '../crypto';
import { GatewayError } from '../errors';
import { decide, heldToolMessage, type Decision, type DecisionTarget } from '../policy/decide';
import type { PolicySnapshot, ToolEntry } from '../policy/snapshot';
import { JSON_RPC, JsonRpcFailure, jsonRpcError, toJsonRpcFailure } from './json-rpc-errors';
import type { Limiter, LimitRefusal } from './limiter';
import type { SessionContext } from './session-context';
import type { GatewayStore, ListedTool, TrafficEvent, UpstreamConfig } from './store';
import { toolDefinitionHashHex } from './tool-definition';
import type { TrafficRecorder } from './traffic-recorder';
import { unavailable, type Id, type Message, type UpstreamConnection, type UpstreamEvents } from './upstream-connection';

/** How `tools/list` shows tools the session may not call. */
export type ToolListMode = 'filter' | 'mark';

/** A JSON-RPC request as the downstream sent it. */
export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: Id;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

/** What every relay session of a gateway shares. */
export interface RelayDeps {
  readonly store: GatewayStore;
  readonly recorder: TrafficRecorder;
  readonly clock: () => number;
  readonly random: (n: number) => Uint8Array;
  readonly toolListMode: ToolListMode;
  /** The policy's limits on calls per identity and per tool. */
  readonly limiter: Limiter;
  /** Per-request timeout; it does not run while a server request of the call awaits the client. */
  readonly timeoutMs: number;
  /** Timeout of the forwarded initialize (a stdio server starts first). */
  readonly connectTimeoutMs: number;
  /** Told when the store could not hold a changed tool (the relay keeps refusing it meanwhile). */
  readonly onError?: (what: string, e: unknown) => void;
}

/** Where the relay sends what is not the answer to a request. */
export interface RelayDownstream {
  /** A server message tied to no request in flight (the GET stream, the poll queue). */
  unsolicited(m: Message): void;
  /** The upstream session ended; the downstream session ends with it. */
  ended(reason: string): void;
}

/**
 * Answers to requests the client cancelled: the relay settles them (nothing waits forever), and
 * downstreams drop them, since MCP says a cancelled request gets no response.
 */
const cancelledAnswers = new WeakSet<Message>();

/** Whether `m` answers a request the client cancelled (and so must not be delivered). */
export const isCancelledAnswer = (m: Message): boolean => cancelledAnswers.has(m);

/** Receives the server messages related to one request, in order, before its response. */
export type Emit = (m: Message) => void;

/** One downstream session's relay. */
export interface RelaySession {
  /** Relays one client request; resolves with its response (never rejects). */
  request(ctx: SessionContext, m: JsonRpcRequest, emit: Emit): Promise<Message>;
  /** Relays a client notification, or the client's answer to a server request. */
  notify(ctx: SessionContext, m: Message): Promise<void>;
  /** The client left while `id` was in flight: it is cancelled upstream. */
  abandon(id: Id, reason: string): void;
  readonly closed: boolean;
  /** Ends the session and its upstream session. */
  close(): Promise<void>;
}

interface Pending {
  readonly id: Id;
  readonly method: string;
  readonly tool?: string;
  /** Null for what is relayed without a decision (initialize, ping). */
  readonly d: Decision | null;
  readonly ctx: SessionContext;
  readonly emit: Emit;
  readonly resolve: (m: Message) => void;
  readonly started: number;
  readonly token?: unknown;
  timer?: NodeJS.Timeout;
  /** Server requests of this call awaiting the client's answer (the timeout is paused meanwhile). */
  waiting: number;
}

interface ServerRequest {
  readonly method: string;
  readonly started: number;
  readonly owner?: Pending;
}

// Decisions that are about the caller or the server as a whole; tools/list refuses on these
// and filters per tool on the rest.
const SESSION_LEVEL = new Set(['unknown_identity', 'identity_suspended', 'identity_revoked', 'server_not_allowed', 'unknown_upstream']);
/** Server requests behind a switch of the server's registration. */
const SWITCHES: Record<string, 'allowSampling' | 'allowElicitation'> = { 'sampling/createMessage': 'allowSampling', 'elicitation/create': 'allowElicitation' };
/** Client capabilities a switch takes away from the forwarded initialize. */
const SWITCHED_CAPABILITY = { allowSampling: 'sampling', allowElicitation: 'elicitation' } as const;

/**
 * Opens a relay session with the client's `initialize`: the upstream session is opened with
 * `open` and initialized with the client's own request (its protocol version and capabilities,
 * minus what the server's switches forbid). The upstream's answer is the client's.
 */
export async function openRelaySession(
  deps: RelayDeps,
  config: UpstreamConfig,
  ctx: SessionContext,
  initialize: JsonRpcRequest,
  open: (events: UpstreamEvents) => Promise<UpstreamConnection>,
  downstream: RelayDownstream,
  emit: Emit,
): Promise<{ relay?: RelaySession; response: Message }> {
  const relay = createRelay(deps, config, downstream);
  try {
    relay.attach(await open(relay.events));
  } catch (e) {
    return { response: jsonRpcError(initialize.id, toJsonRpcFailure(e)) };
  }
  const response = await relay.forward(ctx, withPolicyCapabilities(initialize, config), null, undefined, emit, deps.connectTimeoutMs);
  if (!('result' in response)) {
    await relay.session.close();
    return { response };
  }
  return { relay: relay.session, response };
}

function createRelay(deps: RelayDeps, config: UpstreamConfig, downstream: RelayDownstream) {
  const { store, recorder, clock } = deps;
  const slug = config.slug;
  const pending = new Map<Id, Pending>();
  const tokens = new Map<unknown, Pending>();
  const serverRequests = new Map<Id, ServerRequest>();
  let conn!: UpstreamConnection;
  let closed = false;
  let lastCtx: SessionContext | undefined;

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

  /** Records a decision; resolves once it is journaled: only then may its reply leave (docs/audit.md). */
  function record(ctx: SessionContext, method: string, e: Pick<TrafficEvent, 'decision' | 'code' | 'rule' | 'epoch'> & Partial<TrafficEvent>): Promise<void> | undefined {
    return recorder.record({ time: clock(), requestId: requestId(), upstream: slug, method, identityId: ctx.caller.identityId, suite: ctx.strength.suite, transport: ctx.transport, ...e });
  }

  function recordDecision(ctx: SessionContext, method: string, d: Decision, extra: Partial<TrafficEvent> = {}): Promise<void> | undefined {
    return record(ctx, method, { decision: !d.allowed ? 'deny' : d.monitored ? 'monitor' : 'allow', code: d.code, rule: d.rule, epoch: d.epoch, ...extra });
  }

  /**
   * Refuses a request over a limit. Only the first refusal of a run is recorded: a client
   * hammering past its limit must not turn each refused request into an audit write.
   */
  async function overLimit(ctx: SessionContext, m: JsonRpcRequest, over: LimitRefusal, tool?: string): Promise<Message> {
    if (over.first) await record(ctx, m.method, { tool, decision: 'deny', code: 'rate_limited', rule: `limits.${over.limit}`, epoch: store.snapshot().epoch });
    return jsonRpcError(m.id, toJsonRpcFailure(over.error));
  }

  function refuse(id: Id, d: Decision): Message {
    return jsonRpcError(id, new JsonRpcFailure(JSON_RPC.policyDenied, d.message, { code: d.code, rule: d.rule, floor: d.effectiveFloor?.floor, epoch: d.epoch }));
  }

  function arm(p: Pending, ms = deps.timeoutMs): void {
    p.timer = setTimeout(() => {
      if (pending.get(p.id) !== p) return;
      const failure = toJsonRpcFailure(new GatewayError('upstream_timeout', `upstream ${slug} did not answer within ${ms} ms`));
      stop(p, failure.message);
      settle(p, jsonRpcError(p.id, failure), failure.message);
    }, ms);
  }

  /** Stops the upstream working on `p` (MCP cancellation). */
  function stop(p: Pending, reason: string): void {
    // The cancellation first: a shared lane maps the id only while the request is still its own.
    void conn.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: p.id, reason } });
    conn.drop(p.id);
  }

  function settle(p: Pending, m: Message, upstreamError?: string): void {
    if (pending.get(p.id) !== p) return;
    pending.delete(p.id);
    if (p.token !== undefined && tokens.get(p.token) === p) tokens.delete(p.token);
    clearTimeout(p.timer);
    const listed = p.method === 'tools/list' && 'result' in m ? filterTools(p.ctx, m) : { reply: m };
    const { reply } = listed;
    // A changed tool is held in the store before the listing that saw it is answered.
    const held = listed.changed?.length ? holdChanged(listed.changed) : undefined;
    if (!p.d) return void (held ? held.then(() => p.resolve(reply)) : p.resolve(reply));
    const error = upstreamError ?? ('error' in m ? String((m.error as { message?: unknown } | null)?.message ?? 'error') : undefined);
    const journaled = recordDecision(p.ctx, p.method, p.d, { tool: p.tool, latencyMs: clock() - p.started, ...(error === undefined ? {} : { upstreamError: error }) });
    // The reply leaves only once its decision is durable (a journal write; at once without one).
    if (journaled || held) void Promise.allSettled([journaled, held]).then(() => p.resolve(reply));
    else p.resolve(reply);
  }

  /** Reports tools listed with an unapproved definition; never rejects (the relay refuses them meanwhile). */
  function holdChanged(tools: ListedTool[]): Promise<void> {
    return store.holdChangedTools(slug, tools).catch((e: unknown) => deps.onError?.(`holding changed tools of ${slug}`, e));
  }

  /**
   * The listing a client gets: only tools listed with their approved definition, decided by
   * policy. A tool listed with another definition is hidden (or, in `mark` mode, shown as held
   * with its approved text: the new text never reaches the client) and returned in `changed`.
   */
  function filterTools(ctx: SessionContext, m: Message): { reply: Message; changed?: ListedTool[] } {
    const result = m.result as { tools?: unknown } | null;
    if (!result || !Array.isArray(result.tools)) return { reply: m };
    const snapshot = store.snapshot();
    const tools = snapshot.upstreams.get(slug)?.tools;
    const marks = changedTools(store);
    const shown = [];
    const changed: ListedTool[] = [];
    for (const tool of result.tools as ListedTool[]) {
      // Not a tool at all: nothing a client could call, nor a definition to hold.
      if (!tool || typeof tool !== 'object') continue;
      const name = String(tool.name);
      const entry = tools?.get(name);
      if (entry?.pinned && toolDefinitionHashHex(tool) !== entry.pinned.hash) {
        // Reported once per approved definition: a held tool's every listing is no new write.
        if (entry.status !== 'held' && marks.get(`${slug}\0${name}`) !== entry.pinned.hash) {
          marks.set(`${slug}\0${name}`, entry.pinned.hash);
          changed.push(tool);
        }
        if (deps.toolListMode === 'mark') shown.push(markedApproved(name, entry, heldToolMessage(slug, name)));
        continue;
      }
      // Listed as approved again: whatever held it here is the store's to say.
      if (entry?.pinned) marks.delete(`${slug}\0${name}`);
      const d = decideFor(ctx, { kind: 'tool', upstream: slug, tool: name }, snapshot);
      if (d.allowed) shown.push(tool);
      else if (deps.toolListMode === 'mark') shown.push(entry ? markedApproved(name, entry, d.message) : { ...tool, description: `[not callable from this session: ${d.message}] ${tool.description ?? ''}`.trim() });
    }
    return { reply: { ...m, result: { ...result, tools: shown } }, changed };
  }

  function forward(ctx: SessionContext, m: JsonRpcRequest, d: Decision | null, tool: string | undefined, emit: Emit, timeoutMs?: number): Promise<Message> {
    return new Promise((resolve) => {
      const token = (m.params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
      const p: Pending = { id: m.id, method: m.method, tool, d, ctx, emit, resolve, started: clock(), token, waiting: 0 };
      pending.set(m.id, p);
      if (token !== undefined) tokens.set(token, p);
      arm(p, timeoutMs);
      void conn.send(m as unknown as Message);
    });
  }

  function recordServerRequest(method: string, allowed: boolean, rule: string, extra: Partial<TrafficEvent> = {}): Promise<void> | undefined {
    if (!lastCtx || method === 'ping') return undefined;
    return record(lastCtx, method, { decision: allowed ? 'allow' : 'deny', code: allowed ? 'allowed' : 'server_request_refused', rule, epoch: store.snapshot().epoch, ...extra });
  }

  function resume(owner: Pending | undefined): void {
    if (owner && pending.get(owner.id) === owner && --owner.waiting === 0) arm(owner);
  }

  function serverRequest(m: Message, related: Id | undefined): void {
    const id = m.id as Id;
    const method = m.method as string;
    const sw = SWITCHES[method];
    if (sw && config[sw] === false) {
      const failure = new JsonRpcFailure(JSON_RPC.policyDenied, `${method} from upstream ${slug} refused: ${sw} is off for this server at the gateway; an admin can switch it on in the server's registration`, { code: 'server_request_refused', rule: sw });
      const journaled = recordServerRequest(method, false, `${sw}: false`);
      const answer = jsonRpcError(id, failure);
      if (journaled) void journaled.then(() => conn.send(answer), () => conn.send(answer));
      else void conn.send(answer);
      return;
    }
    const owner = related !== undefined ? pending.get(related) : !conn.tellsRelated && pending.size === 1 ? pending.values().next().value : undefined;
    serverRequests.set(id, { method, started: clock(), owner });
    if (!owner) return downstream.unsolicited(m);
    // The call waits on the client (a human answering an elicitation): its timeout pauses.
    if (owner.waiting++ === 0) clearTimeout(owner.timer);
    owner.emit(m);
  }

  function serverNotification(m: Message, related: Id | undefined): void {
    const params = m.params as { progressToken?: unknown; requestId?: unknown } | undefined;
    if (m.method === 'notifications/progress') {
      const p = tokens.get(params?.progressToken);
      if (p) return p.emit(m);
    } else if (m.method === 'notifications/cancelled') {
      const s = serverRequests.get(params?.requestId as Id);
      if (s) {
        serverRequests.delete(params!.requestId as Id);
        resume(s.owner);
        if (s.owner && pending.get(s.owner.id) === s.owner) return s.owner.emit(m);
        return downstream.unsolicited(m);
      }
    }
    const owner = related !== undefined ? pending.get(related) : undefined;
    if (owner) owner.emit(m);
    else downstream.unsolicited(m);
  }

  function end(reason: string): void {
    if (closed) return;
    closed = true;
    const failure = unavailable(slug, `${reason}; start a new MCP session`);
    for (const p of [...pending.values()]) settle(p, jsonRpcError(p.id, failure), failure.message);
    serverRequests.clear();
  }

  const events: UpstreamEvents = {
    message(m, related) {
      if (typeof m.method === 'string') return m.id === undefined ? serverNotification(m, related) : serverRequest(m, related);
      const p = pending.get(m.id as Id);
      if (p) settle(p, m);
    },
    failed(id, failure) {
      const p = pending.get(id);
      if (p) settle(p, jsonRpcError(id, failure), failure.message);
    },
    closed(reason) {
      if (closed) return;
      end(reason);
      downstream.ended(reason);
    },
  };

  const session: RelaySession = {
    get closed() {
      return closed;
    },
    async request(ctx, m, emit) {
      if (closed) return jsonRpcError(m.id, new JsonRpcFailure(JSON_RPC.sessionNotFound, 'MCP session ended; send initialize again'));
      if (pending.has(m.id)) return jsonRpcError(m.id, new JsonRpcFailure(JSON_RPC.invalidRequest, `Invalid Request: id ${JSON.stringify(m.id)} is already in flight`));
      if (m.method === 'initialize') return jsonRpcError(m.id, new JsonRpcFailure(JSON_RPC.invalidRequest, 'Invalid Request: this MCP session is initialized already'));
      lastCtx = ctx;
      const params = m.params;
      const named = m.method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
      const over = deps.limiter.call(ctx.caller);
      if (over) return overLimit(ctx, m, over, named);
      if (m.method === 'ping') return forward(ctx, m, null, undefined, emit);
      const snapshot = store.snapshot();
      if (m.method === 'tools/list') {
        const whole = decideFor(ctx, { kind: 'server', upstream: slug }, snapshot);
        if (!whole.allowed && SESSION_LEVEL.has(whole.code)) {
          await recordDecision(ctx, m.method, whole);
          return refuse(m.id, whole);
        }
        return forward(ctx, m, { ...whole, allowed: true, verdict: 'allow', monitored: false, code: 'allowed', rule: `tools/list (${deps.toolListMode})` }, undefined, emit);
      }
      let target: DecisionTarget = { kind: 'server', upstream: slug };
      if (m.method === 'tools/call') {
        if (named === undefined) return jsonRpcError(m.id, new JsonRpcFailure(JSON_RPC.invalidParams, 'tools/call needs params.name (a string)'));
        target = { kind: 'tool', upstream: slug, tool: named };
      }
      const changed = named === undefined ? undefined : changedSinceApproval(store, snapshot, slug, named);
      if (changed) {
        await recordDecision(ctx, m.method, changed, { tool: named });
        return refuse(m.id, changed);
      }
      const d = decideFor(ctx, target, snapshot);
      if (!d.allowed) {
        await recordDecision(ctx, m.method, d, { tool: named });
        return refuse(m.id, d);
      }
      // Counted only once the policy let the call through: tool names a client makes up never
      // become buckets, and a denied call costs the upstream nothing.
      const overTool = named === undefined ? null : deps.limiter.toolCall(ctx.caller, slug, named);
      if (overTool) return overLimit(ctx, m, overTool, named);
      return forward(ctx, m, d, named, emit);
    },
    async notify(ctx, m) {
      if (closed) return;
      lastCtx = ctx;
      if (typeof m.method === 'string') {
        if (m.method === 'notifications/cancelled') {
          const p = pending.get((m.params as { requestId?: unknown } | undefined)?.requestId as Id);
          // A cancellation of something no longer in flight has nothing to stop.
          if (!p) return;
          const sent = conn.send(m);
          conn.drop(p.id);
          const answer = jsonRpcError(p.id, unavailable(slug, 'request cancelled'));
          cancelledAnswers.add(answer);
          settle(p, answer);
          return sent;
        }
        return conn.send(m);
      }
      // The client's answer to a server request: forwarded once, to the request it answers.
      const s = serverRequests.get(m.id as Id);
      if (!s) return;
      serverRequests.delete(m.id as Id);
      resume(s.owner);
      const error = 'error' in m ? String((m.error as { message?: unknown } | null)?.message ?? 'error') : undefined;
      // The upstream acts on the answer only once the decision to relay it is durable.
      await recordServerRequest(s.method, true, SWITCHES[s.method] ? `${SWITCHES[s.method]}: true` : 'server request', { latencyMs: clock() - s.started, ...(error === undefined ? {} : { upstreamError: error }) });
      return conn.send(m);
    },
    abandon(id, reason) {
      const p = pending.get(id);
      if (!p) return;
      stop(p, reason);
      settle(p, jsonRpcError(id, unavailable(slug, 'request cancelled')));
    },
    async close() {
      if (closed) return;
      end('MCP session closed');
      await conn.close();
    },
  };

  return {
    events,
    session,
    attach(c: UpstreamConnection) {
      conn = c;
    },
    forward: (ctx: SessionContext, m: JsonRpcRequest, d: Decision | null, tool: string | undefined, emit: Emit, timeoutMs: number) => ((lastCtx = ctx), forward(ctx, m, d, tool, emit, timeoutMs)),
  };
}

/**
 * Tools a relay saw listed with a definition other than the approved one, per store (so every
 * session and gateway on the store), keyed `slug\0tool`, with the approved hash they differed
 * from. They are refused from that moment, before the store's snapshot says held, and for as
 * long as the store cannot be told; the snapshot decides again once it holds the tool or pins
 * another definition.
 */
const changedByStore = new WeakMap<GatewayStore, Map<string, string>>();

function changedTools(store: GatewayStore): Map<string, string> {
  let marks = changedByStore.get(store);
  if (!marks) changedByStore.set(store, (marks = new Map()));
  return marks;
}

/** A refusal for a tool a relay saw changed and the snapshot does not yet hold, or undefined. */
function changedSinceApproval(store: GatewayStore, snapshot: PolicySnapshot, slug: string, tool: string): Decision | undefined {
  const marks = changedByStore.get(store);
  const key = `${slug}\0${tool}`;
  const approved = marks?.get(key);
  if (approved === undefined) return undefined;
  const entry = snapshot.upstreams.get(slug)?.tools.get(tool);
  if (!entry || entry.status === 'held' || entry.pinned?.hash !== approved) {
    marks!.delete(key);
    return undefined;
  }
  return { allowed: false, verdict: 'deny', monitored: false, code: 'tool_held', rule: `held tool ${slug}/${tool}`, message: heldToolMessage(slug, tool), epoch: snapshot.epoch };
}

/** A tool shown but not callable, in its approved text only. */
function markedApproved(name: string, entry: ToolEntry, why: string): Record<string, unknown> {
  const p = entry.pinned;
  if (!p) return { name, description: `[not callable from this session: ${why}]`, inputSchema: { type: 'object' } };
  return { name, ...(p.title === undefined ? {} : { title: p.title }), description: `[not callable from this session: ${why}] ${p.description}`.trim(), inputSchema: p.inputSchema };
}

/** The client's initialize without the capabilities the server's switches take away. */
function withPolicyCapabilities(m: JsonRpcRequest, config: UpstreamConfig): JsonRpcRequest {
  const caps = m.params?.capabilities as Record<string, unknown> | undefined;
  if (!caps) return m;
  let kept: Record<string, unknown> | undefined;
  for (const [sw, cap] of Object.entries(SWITCHED_CAPABILITY) as [keyof typeof SWITCHED_CAPABILITY, string][]) {
    if (config[sw] === false && cap in caps) {
      kept ??= { ...caps };
      delete kept[cap];
    }
  }
  return kept ? { ...m, params: { ...m.params, capabilities: kept } } : m;
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
    d = decide({ strength: ctx.strength, identityId: ctx.caller.identityId, identityName: ctx.caller.identityName }, target, snapshot);
    if (memo.size >= DECISIONS_PER_SNAPSHOT) memo.clear();
    memo.set(key, d);
  }
  return d;
}
