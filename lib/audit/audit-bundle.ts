import { BUNDLE_FORMAT, BUNDLE_VERSION, createAuditBundle, exportedEventFields, formatVerifierKey, MerkleTree, toBase64, type AuditBundle, type BundleEvent, type NoteVerifierKey } from '@/gateway/audit';
import type { PrismaClient } from '../db';
import { auditLogContext } from './audit-log-state';
import { auditVerifierKeys } from './audit-signer';
import { checkpointAuditLog } from './checkpoint-audit-log';
import { witnessCheckpoint } from './witness-checkpoint';

/** The columns an event's leaf hash covers (everything but `seq` and `leafHash`). */
export const HASHED_COLUMNS = { time: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true, decision: true, suite: true, requestId: true, details: true } as const;

/** What a bundle holds besides its events. */
export interface BundleHead {
  origin: string;
  keys: NoteVerifierKey[];
  /** Signed checkpoint notes, smallest first. */
  checkpoints: { size: number; note: string }[];
  /** The size of the newest checkpoint: events 0..size-1 are what it signs. */
  size: number;
}

/**
 * Signs a checkpoint of everything appended so far and, with a witness configured, waits for its
 * cosignature (so the bundle's newest checkpoint carries it); then reads keys and checkpoints.
 */
export async function readBundleHead(client: PrismaClient): Promise<BundleHead> {
  const { origin } = await auditLogContext(client);
  const latest = await checkpointAuditLog(client);
  if (latest) await witnessCheckpoint(client, latest);
  const size = latest?.size ?? 0;
  const rows = await client.checkpoint.findMany({ where: { treeSize: { lte: BigInt(size) } }, orderBy: { treeSize: 'asc' }, select: { treeSize: true, note: true } });
  return { origin, keys: await auditVerifierKeys(origin), checkpoints: rows.map((r) => ({ size: Number(r.treeSize), note: r.note })), size };
}

/** Stored events with `seq < to` (all when `to` is undefined) as bundle entries, in pages, with their stored leaf hashes. */
export async function* readBundleEvents(client: PrismaClient, to?: number, pageSize = 5_000): AsyncGenerator<{ entry: BundleEvent; leafHash: Uint8Array }[]> {
  let after: bigint | undefined;
  for (;;) {
    const rows = await client.auditEvent.findMany({
      where: { seq: { ...(after !== undefined && { gt: after }), ...(to !== undefined && { lt: BigInt(to) }) } },
      orderBy: { seq: 'asc' },
      take: pageSize,
      select: { seq: true, leafHash: true, ...HASHED_COLUMNS },
    });
    if (rows.length === 0) return;
    after = rows.at(-1)!.seq;
    yield rows.map(({ seq, leafHash, ...fields }) => {
      const hash = new Uint8Array(leafHash);
      return { entry: { seq: Number(seq), event: exportedEventFields(fields), leafHash: toBase64(hash) }, leafHash: hash };
    });
    if (rows.length < pageSize) return;
  }
}

/** Consistency proofs between consecutive checkpoints, from the tree over the stored leaf hashes. */
function proofsFor(head: BundleHead, tree: MerkleTree): AuditBundle['proofs'] {
  // A checkpoint beyond the stored events (rows deleted) has no proof; the verifier reports the gap.
  const checkpoints = head.checkpoints.filter((c) => c.size <= tree.size).map((c) => c.note);
  return createAuditBundle({ origin: head.origin, keys: [], checkpoints, events: [], tree, consistencyProofs: true }).proofs;
}

/**
 * The auditor's bundle as a stream of JSON text: a fresh checkpoint first, then events
 * 0..size-1 read in pages (never all in memory; the tree for the proofs costs 64 bytes per event).
 */
export function auditBundleStream(client: PrismaClient, exportedAt = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let parts: AsyncGenerator<string> | undefined;
  async function* generate(): AsyncGenerator<string> {
    const head = await readBundleHead(client);
    const opening = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, origin: head.origin, exportedAt: exportedAt.toISOString(), keys: head.keys.map(formatVerifierKey), checkpoints: head.checkpoints.map((c) => c.note) };
    yield `${JSON.stringify(opening).slice(0, -1)},"events":[`;
    const tree = new MerkleTree();
    let first = true;
    for await (const page of readBundleEvents(client, head.size)) {
      const text = page.map((e) => JSON.stringify(e.entry)).join(',\n');
      yield first ? `\n${text}` : `,\n${text}`;
      first = false;
      for (const e of page) tree.appendLeafHash(e.leafHash);
    }
    yield `\n],"proofs":${JSON.stringify(proofsFor(head, tree) ?? {})}}\n`;
  }
  return new ReadableStream({
    async pull(controller) {
      parts ??= generate();
      try {
        const { value, done } = await parts.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await parts?.return(undefined);
    },
  });
}
