/**
 * The outbound sequence of one MCP session over the channel (docs/protocol.md §13): every server
 * message gets the next sequence number. Responses travel in the reply to their request record;
 * everything else (progress, logging, server requests) wakes the session's waiting poll at
 * once. Entries stay until the connector acknowledges them, so a lost reply can be sent again.
 */
import type { ReplyEnvelope, SequencedMessage } from './channel-envelope';
import type { Message } from './upstream-connection';

interface Entry extends SequencedMessage {
  readonly seq: number;
  /** A response, carried by its request's reply (it does not wake a poll). */
  readonly inReply: boolean;
  /** Sent in a poll answer already (a plain answer does not send it twice). */
  polled: boolean;
}

interface Waiter {
  readonly resolve: (reply: ReplyEnvelope) => void;
  readonly timer: NodeJS.Timeout;
  readonly ack: number;
}

/** Entries kept unacknowledged at most; beyond, the oldest are dropped and the next poll says so. */
export const OUTBOX_LIMIT = 10_000;

export class ChannelOutbox {
  private entries: Entry[] = [];
  private head = 0;
  private nextSeq = 1;
  private waiter?: Waiter;
  /** Entries were dropped (or a reply lost): the next poll answer is complete. */
  private gap = false;
  private ended = false;

  /** Appends a server message; one that is not `inReply` wakes the waiting poll. */
  push(message: Message, inReply: boolean): SequencedMessage {
    const entry: Entry = { seq: this.nextSeq++, message, inReply, polled: false };
    this.entries.push(entry);
    if (this.entries.length - this.head > OUTBOX_LIMIT) {
      this.head++;
      this.gap = true;
    }
    if (!inReply && this.waiter) this.answer(this.waiter.ack, false);
    return { seq: entry.seq, message };
  }

  /** The connector delivered everything up to `seq`. */
  ack(seq: number): void {
    while (this.head < this.entries.length && this.entries[this.head]!.seq <= seq) this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * A poll: answered at once when server messages wait (or `resync` asks for everything), else
   * when one arrives or after `waitMs` (then with every retained entry, `complete`). A newer poll
   * answers an older one that still waits, empty.
   */
  poll(ack: number, resync: boolean, waitMs: number): Promise<ReplyEnvelope> {
    this.ack(ack);
    this.waiter?.resolve({ messages: [] });
    clearTimeout(this.waiter?.timer);
    this.waiter = undefined;
    if (resync || this.gap || this.ended) return Promise.resolve(this.collect(true));
    if (this.hasFresh()) return Promise.resolve(this.collect(false));
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(ack, true), waitMs);
      timer.unref();
      this.waiter = { resolve, timer, ack };
    });
  }

  /** The session ended: a waiting poll gets what is left. */
  end(): void {
    this.ended = true;
    if (this.waiter) this.answer(this.waiter.ack, true);
  }

  private answer(ack: number, complete: boolean): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    this.ack(ack);
    w.resolve(this.collect(complete || this.gap));
  }

  private hasFresh(): boolean {
    for (let i = this.head; i < this.entries.length; i++) if (!this.entries[i]!.inReply && !this.entries[i]!.polled) return true;
    return false;
  }

  private collect(complete: boolean): ReplyEnvelope {
    const messages: SequencedMessage[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!complete && (e.inReply || e.polled)) continue;
      e.polled = true;
      messages.push({ seq: e.seq, message: e.message });
    }
    if (complete) this.gap = false;
    // Nothing retained after the ack: nothing can be missing either.
    return complete && messages.length ? { messages, complete: true } : { messages };
  }
}
