/**
 * At most once, across restarts and replicas (docs/protocol.md §7.1). Each gateway process
 * keeps a sliding window per session (RFC 4303 §3.4.3) for the sequence numbers it has
 * *reserved* in a shared, durable {@link SeqLedger}. A process accepts a record only for a
 * number inside its own reservation; a process that meets a session it does not hold takes it
 * over, and the numbers reserved before (by anyone) are refused there. Reservations of two
 * owners never overlap, so no number is accepted twice, wherever the copies of a record go.
 *
 * The ledger is written once per session per process and once per `reserve` records, never per
 * record; a graceful shutdown lowers each reservation to the highest number accepted, so a
 * restart costs the connector nothing. After a crash the numbers reserved but not yet used are
 * refused once, and the connector starts a new session.
 */
import { toHex } from '../crypto';
import { GatewayError } from '../errors';

/** What became of one record's sequence number. */
export type ReplayVerdict =
  /** First time: accepted, and remembered. */
  | 'fresh'
  /** Seen before on this process, or older than its window: a replay or a reordering. */
  | 'replay'
  /** Reserved before by another owner (another replica, or this one before a restart): it may have run there. */
  | 'fenced';

/** Decides whether a (session, sequence number) pair is fresh, and remembers it if so. */
export interface ReplayGuard {
  /**
   * Synchronous while the number lies inside this process's reservation; a promise when the
   * shared ledger must be asked. `expiresAt` (ms) is the ticket's expiry: the guard need not
   * remember the session after it.
   * @throws GatewayError `store_unavailable` when the ledger cannot be reached (nothing was accepted).
   */
  accept(sessionId: Uint8Array, seq: number, expiresAt: number): ReplayVerdict | Promise<ReplayVerdict>;
  /** Stops accepting and hands every reservation back, lowered to what was accepted. */
  close(): Promise<void>;
}

/** The shared, durable part: who holds each session, and which numbers they reserved. */
export interface SeqLedger {
  /**
   * Makes `owner` the holder of the session and reserves every number up to `upTo`. Returns the
   * floor: the highest number reserved before by anyone (-1 for a new session). Atomic.
   */
  claim(sessionId: string, owner: string, upTo: number, expiresAt: number): Promise<number>;
  /** Raises `owner`'s reservation to `upTo`; false when another owner has taken the session over. */
  extend(sessionId: string, owner: string, upTo: number): Promise<boolean>;
  /** Lowers each reservation still held by its owner to the highest number it accepted. */
  release(leases: readonly { readonly sessionId: string; readonly owner: string; readonly highest: number }[]): Promise<void>;
}

/** A ledger in this process's memory: at most once within one process (tests, the bare core). */
export class MemorySeqLedger implements SeqLedger {
  readonly rows = new Map<string, { owner: string; reserved: number; expiresAt: number }>();

  async claim(sessionId: string, owner: string, upTo: number, expiresAt: number): Promise<number> {
    const row = this.rows.get(sessionId);
    this.rows.set(sessionId, { owner, reserved: Math.max(row?.reserved ?? -1, upTo), expiresAt });
    return row?.reserved ?? -1;
  }

  async extend(sessionId: string, owner: string, upTo: number): Promise<boolean> {
    const row = this.rows.get(sessionId);
    if (row?.owner !== owner) return false;
    row.reserved = Math.max(row.reserved, upTo);
    return true;
  }

  async release(leases: readonly { sessionId: string; owner: string; highest: number }[]): Promise<void> {
    for (const l of leases) {
      const row = this.rows.get(l.sessionId);
      if (row?.owner === l.owner) row.reserved = l.highest;
    }
  }
}

/** One session's state on this process. */
interface Lease {
  /** Every number at or below is refused as `fenced`. */
  floor: number;
  /** This process may accept numbers up to here without asking the ledger. */
  reserved: number;
  /** Highest number accepted, and the bitmap of the `window` numbers below it. */
  top: number;
  bits: bigint;
  readonly expiresAt: number;
  /** The ledger call in flight for this session, so concurrent records share one. */
  pending?: Promise<void>;
}

/** Options of {@link LedgerReplayGuard}. */
export interface LedgerReplayGuardOptions {
  /** Names this process in the ledger; a restarted process must use a new one. Default: random. */
  readonly owner?: string;
  /** Sliding window, in records. Default 64. */
  readonly window?: number;
  /** Numbers reserved per ledger write. Default 256. */
  readonly reserve?: number;
  /** Sessions kept in memory at most; one forgotten early is taken over again (conservatively). */
  readonly maxSessions?: number;
  readonly clock?: () => number;
}

