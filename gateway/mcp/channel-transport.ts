/**
 * An SDK `Transport` for one MCP session carried over channel records. A request's reply record
 * holds every notification the server sent about that request (progress) followed by its
 * response; notifications tied to no request wait in a bounded queue for a poll record.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { JSON_RPC, JsonRpcFailure, jsonRpcError } from './json-rpc-errors';

type Message = Record<string, unknown>;
type Id = string | number;

interface Pending {
  readonly messages: Message[];
  readonly resolve: (messages: Message[]) => void;
}

/** Notifications kept for a poll at most; older ones are dropped first. */
const QUEUE_LIMIT = 1000;

/** The transport; `exchange` and `poll` are called by the channel handler. */
export class ChannelSessionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  sessionId?: string;
  /** Last time a record touched this session (for idle reaping). */
  lastSeen: number;
  private readonly pending = new Map<Id, Pending>();
  private queue: Message[] = [];
  private readonly waiters = new Set<() => void>();
  private isClosed = false;

  constructor(now: number) {
    this.lastSeen = now;
  }

  /** True once the session was closed (a closed session answers requests with session-not-found). */
  get closed(): boolean {
    return this.isClosed;
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as Message;
    const isResponse = !('method' in m) && ('result' in m || 'error' in m);
    if (isResponse) {
      const p = this.pending.get(m.id as Id);
      if (p) {
        this.pending.delete(m.id as Id);
        p.messages.push(m);
        p.resolve(p.messages);
      }
      return;
    }
    const related = options?.relatedRequestId !== undefined ? this.pending.get(options.relatedRequestId) : undefined;
    if (related) related.messages.push(m);
    else this.enqueue(m);
  }

  private enqueue(m: Message): void {
    if (this.queue.length >= QUEUE_LIMIT) this.queue.shift();
    this.queue.push(m);
    for (const wake of this.waiters) wake();
  }

  /** Delivers one client message; resolves with what goes back in the reply record. */
  exchange(message: Message, extra: MessageExtraInfo): Promise<Message[]> {
    if (this.isClosed) return Promise.resolve(isRequest(message) ? [jsonRpcError(message.id as Id, new JsonRpcFailure(JSON_RPC.sessionNotFound, 'MCP session closed; send initialize again'))] : []);
    if (!isRequest(message)) {
      this.onmessage?.(message as JSONRPCMessage, extra);
      return Promise.resolve([]);
    }
    const id = message.id as Id;
    if (this.pending.has(id)) {
      return Promise.resolve([jsonRpcError(id, new JsonRpcFailure(JSON_RPC.invalidRequest, `Invalid Request: id ${JSON.stringify(id)} is already in flight`))]);
    }
    return new Promise((resolve) => {
      this.pending.set(id, { messages: [], resolve });
      this.onmessage?.(message as JSONRPCMessage, extra);
    });
  }

  /** Returns queued notifications, waiting up to `waitMs` for the first one. */
  async poll(waitMs: number): Promise<Message[]> {
    if (!this.queue.length && !this.isClosed && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, waitMs);
        timer.unref();
        this.waiters.add(wake);
      });
    }
    const out = this.queue;
    this.queue = [];
    return out;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const p of this.pending.values()) p.resolve([]);
    this.pending.clear();
    for (const wake of [...this.waiters]) wake();
    this.onclose?.();
  }
}

function isRequest(m: Message): boolean {
  return typeof m.method === 'string' && 'id' in m;
}
