import { BUNDLE_FORMAT, BUNDLE_VERSION, formatVerifierKey, verifyBundle, type AuditProblem, type BundleEvent } from '@/gateway/audit';
import type { PrismaClient } from '../db';
import { readBundleEvents, readBundleHead } from './audit-bundle';

/** The outcome of "verify now", as the console shows it. */
export interface AuditLogVerification {
  valid: boolean;
  eventCount: number;
  checkpointCount: number;
  /** Events 0..verifiedSize-1 match a signed checkpoint. */
  verifiedSize: number;
  firstBad?: AuditProblem;
  /** The first problems found (at most 20). */
  problems: AuditProblem[];
  checkedAt: string;
}

/**
 * Recomputes the whole tree from the stored events and checks every checkpoint with the
 * gateway's keys from the key table: the auditor's offline check (`verifyBundle`), run on what
 * the database holds now. It also flags rows beyond the log's size, which no append wrote (an
 * offline bundle cannot tell those from events not yet signed).
 */
export async function verifyAuditLog(client: PrismaClient): Promise<AuditLogVerification> {
  const head = await readBundleHead(client);
  const events: BundleEvent[] = [];
  for await (const page of readBundleEvents(client)) for (const e of page) events.push(e.entry);
  // Read after the events: every legitimately appended row read above is below this size.
  const log = await client.auditLog.findUnique({ where: { id: 1 }, select: { size: true } });
  const size = Number(log?.size ?? 0);
  const result = verifyBundle(
    { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, origin: head.origin, keys: head.keys.map(formatVerifierKey), checkpoints: head.checkpoints.map((c) => c.note), events },
    { trustedKeys: head.keys },
  );
  const problems = [...result.problems];
  const stray = events.find((e) => e.seq >= size);
  if (stray) problems.push({ kind: 'sequence_mismatch', seq: stray.seq, message: `event ${stray.seq} lies beyond the log's ${size} appended events: it was written outside the log` });
  const firstBad = result.firstBad ?? problems[0];
  return {
    valid: problems.length === 0,
    eventCount: result.eventCount,
    checkpointCount: result.checkpointCount,
    verifiedSize: result.verifiedSize,
    ...(firstBad && { firstBad }),
    problems: problems.slice(0, 20),
    checkedAt: new Date().toISOString(),
  };
}
