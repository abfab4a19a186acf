import { MerkleFrontier, signCheckpoint, type NoteSigner } from '@/gateway/audit';
import { env } from '../env';
import type { PrismaClient } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { auditLogContext, lockAuditLog, type AuditLogRow } from './audit-log-state';
import { auditSigner } from './audit-signer';

/** The newest checkpoint: tree size and signed note. */
export interface LatestCheckpoint {
  size: number;
  note: string;
}

/**
 * Signs a checkpoint of `frontier` and records it, inside the transaction that holds the log
 * lock (so checkpoint sizes only grow and one size is never signed twice).
 */
export async function writeCheckpoint(tx: Prisma.TransactionClient, origin: string, frontier: MerkleFrontier, signer: NoteSigner): Promise<LatestCheckpoint> {
  const rootHash = frontier.root();
  const note = signCheckpoint({ origin, size: frontier.size, rootHash }, [signer]);
  const keyId = `${signer.key.name}+${signer.key.keyId.toString(16).padStart(8, '0')}`;
  await tx.checkpoint.create({ data: { treeSize: BigInt(frontier.size), rootHash: new Uint8Array(rootHash), note, keyFingerprint: keyId } });
  await tx.auditLog.update({ where: { id: 1 }, data: { checkpointSize: BigInt(frontier.size), checkpointAt: new Date() } });
  return { size: frontier.size, note };
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
  return client.$transaction(
    async (tx) => {
      const row = await lockAuditLog(tx);
      if (row.size > row.checkpointSize && signer && row.frontier) {
        return writeCheckpoint(tx, origin, MerkleFrontier.fromJSON(row.frontier), signer);
      }
      const latest = await tx.checkpoint.findFirst({ orderBy: { treeSize: 'desc' }, select: { treeSize: true, note: true } });
      return latest ? { size: Number(latest.treeSize), note: latest.note } : undefined;
    },
    { maxWait: 20_000, timeout: 60_000 },
  );
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
