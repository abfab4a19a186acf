import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { auditEventLeafHash, MerkleFrontier } from '@/gateway/audit';
import { db, type PrismaClient } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { auditLogContext, lockAuditLog } from './audit-log-state';
import { auditSigner } from './audit-signer';
import { afterCheckpoint, checkpointDue, scheduleCheckpoint, writeCheckpoint } from './checkpoint-audit-log';
import { pseudonymizeEntry } from './pseudonymize';

/** One audit entry: who did what to which target, and with what outcome. */
export interface AuditEntry {
  actorType: 'user' | 'identity' | 'gateway' | 'system';
  actorId: string;
  action: string;
  targetType?: string;
  targetId?: string;
  decision?: 'allow' | 'deny' | 'monitor' | 'ok' | 'refused' | 'error';
  suite?: string;
  requestId?: string;
  /** Never raw secrets: callers pass fingerprints or ids (secret-named keys are dropped anyway). */
  details?: Record<string, unknown>;
}

/**
 * The RFC 9162 leaf hash of an entry: SHA-256(0x00 || canonical JSON). The time is part
 * of the leaf so that editing it is detected like editing anything else.
 */
export function auditLeafHash(entry: AuditEntry, time: Date): Uint8Array<ArrayBuffer> {
  return new Uint8Array(auditEventLeafHash({ ...entry, details: entry.details ?? {}, time }));
}

/** Where a batch landed: its first sequence number, the log's new size, and whether it was signed. */
export interface AppendResult {
  firstSeq: number;
  size: number;
  checkpointed: boolean;
}

/**
 * Appends entries to the audit log on `client`, in order, in one transaction that holds the
 * log's row lock: the batch takes the sequence numbers (= leaf indexes) after the previous
 * batch of any writer, and extends the stored Merkle frontier. Sensitive fields are
 * pseudonymised first (see pseudonymize.ts). The batch that crosses
 * PQGATE_AUDIT_CHECKPOINT_EVENTS unsigned events, or the first one after
 * PQGATE_AUDIT_CHECKPOINT_SECONDS, also signs a checkpoint.
 */
export async function appendAuditEventsTo(client: PrismaClient, entries: readonly AuditEntry[]): Promise<AppendResult | undefined> {
  if (entries.length === 0) return undefined;
  const { origin, salt } = await auditLogContext(client);
  // Outside the transaction: on the embedded database a query beside an open transaction waits for it.
  const signer = await auditSigner(origin);
  const time = new Date();
  const rows = entries.map((raw) => {
    const e = pseudonymizeEntry(raw, salt);
    return {
      time,
      actorType: e.actorType,
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      decision: e.decision ?? null,
      suite: e.suite ?? null,
      requestId: e.requestId ?? null,
      details: e.details as object,
      leafHash: auditLeafHash(e, time),
    };
  });
  // Hashing a large batch takes milliseconds, and so does the transaction: let requests through between.
  await yieldToEventLoop();
  const result = await client.$transaction(
    async (tx) => {
      const log = await lockAuditLog(tx);
      if (!log.frontier) throw new Error('the audit log frontier is not initialised');
      const frontier = MerkleFrontier.fromJSON(log.frontier);
      if (frontier.size !== log.size) throw new Error(`the audit log row is inconsistent (size ${log.size}, frontier of ${frontier.size})`);
      const firstSeq = frontier.size;
      await insertEvents(tx, firstSeq, rows);
      await yieldToEventLoop();
      frontier.appendAll(rows.map((r) => r.leafHash));
      await tx.auditLog.update({ where: { id: 1 }, data: { size: BigInt(frontier.size), frontier: frontier.toJSON() as object } });
      const due = signer !== undefined && checkpointDue(log, frontier.size);
      const checkpoint = due ? await writeCheckpoint(tx, origin, frontier, signer) : undefined;
      return { firstSeq, size: frontier.size, checkpointed: checkpoint !== undefined && 'signed' in checkpoint, checkpoint };
    },
    { maxWait: 20_000, timeout: 60_000 },
  );
  const { checkpoint, ...appended } = result;
  await afterCheckpoint(client, checkpoint);
  if (!appended.checkpointed) scheduleCheckpoint(client);
  return appended;
}

type EventRow = Omit<Prisma.AuditEventCreateManyInput, 'seq' | 'leafHash' | 'time' | 'details'> & { time: Date; details: object; leafHash: Uint8Array };

/**
 * One INSERT for the whole batch, its rows passed as one JSON parameter: several times faster on
 * the embedded database than `createMany`, which binds every column of every row separately.
 */
async function insertEvents(tx: Prisma.TransactionClient, firstSeq: number, rows: readonly EventRow[]): Promise<void> {
  const json = JSON.stringify(rows.map((r, i) => ({ ...r, seq: firstSeq + i, time: r.time.toISOString(), leafHash: Buffer.from(r.leafHash).toString('hex') })));
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("seq", "time", "actorType", "actorId", "action", "targetType", "targetId", "decision", "suite", "requestId", "details", "leafHash")
    SELECT r."seq", r."time", r."actorType", r."actorId", r."action", r."targetType", r."targetId", r."decision", r."suite", r."requestId", r."details", decode(r."leafHash", 'hex')
    FROM jsonb_to_recordset(${json}::jsonb) AS r("seq" bigint, "time" timestamp(3), "actorType" text, "actorId" text, "action" text, "targetType" text, "targetId" text, "decision" text, "suite" text, "requestId" text, "details" jsonb, "leafHash" text)`;
}

/** Appends entries to the audit log in one transaction, in order (see `appendAuditEventsTo`). */
export async function appendAuditEvents(entries: AuditEntry[]): Promise<void> {
  await appendAuditEventsTo(db, entries);
}

export function appendAuditEvent(entry: AuditEntry): Promise<void> {
  return appendAuditEvents([entry]);
}
