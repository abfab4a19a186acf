import type { SeqLedger } from '@/gateway/channel';
import { db, type PrismaClient } from '../db';

/** Rows are kept this long after their ticket expired: a replica whose clock runs late still finds them. */
const EXPIRY_SLACK_MS = 10 * 60_000;
/** How often expired rows are deleted. */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The channel's sequence-number ledger in the database (`ChannelSeqLease`): the shared, durable
 * half of at-most-once per record across restarts and replicas (gateway/channel/replay-guard.ts).
 * Each claim is one atomic statement, so two replicas taking a session over at once still get
 * disjoint reservations.
 */
export class PrismaSeqLedger implements SeqLedger {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: PrismaClient = db,
    private readonly onError: (error: unknown) => void = (error) => console.error('pqgate: pruning expired channel leases failed', error),
  ) {
    this.timer = setInterval(() => void this.prune().catch(this.onError), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async claim(sessionId: string, owner: string, upTo: number, expiresAt: number): Promise<number> {
    // On conflict the SET expressions read the row as it was: the new floor is the old reservation.
    const rows = await this.client.$queryRaw<{ floor: bigint }[]>`
      INSERT INTO "ChannelSeqLease" ("sessionId", "owner", "floor", "reserved", "expiresAt")
      VALUES (${sessionId}, ${owner}, -1, ${upTo}, ${new Date(expiresAt)})
      ON CONFLICT ("sessionId") DO UPDATE SET
        "owner" = EXCLUDED."owner",
        "floor" = "ChannelSeqLease"."reserved",
        "reserved" = GREATEST("ChannelSeqLease"."reserved", EXCLUDED."reserved")
      RETURNING "floor"`;
    return Number(rows[0]!.floor);
  }

  async extend(sessionId: string, owner: string, upTo: number): Promise<boolean> {
    const n = await this.client.$executeRaw`
      UPDATE "ChannelSeqLease" SET "reserved" = GREATEST("reserved", ${upTo})
      WHERE "sessionId" = ${sessionId} AND "owner" = ${owner}`;
    return n === 1;
  }

  async release(leases: readonly { sessionId: string; owner: string; highest: number }[]): Promise<void> {
    // One statement per chunk (shutdown must be quick); never below the floor, so numbers fenced
    // at a take-over stay fenced.
    for (let i = 0; i < leases.length; i += 1000) {
      const chunk = leases.slice(i, i + 1000);
      await this.client.$executeRaw`
        UPDATE "ChannelSeqLease" AS l SET "reserved" = GREATEST(l."floor", v."highest")
        FROM unnest(${chunk.map((l) => l.sessionId)}::text[], ${chunk.map((l) => l.owner)}::text[], ${chunk.map((l) => l.highest)}::bigint[]) AS v("sessionId", "owner", "highest")
        WHERE l."sessionId" = v."sessionId" AND l."owner" = v."owner"`;
    }
  }

  /** Deletes rows of tickets that expired more than the slack ago. */
  async prune(now = Date.now()): Promise<number> {
    return this.client.$executeRaw`DELETE FROM "ChannelSeqLease" WHERE "expiresAt" < ${new Date(now - EXPIRY_SLACK_MS)}`;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
