import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PublicKeyRecord } from '@/gateway/channel';
import { getCryptoProvider, toHex, type CryptoProvider } from '@/gateway/crypto';
import type { Caller, GatewayStore, ListedTool, TrafficEvent, UpstreamConfig } from '@/gateway/mcp/store';
import type { PolicySnapshot } from '@/gateway/policy/snapshot';
import { gatewayHolder } from '../gateway-holder';
import { activeSigningKeyVersions, DatabaseTicketKeyRing, loadGatewaySigningKeys } from '../keys/gateway-keys';
import { buildCompiledState, type CompiledState } from './build-snapshot';
import { PrismaSeqLedger } from './prisma-seq-ledger';
import { bumpGatewayEpoch, onGatewayEpoch, readGatewayEpoch } from './gateway-epoch';
import { holdChangedTools, recordToolList } from './record-tool-list';
import { recordTraffic } from './record-traffic';

const encoder = new TextEncoder();
// SHA-256 is the same function whichever provider computes it, so it is looked up once: every
// bearer call hashes its token, and selecting the provider reads the environment each time.
let sha256: ReturnType<CryptoProvider['hash']> | undefined;

/** The SHA-256 of an API token, hex: how tokens are stored and looked up. */
export function apiTokenHash(token: string): string {
  sha256 ??= getCryptoProvider().hash('SHA-256');
  return toHex(sha256.digest(encoder.encode(token)));
}

/**
 * The app's GatewayStore: a compiled in-memory copy of everything the gateway looks up per
 * call, rebuilt when the gateway epoch changes (at once on the replica that changed it, within
 * a poll interval on the others), and batched writes for traffic and tool lists.
 */
export class PrismaGatewayStore implements GatewayStore {
  private state!: CompiledState;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private rebuilding?: Promise<void>;
  private pending?: number;
  /** The active signing keys and which versions they are; replaced (a new array) only when a rotation changes them. */
  private signing: { versions: string; keys: GatewayStore['channel']['gatewayKeys'] } = { versions: '', keys: [] };
  readonly channel: GatewayStore['channel'];
  private readonly seqLedger = new PrismaSeqLedger();
  /** Sees every traffic batch before it is written (detection); must not throw. */
  trafficObserver?: (events: readonly TrafficEvent[]) => void;
  /** Called after every rebuild (other replicas' changes arrive this way), off the request path. */
  afterRebuild?: () => Promise<void>;

  private constructor() {
    const store = this;
    this.channel = {
      identities: async (keyId: Uint8Array): Promise<PublicKeyRecord | null> => this.state.identityKeys.get(toHex(keyId))?.record ?? null,
      keyRing: new DatabaseTicketKeyRing(),
      seqLedger: this.seqLedger,
      // A getter: the gateway rebuilds its channel server when this array changes (gateway/mcp/gateway.ts).
      get gatewayKeys() {
        return store.signing.keys;
      },
    };
  }

  /** Loads the gateway keys and the first snapshot, then polls for changes every `pollMs`. */
  static async open(options: { pollMs?: number } = {}): Promise<PrismaGatewayStore> {
    const store = new PrismaGatewayStore();
    await store.rebuild(await readGatewayEpoch());
    store.unsubscribe = onGatewayEpoch((epoch) => store.rebuild(epoch));
    const pollMs = options.pollMs ?? 1000;
    if (pollMs > 0) {
      store.timer = setInterval(() => {
        readGatewayEpoch()
          .then((epoch) => (epoch !== store.state.snapshot.epoch ? store.rebuild(epoch) : undefined))
          .catch((error) => console.error('pqgate: gateway snapshot refresh failed; serving the previous one', error));
      }, pollMs);
      store.timer.unref();
    }
    return store;
  }

  /**
   * Rebuilds now. A rebuild asked for while one runs starts again once it finishes, so a change
   * committed during a rebuild is never missed.
   */
  async rebuild(epoch?: number): Promise<void> {
    if (this.rebuilding) {
      this.pending = epoch ?? this.pending ?? 0;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      try {
        let next: number | undefined = epoch;
        do {
          this.pending = undefined;
          this.state = await buildCompiledState(next ?? (await readGatewayEpoch()));
          await this.reloadSigningKeys();
          next = this.pending;
        } while (next !== undefined);
        void this.afterRebuild?.().catch((error) => console.error('pqgate: after snapshot rebuild', error));
      } finally {
        this.rebuilding = undefined;
      }
    })();
    return this.rebuilding;
  }

  /** A key rotation bumps the epoch; only then are the sealed seeds opened again. */
  private async reloadSigningKeys(): Promise<void> {
    const versions = await activeSigningKeyVersions();
    if (versions === this.signing.versions) return;
    this.signing = { versions, keys: await loadGatewaySigningKeys() };
  }

  snapshot(): PolicySnapshot {
    return this.state.snapshot;
  }

  upstream(slug: string): UpstreamConfig | undefined {
    return this.state.upstreamConfigs.get(slug);
  }

  authenticateToken(token: string): Caller | null {
    const found = this.state.tokens.get(apiTokenHash(token));
    if (!found) return null;
    if (found.expiresAt !== null && found.expiresAt <= Date.now()) return null;
    return found.caller;
  }

  callerForKey(keyIdHex: string): Caller | null {
    return this.state.identityKeys.get(keyIdHex.toLowerCase())?.caller ?? null;
  }

  async recordTraffic(events: readonly TrafficEvent[]): Promise<void> {
    this.trafficObserver?.(events);
    const { upstreamIds } = this.state;
    const writeHere = async () => {
      // Detection and each step of the write take milliseconds on a full batch; the gateway answers
      // calls in between instead of after all of them (with the embedded database opened in this
      // thread, as `next start` alone does, its queries run here too).
      await yieldToEventLoop();
      return recordTraffic(events, upstreamIds);
    };
    const writer = gatewayHolder.__pqgateTrafficWriter;
    return writer ? writer(events, upstreamIds, writeHere) : writeHere();
  }

  async recordToolList(upstream: string, tools: readonly ListedTool[]): Promise<void> {
    const changes = await recordToolList(upstream, tools);
    // Bumping rebuilds this store (it listens) and tells the other replicas.
    if (changes.added.length || changes.held.length || changes.removed.length) await bumpGatewayEpoch();
  }

  async holdChangedTools(upstream: string, tools: readonly ListedTool[]): Promise<void> {
    // Rebuilt here before resolving (not only on the epoch notification): the caller relies on
    // this store's snapshot saying held once this resolves.
    if ((await holdChangedTools(upstream, tools)).length) await this.rebuild(await bumpGatewayEpoch());
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.seqLedger.close();
    this.unsubscribe?.();
  }
}
