import { appendAuditEvents } from '../audit/append-audit-event';
import { recordAlerts } from '../detection/record-alerts';
import { storableString, type StorableTrafficEvent } from './storable-traffic';

/** An error in one short line: Prisma's messages start with blank lines and code excerpts. */
export function errorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // Prisma puts the database's own words last ("… Message: `…`").
  return storableString(lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : (lines[0] ?? 'unknown error'), 300);
}

/** Events this thread could not store, since it started (each is also logged and audited). */
let unstored = 0;

/** How many traffic events this thread could not store (tests, logs). */
export function unstoredTrafficCount(): number {
  return unstored;
}

/**
 * Accounts for a traffic event the audit log refused even alone (after storable-traffic.ts made
 * it storable: a failure nobody foresaw). It is never dropped silently:
 * - counted, and logged as one JSON line naming identity, server, tool, request id and why;
 * - recorded in the audit log as `gateway.traffic_unstored` under the event's request id, with
 *   only the fields that are plain and short (so a replay sees the call as accounted for);
 * - raised as a `traffic_unstored` alert per upstream (its count grows per event), so an admin
 *   sees it on the Alerts page.
 * If even that cannot be written, the log line is what remains (it says so).
 */
export async function recordUnstoredTraffic(e: StorableTrafficEvent, error: unknown): Promise<void> {
  unstored += 1;
  const why = errorSummary(error);
  const who = { identityId: e.identityId ?? 'anonymous', upstream: storableString(e.upstream, 64), tool: e.tool === undefined ? undefined : storableString(e.tool, 64), method: storableString(e.method, 64), requestId: storableString(e.requestId, 64) };
  console.error(JSON.stringify({ level: 'error', msg: 'pqgate traffic: event not stored in the audit log', ...who, decision: e.decision, why, unstoredSinceStart: unstored }));
  try {
    await appendAuditEvents([
      {
        actorType: 'system',
        actorId: 'gateway',
        action: 'gateway.traffic_unstored',
        targetType: who.tool === undefined ? 'upstream' : 'tool',
        targetId: who.tool === undefined ? who.upstream : `${who.upstream}/${who.tool}`,
        decision: 'error',
        requestId: who.requestId,
        details: { identityId: who.identityId, method: who.method, decision: e.decision, why },
      },
    ]);
    await recordAlerts([
      {
        kind: 'traffic_unstored',
        severity: 'high',
        dedupKey: `traffic_unstored:${who.upstream}`,
        title: `A gateway decision on ${who.upstream} could not be stored in the audit log`,
        at: Date.now(),
        ...(e.identityId ? { identityId: who.identityId } : {}),
        upstream: who.upstream,
        details: { requestId: who.requestId, method: who.method, ...(who.tool === undefined ? {} : { tool: who.tool }), why },
      },
    ]);
  } catch (again) {
    console.error(JSON.stringify({ level: 'error', msg: 'pqgate traffic: the unstored event could not be audited either; this log line is its only record', requestId: who.requestId, why: errorSummary(again) }));
  }
}
