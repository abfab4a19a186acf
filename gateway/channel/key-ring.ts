/**
 * Versioned ring of ticket keys shared by every gateway replica. Cookies and tickets are sealed
 * under the current key; older keys stay accepted down to the ring's minimum version. The app
 * backs this with the database; `InMemoryTicketKeyRing` serves tests and single-process use.
 */
import { assertBytes, getCryptoProvider } from '../crypto';
import { GatewayError } from '../errors';

/** One ring key: 32 random bytes and its version. */
export interface TicketKey {
  readonly version: number;
  readonly key: Uint8Array;
}

/** What the channel needs from a key ring. */
export interface TicketKeyRing {
  /** The key new cookies and tickets are sealed under. */
  current(): Promise<TicketKey>;
  /** The key of `version`, or null when unknown or retired. */
  get(version: number): Promise<TicketKey | null>;
  /** State sealed under a lower version is refused. */
  minimumVersion(): Promise<number>;
}

/** In-memory ring: `rotate()` adds a new current key, `raiseMinimum()` retires older ones. */
export class InMemoryTicketKeyRing implements TicketKeyRing {
  private readonly keys = new Map<number, TicketKey>();
  private currentVersion = 0;
  private minimum = 1;

  constructor(
    initial?: Uint8Array,
    private readonly random: (n: number) => Uint8Array = (n) => getCryptoProvider().randomBytes(n),
  ) {
    this.add(initial ? assertBytes(initial, 32, 'ticket key') : this.random(32));
  }

  private add(key: Uint8Array): TicketKey {
    const k = { version: ++this.currentVersion, key };
    this.keys.set(k.version, k);
    return k;
  }

  /** Adds a fresh key and makes it current; older keys stay valid until `raiseMinimum`. */
  rotate(key?: Uint8Array): TicketKey {
    return this.add(key ? assertBytes(key, 32, 'ticket key') : this.random(32));
  }

  /** Refuses everything sealed under versions below `version` and forgets those keys. */
  raiseMinimum(version: number): void {
    if (!Number.isInteger(version) || version < this.minimum || version > this.currentVersion) {
      throw new GatewayError('invalid_argument', `minimum version must be in ${this.minimum}..${this.currentVersion}`);
    }
    this.minimum = version;
    for (const [v, k] of this.keys) {
      if (v < version) {
        k.key.fill(0);
        this.keys.delete(v);
      }
    }
  }

  async current(): Promise<TicketKey> {
    return this.keys.get(this.currentVersion)!;
  }

  async get(version: number): Promise<TicketKey | null> {
    return version >= this.minimum ? (this.keys.get(version) ?? null) : null;
  }

  async minimumVersion(): Promise<number> {
    return this.minimum;
  }
}