/** The replay guard of a gateway process over a shared ledger. */
export class LedgerReplayGuard implements ReplayGuard {
  readonly owner: string;
  private readonly window: number;
  private readonly mask: bigint;
  private readonly reserve: number;
  private readonly maxSessions: number;
  private readonly clock: () => number;
  private readonly leases = new Map<string, Lease>();
  private closed = false;

  constructor(
    private readonly ledger: SeqLedger,
    options: LedgerReplayGuardOptions = {},
  ) {
    this.owner = options.owner ?? `${process.pid}-${toHex(crypto.getRandomValues(new Uint8Array(8)))}`;
    this.window = options.window ?? 64;
    this.mask = (1n << BigInt(this.window)) - 1n;
    this.reserve = options.reserve ?? 256;
    this.maxSessions = options.maxSessions ?? 100_000;
    this.clock = options.clock ?? Date.now;
  }

  accept(sessionId: Uint8Array, seq: number, expiresAt: number): ReplayVerdict | Promise<ReplayVerdict> {
    if (this.closed) throw new GatewayError('store_unavailable', 'this gateway process is shutting down; the record was not processed');
    const id = toHex(sessionId);
    const lease = this.leases.get(id);
    // The common case: inside our reservation, decided in memory without yielding.
    if (lease && !lease.pending && seq <= lease.reserved) return this.mark(lease, seq);
    return this.acceptSlow(id, seq, expiresAt);
  }

  private async acceptSlow(id: string, seq: number, expiresAt: number): Promise<ReplayVerdict> {
    for (;;) {
      let lease = this.leases.get(id);
      if (lease?.pending) {
        await lease.pending;
        continue;
      }
      if (this.closed) throw new GatewayError('store_unavailable', 'this gateway process is shutting down; the record was not processed');
      if (lease && seq <= lease.reserved) return this.mark(lease, seq);
      if (!lease) {
        lease = { floor: -1, reserved: -1, top: -1, bits: 0n, expiresAt };
        this.remember(id, lease);
        lease.pending = this.claim(id, lease, seq);
      } else {
        const held = lease;
        lease.pending = this.ledger.extend(id, this.owner, seq + this.reserve).then((ok) => (ok ? void (held.reserved = seq + this.reserve) : this.claim(id, held, seq)));
      }
      const settled = lease;
      try {
        await lease.pending;
      } catch (e) {
        // The ledger is unreachable: nothing was accepted; a new lease is made on the next try.
        if (this.leases.get(id) === settled && settled.reserved < 0) this.leases.delete(id);
        throw e instanceof GatewayError ? e : new GatewayError('store_unavailable', 'the gateway could not reach its database to check this record; it was not processed');
      } finally {
        settled.pending = undefined;
      }
    }
  }

  /** Takes the session (over): numbers reserved before by anyone, ourselves included, are fenced. */
  private async claim(id: string, lease: Lease, seq: number): Promise<void> {
    const floor = await this.ledger.claim(id, this.owner, Math.max(seq, 0) + this.reserve, lease.expiresAt);
    lease.floor = Math.max(lease.floor, floor);
    lease.reserved = Math.max(seq, 0) + this.reserve;
    if (lease.top < lease.floor) {
      lease.top = lease.floor;
      lease.bits = 0n;
    }
  }

  private mark(lease: Lease, seq: number): ReplayVerdict {
    if (seq <= lease.floor) return 'fenced';
    if (seq > lease.top) {
      const shift = seq - lease.top;
      lease.bits = shift >= this.window ? 1n : ((lease.bits << BigInt(shift)) | 1n) & this.mask;
      lease.top = seq;
      return 'fresh';
    }
    const back = lease.top - seq;
    if (back >= this.window) return 'replay';
    const bit = 1n << BigInt(back);
    if (lease.bits & bit) return 'replay';
    lease.bits |= bit;
    return 'fresh';
  }

  private remember(id: string, lease: Lease): void {
    this.leases.set(id, lease);
    if (this.leases.size <= this.maxSessions) return;
    // Expired sessions go first; otherwise the oldest. A forgotten live session is claimed
    // again on its next record and its own earlier reservation is fenced: safe, if costly.
    const now = this.clock();
    for (const [k, l] of this.leases) {
      if (this.leases.size <= this.maxSessions) return;
      if (l.expiresAt <= now && !l.pending) this.leases.delete(k);
    }
    for (const [k, l] of this.leases) {
      if (this.leases.size <= this.maxSessions) return;
      if (!l.pending) this.leases.delete(k);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.leases.values()].map((l) => l.pending));
    const now = this.clock();
    const leases = [...this.leases].filter(([, l]) => l.expiresAt > now && l.reserved >= 0).map(([sessionId, l]) => ({ sessionId, owner: this.owner, highest: Math.max(l.top, l.floor) }));
    this.leases.clear();
    if (leases.length) await this.ledger.release(leases);
  }
}
