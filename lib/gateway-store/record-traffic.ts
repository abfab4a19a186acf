import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { appendAuditEvents, type AuditEntry } from '../audit/append-audit-event';
import { db, dbConnection } from '../db';
import { errorSummary, recordUnstoredTraffic } from './record-unstored-traffic';
import { storableTrafficEvent, type StorableTrafficEvent } from './storable-traffic';

/**
 * Thrown when a batch could not be written because the database cannot be reached: nothing of
 * it is lost (the caller keeps the events and tries again; a retry stores each event once).
 */
export class TrafficStoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the database cannot be reached (${errorSummary(cause)}); the traffic batch is kept and written again`);
    this.name = 'TrafficStoreUnavailable';
  }
}

/**
 * Writes a batch of gateway decisions: one audit event per decision, then one discovery edge
 * per (identity, upstream, tool, suite) with its counts and the identities' last use.
 *
 * One bad value never costs the other events (docs/audit.md, "Hostile values"):
 * - every event is made storable first (storable-traffic.ts);
 * - events already in the audit log (same request id: a retry, a journal replay) are skipped,
 *   so writing a batch again stores each event once;
 * - if the batch's audit append fails anyway while the database answers, each event is appended
 *   alone, and one that still fails is accounted for (record-unstored-traffic.ts) instead;
 * - discovery edges are written one by one, and one that fails is logged and skipped.
 *
 * Rejects only with {@link TrafficStoreUnavailable}: then no event was lost and the batch may be
 * written again.
 */
export async function recordTraffic(raw: readonly TrafficEvent[], upstreamIds: ReadonlyMap<string, string>): Promise<void> {
  if (raw.length === 0) return;
  const events = await unrecorded(raw.map(storableTrafficEvent));
  if (events.length === 0) return;
  await appendTrafficAudit(events);
  await yieldToEventLoop();
  await recordDiscovery(events, upstreamIds);
}

/** The events whose request id is not in the audit log yet (first of each id in the batch). */
async function unrecorded(events: readonly StorableTrafficEvent[]): Promise<StorableTrafficEvent[]> {
  const ids = [...new Set(events.map((e) => e.requestId))];
  let found: { requestId: string | null }[];
  try {
    found = await db.auditEvent.findMany({ where: { requestId: { in: ids }, action: { startsWith: 'gateway.' } }, select: { requestId: true } });
  } catch (error) {
    throw new TrafficStoreUnavailable(error);
  }
  const seen = new Set(found.map((f) => f.requestId));
  return events.filter((e) => !seen.has(e.requestId) && (seen.add(e.requestId), true));
}

/** The audit entry of one decision. */
export function trafficAuditEntry(e: StorableTrafficEvent): AuditEntry {
  return {
    actorType: e.identityId ? 'identity' : 'gateway',
    actorId: e.identityId ?? 'anonymous',
    action: `gateway.${e.method}`,
    targetType: e.tool ? 'tool' : 'upstream',
    targetId: e.tool ? `${e.upstream}/${e.tool}` : e.upstream,
    decision: e.decision,
    suite: e.suite,
    requestId: e.requestId,
    // `at`: when the gateway decided (the event's own time is when the log appended it: later after a crash or an outage).
    details: { at: e.time, code: e.code, rule: e.rule, epoch: e.epoch, transport: e.transport, latencyMs: e.latencyMs, upstreamError: e.upstreamError, ...(e.sanitized ? { sanitized: e.sanitized } : {}) },
  };
}

async function appendTrafficAudit(events: readonly StorableTrafficEvent[]): Promise<void> {
  try {
    await appendAuditEvents(events.map(trafficAuditEntry));
    return;
  } catch (error) {
    await assertReachable(error);
  }
  // The database answers, so something in the batch was refused: find what, one event at a time.
  for (const e of events) {
    try {
      await appendAuditEvents([trafficAuditEntry(e)]);
    } catch (error) {
      await assertReachable(error);
      await recordUnstoredTraffic(e, error);
    }
  }
}

/** Throws {@link TrafficStoreUnavailable} unless the database answers a trivial query. */
async function assertReachable(error: unknown): Promise<void> {
  try {
    await dbConnection().sql.query('SELECT 1');
  } catch {
    throw new TrafficStoreUnavailable(error);
  }
}

async function recordDiscovery(events: readonly StorableTrafficEvent[], upstreamIds: ReadonlyMap<string, string>): Promise<void> {
  const edges = new Map<string, { subject: string; identityId?: string; upstreamId: string; toolName: string; suite: string; calls: number; allowed: number; refused: number; last: number }>();
  const lastSeen = new Map<string, { at: number; suite: string }>();
  for (const e of events) {
    const upstreamId = upstreamIds.get(e.upstream);
    if (e.identityId) {
      const prev = lastSeen.get(e.identityId);
      if (!prev || prev.at < e.time) lastSeen.set(e.identityId, { at: e.time, suite: e.suite });
    }
    if (!upstreamId || e.method !== 'tools/call' || !e.tool) continue;
    const subject = e.identityId ?? 'anonymous';
    const key = [subject, upstreamId, e.tool, e.suite].join('\0');
    const edge = edges.get(key) ?? { subject, identityId: e.identityId, upstreamId, toolName: e.tool, suite: e.suite, calls: 0, allowed: 0, refused: 0, last: 0 };
    edge.calls += 1;
    if (e.decision === 'deny') edge.refused += 1;
    else edge.allowed += 1;
    edge.last = Math.max(edge.last, e.time);
    edges.set(key, edge);
  }
  // Counts, not evidence (the audit log above is): one edge that fails is logged, the rest land.
  const failed = (what: string, error: unknown) => console.error(`pqgate traffic: ${what} not updated: ${errorSummary(error)}`);
  for (const edge of edges.values()) {
    const lastSeenAt = new Date(edge.last);
    await db.discoveryEdge
      .upsert({
        where: { subject_upstreamId_toolName_suite: { subject: edge.subject, upstreamId: edge.upstreamId, toolName: edge.toolName, suite: edge.suite } },
        create: { subject: edge.subject, identityId: edge.identityId ?? null, upstreamId: edge.upstreamId, toolName: edge.toolName, suite: edge.suite, calls: edge.calls, allowed: edge.allowed, refused: edge.refused, firstSeenAt: lastSeenAt, lastSeenAt },
        update: { calls: { increment: edge.calls }, allowed: { increment: edge.allowed }, refused: { increment: edge.refused }, lastSeenAt },
      })
      .catch((error: unknown) => failed(`discovery edge ${JSON.stringify(edge.toolName.slice(0, 64))} (${edge.calls} call(s))`, error));
  }
  for (const [identityId, seen] of lastSeen) {
    await db.identity.updateMany({ where: { id: identityId }, data: { lastSeenAt: new Date(seen.at), lastSuite: seen.suite } }).catch((error: unknown) => failed(`last use of identity ${identityId}`, error));
  }
}
