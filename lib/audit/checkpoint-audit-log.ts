import { MerkleFrontier, signCheckpoint, type NoteSigner } from '@/gateway/audit';
import { env } from '../env';
import type { PrismaClient } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { auditLogContext, lockAuditLog, type AuditLogRow } from './audit-log-state';
import { auditSigner } from './audit-signer';
import { guardCheckpoint, type SigningRefusal } from './checkpoint-guard';
import { clearSigningRefusal, recentRefusal, reportSigningRefusal } from './history-alarm';
import { recordSignedHead, type SignedHead } from './signer-state';
import { witnessInBackground } from './witness-checkpoint';

/** The newest checkpoint: tree size and signed note. */
export interface LatestCheckpoint {
  size: number;
  note: string;
}

/** A checkpoint signed in a transaction, or the signer's refusal; `afterCheckpoint` finishes either once committed. */
export type CheckpointOutcome = { readonly signed: LatestCheckpoint; readonly head: SignedHead } | { readonly refused: SigningRefusal };

/**
 * Signs a checkpoint of `frontier` and records it, inside the transaction that holds the log
 * lock (so checkpoint sizes only grow and one size is never signed twice) — unless the tree
 * does not extend the last checkpoint this signer signed (checkpoint-guard.ts): then nothing is
 * signed, and the events stay unsigned until the history is restored.
 */
export async function writeCheckpoint(tx: Prisma.TransactionClient, origin: string, frontier: MerkleFrontier, signer: NoteSigner): Promise<CheckpointOutcome> {
  const recent = recentRefusal();
  const guard = recent ? { ok: false as const, refusal: recent } : await guardCheckpoint(tx, origin, frontier, signer);
  if (!guard.ok) return { refused: guard.refusal };
  const rootHash = frontier.root();
  const note = signCheckpoint({ origin, size: frontier.size, rootHash }, [signer]);
  const keyId = `${signer.key.name}+${signer.key.keyId.toString(16).padStart(8, '0')}`;
  await tx.checkpoint.create({ data: { treeSize: BigInt(frontier.size), rootHash: new Uint8Array(rootHash), note, keyFingerprint: keyId } });
  await tx.auditLog.update({ where: { id: 1 }, data: { checkpointSize: BigInt(frontier.size), checkpointAt: new Date() } });
  return { signed: { size: frontier.size, note }, head: { origin, size: frontier.size, rootHash, frontier: frontier.clone(), note } };
}

/**
 * After the transaction committed: a signed checkpoint becomes the signer's new head (only now,
 * so a transaction that fails never leaves a head the database does not hold) and goes to the
 * witness; a refusal raises the alert.
 */
export async function afterCheckpoint(client: PrismaClient, outcome: CheckpointOutcome | undefined): Promise<void> {
  if (!outcome) return;
  if ('refused' in outcome) return reportSigningRefusal(outcome.refused).catch((e) => console.error('pqgate: could not raise the audit history alert', e));
  try {
    recordSignedHead(outcome.head);
  } catch (e) {
    // The events are committed: never fail their append. The older head stays, which is safe
    // (the next check runs from an earlier checkpoint this signer did sign).
    console.error(`pqgate: could not write the audit signer state file: ${(e as Error).message}`);
  }
  clearSigningRefusal();
  witnessInBackground(client, outcome.signed);
}

/** Whether an append that leaves the log at `row`'s state (after the batch) is due a checkpoint. */
export function checkpointDue(row: Pick<AuditLogRow, 'checkpointSize' | 'checkpointAt'>, size: number, now = Date.now()): boolean {
  const e = env();
  if (size <= row.checkpointSize) return false;
  return size - row.checkpointSize >= e.PQGATE_AUDIT_CHECKPOINT_EVENTS || !row.checkpointAt || now - row.checkpointAt.getTime() >= e.PQGATE_AUDIT_CHECKPOINT_SECONDS * 1000;
}

/**
 * Signs a checkpoint of every event appended so far, unless the newest one already covers them;
 * returns the newest checkpoint (undefined while the log is empty or no gateway key exists).
 * Export and "verify now" call it first so that everything they read is signed.
 */
export async function checkpointAuditLog(client: PrismaClient): Promise<LatestCheckpoint | undefined> {
  const { origin } = await auditLogContext(client);
  const signer = await auditSigner(origin);
  const { outcome, latest } = await client.$transaction(
    async (tx) => {
      const row = await lockAuditLog(tx);
      // Whether the newest size is signed is read from the checkpoints themselves, not from the
      // row's checkpointSize alone: a writer who raised that number must not stop signing.
      const unsigned = row.size > 0 && (row.size > row.checkpointSize || !(await tx.checkpoint.findUnique({ where: { treeSize: BigInt(row.size) }, select: { id: true } })));
      const outcome = unsigned && signer && row.frontier ? await writeCheckpoint(tx, origin, MerkleFrontier.fromJSON(row.frontier), signer) : undefined;
      if (outcome && 'signed' in outcome) return { outcome, latest: outcome.signed };
      const stored = await tx.checkpoint.findFirst({ orderBy: { treeSize: 'desc' }, select: { treeSize: true, note: true } });
      return { outcome, latest: stored ? { size: Number(stored.treeSize), note: stored.note } : undefined };
    },
    { maxWait: 20_000, timeout: 60_000 },
  );
  await afterCheckpoint(client, outcome);
  return latest;
}

const timer = globalThis as typeof globalThis & { __pqgateAuditCheckpointTimer?: NodeJS.Timeout };

/**
 * Makes sure the events of a quiet period do not wait for the next append to be signed: one
 * timer per process, T seconds out. Off under tests (NODE_ENV=test), which checkpoint explicitly.
 */
export function scheduleCheckpoint(client: PrismaClient): void {
  if (env().NODE_ENV === 'test' || timer.__pqgateAuditCheckpointTimer) return;
  timer.__pqgateAuditCheckpointTimer = setTimeout(() => {
    timer.__pqgateAuditCheckpointTimer = undefined;
    checkpointAuditLog(client).catch((e) => console.error('pqgate: audit checkpoint failed', e));
  }, env().PQGATE_AUDIT_CHECKPOINT_SECONDS * 1000);
  timer.__pqgateAuditCheckpointTimer.unref();
}
