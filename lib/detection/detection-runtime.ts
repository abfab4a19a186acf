import { createBlocklist, createDetector, type AlertSignal, type DetectionPolicy, type DetectorOptions, type SourcedChannelEvent } from '@/gateway/detection';
import type { TrafficEvent } from '@/gateway/mcp';
import { db } from '../db';
import { recordAlerts } from './record-alerts';
import { publishBlocks, readSharedBlocks } from './shared-blocks';

export interface DetectionRuntimeOptions extends DetectorOptions {
  /** The policy in force (`PolicySnapshot.global`), read per event. */
  readonly policy: () => DetectionPolicy;
  /** Alert occurrences are written this often at most (they are coalesced per dedup key). Default 200 ms. */
  readonly flushMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The gateway's detection in the app: channel events and traffic batches go through the pure
 * detectors; blocks take effect at once in this process and reach the other replicas through
 * the database within their poll interval; alerts are written shortly after, coalesced, off the
 * request path.
 */
export function createDetectionRuntime(options: DetectionRuntimeOptions) {
  const detector = createDetector(options);
  const blocklist = createBlocklist();
  const flushMs = options.flushMs ?? 200;
  const onError = options.onError ?? ((e: unknown) => console.error('pqgate detection:', e));
  let pending: AlertSignal[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    timer = undefined;
    const batch = pending;
    pending = [];
    // Serialised: two batches never race on one dedup key.
    writing = writing.then(() => (batch.length ? recordAlerts(batch) : undefined)).catch(onError);
    return writing;
  }

  function raise(signals: AlertSignal[]): void {
    if (!signals.length) return;
    const blocks = signals.flatMap((s) => (s.block ? [s.block] : []));
    for (const b of blocks) blocklist.block(b.source, b.until);
    if (blocks.length) void publishBlocks(blocks).catch(onError);
    pending.push(...signals);
    timer ??= setTimeout(() => void flush(), flushMs);
  }

  return {
    /** The gateway's `channelEvents` sink. */
    channelEvent(e: SourcedChannelEvent): void {
      raise(detector.channel(e, options.policy()));
    },
    /** Called with each batch of traffic events the gateway records. */
    traffic(events: readonly TrafficEvent[]): void {
      const policy = options.policy();
      raise(events.flatMap((e) => detector.traffic(e, policy)));
    },
    /** The gateway's `isBlocked` hook. */
    isBlocked(source: string): boolean {
      return blocklist.blockedUntil(source) !== null;
    },
    /** Applies the blocks other replicas shared (called whenever the gateway snapshot is rebuilt). */
    async syncBlocks(): Promise<void> {
      for (const b of await readSharedBlocks()) blocklist.block(b.source, b.until);
    },
    /** Seeds "this identity has used post-quantum" from the identities' last suites and discovery edges. */
    async seed(): Promise<void> {
      const [identities, edges] = await Promise.all([
        db.identity.findMany({ where: { lastSuite: { not: null } }, select: { id: true, lastSuite: true } }),
        db.discoveryEdge.findMany({ where: { identityId: { not: null }, suite: { not: 'classical-bearer' } }, distinct: ['identityId', 'suite'], select: { identityId: true, suite: true } }),
      ]);
      for (const i of identities) detector.seenSuite(i.id, i.lastSuite!);
      for (const e of edges) detector.seenSuite(e.identityId!, e.suite);
    },
    /** Writes what is pending (shutdown, tests). */
    flush,
    close(): Promise<void> {
      if (timer) clearTimeout(timer);
      return flush();
    },
  };
}

export type DetectionRuntime = ReturnType<typeof createDetectionRuntime>;
