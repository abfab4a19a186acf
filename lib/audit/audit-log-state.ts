import { MerkleFrontier, type FrontierJson } from '@/gateway/audit';
import { getCryptoProvider } from '@/gateway/crypto';
import { env } from '../env';
import type { PrismaClient } from '../db';
import { openSecret, sealSecret } from '../keys/envelope';
import type { Prisma } from '../generated/prisma/client';

/** A Prisma client or an interactive transaction. */
export type AuditDb = PrismaClient | Prisma.TransactionClient;

export const SALT_CONTEXT = 'audit:pseudonym_salt:v1';

/** The locked log row (see `lockAuditLog`). */
export interface AuditLogRow {
  origin: string | null;
  size: number;
  frontier: FrontierJson | null;
  checkpointSize: number;
  checkpointAt: Date | null;
  saltSealed: Uint8Array | null;
}

/**
 * Locks the audit log's one row for the rest of the transaction (`SELECT … FOR UPDATE`): every
 * append and checkpoint takes this lock first, so writers in any number of processes take
 * turns and each batch gets the sequence numbers (leaf indexes) after the previous one.
 */
export async function lockAuditLog(tx: Prisma.TransactionClient): Promise<AuditLogRow> {
  const rows = await tx.$queryRaw<Record<string, unknown>[]>`SELECT "origin", "size", "frontier", "checkpointSize", "checkpointAt", "saltSealed" FROM "AuditLog" WHERE "id" = 1 FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new Error('the audit log row (AuditLog id 1) is missing: it is created by the migration audit_log_frontier and never deleted — restore it from a backup');
  return {
    origin: (row.origin as string | null) ?? null,
    size: Number(row.size),
    frontier: (row.frontier as FrontierJson | null) ?? null,
    checkpointSize: Number(row.checkpointSize),
    checkpointAt: row.checkpointAt ? new Date(row.checkpointAt as string | Date) : null,
    saltSealed: row.saltSealed ? new Uint8Array(row.saltSealed as Uint8Array) : null,
  };
}

/** What every append needs and that does not change: the log's origin and the pseudonym salt. */
export interface AuditLogContext {
  origin: string;
  salt: Uint8Array;
}

const contexts = new WeakMap<object, Promise<AuditLogContext>>();

/**
 * The log's origin and salt, read once per client. The first call on an installation fixes the
 * origin (from PQGATE_AUDIT_ORIGIN), creates the sealed salt, and rebuilds the frontier of events
 * written before the log kept one; all under the row lock, so replicas agree.
 */
export function auditLogContext(client: PrismaClient): Promise<AuditLogContext> {
  let ctx = contexts.get(client);
  if (!ctx) {
    ctx = openAuditLog(client);
    ctx.catch(() => contexts.delete(client));
    contexts.set(client, ctx);
  }
  return ctx;
}

async function openAuditLog(client: PrismaClient): Promise<AuditLogContext> {
  return client.$transaction(
    async (tx) => {
      const row = await lockAuditLog(tx);
      const origin = row.origin ?? env().PQGATE_AUDIT_ORIGIN;
      const saltSealed = row.saltSealed ?? sealSecret(getCryptoProvider().randomBytes(32), SALT_CONTEXT);
      const frontier = row.frontier ?? (await rebuildFrontier(tx, row.size)).toJSON();
      if (!row.origin || !row.saltSealed || !row.frontier) {
        await tx.auditLog.update({ where: { id: 1 }, data: { origin, saltSealed: new Uint8Array(saltSealed), frontier: frontier as unknown as Prisma.InputJsonValue } });
      }
      return { origin, salt: openSecret(saltSealed, SALT_CONTEXT) };
    },
    { maxWait: 20_000, timeout: 120_000 },
  );
}

/** The frontier of events stored before the log kept one (the migration renumbered them 0..size-1). */
async function rebuildFrontier(tx: Prisma.TransactionClient, size: number): Promise<MerkleFrontier> {
  const frontier = MerkleFrontier.empty();
  for await (const page of readLeafHashes(tx, 0, size)) frontier.appendAll(page);
  return frontier;
}

/**
 * Stored leaf hashes of events `from` ≤ seq < `to`, in order, in pages.
 * @throws Error when a sequence number is missing (the caller reports it as tampering).
 */
export async function* readLeafHashes(client: AuditDb, from: number, to: number, pageSize = 20_000): AsyncGenerator<Uint8Array[]> {
  for (let next = from; next < to; ) {
    const rows = await client.auditEvent.findMany({ where: { seq: { gte: BigInt(next), lt: BigInt(to) } }, orderBy: { seq: 'asc' }, take: pageSize, select: { seq: true, leafHash: true } });
    if (rows.length === 0) throw new Error(`audit event ${next} is missing`);
    const page: Uint8Array[] = [];
    for (const r of rows) {
      if (Number(r.seq) !== next) throw new Error(`audit event ${next} is missing`);
      page.push(new Uint8Array(r.leafHash));
      next++;
    }
    yield page;
  }
}
