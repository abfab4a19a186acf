import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { TrafficEvent } from '@/gateway/mcp/store';
import { appendAuditEvents } from '../audit/append-audit-event';
import { db } from '../db';

/**
 * Writes a batch of gateway decisions: one discovery edge per (identity, upstream, tool, suite)
 * with its counts, the identities' last use, and one audit event per decision.
 */
export async function recordTraffic(events: readonly TrafficEvent[], upstreamIds: ReadonlyMap<string, string>): Promise<void> {
  if (events.length === 0) return;
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
  for (const edge of edges.values()) {
    const lastSeenAt = new Date(edge.last);
    await db.discoveryEdge.upsert({
      where: { subject_upstreamId_toolName_suite: { subject: edge.subject, upstreamId: edge.upstreamId, toolName: edge.toolName, suite: edge.suite } },
      create: { subject: edge.subject, identityId: edge.identityId ?? null, upstreamId: edge.upstreamId, toolName: edge.toolName, suite: edge.suite, calls: edge.calls, allowed: edge.allowed, refused: edge.refused, firstSeenAt: lastSeenAt, lastSeenAt },
      update: { calls: { increment: edge.calls }, allowed: { increment: edge.allowed }, refused: { increment: edge.refused }, lastSeenAt },
    });
  }
  for (const [identityId, seen] of lastSeen) {
    await db.identity.updateMany({ where: { id: identityId }, data: { lastSeenAt: new Date(seen.at), lastSuite: seen.suite } });
  }
  await yieldToEventLoop();
  await appendAuditEvents(
    events.map((e) => ({
      actorType: e.identityId ? ('identity' as const) : ('gateway' as const),
      actorId: e.identityId ?? 'anonymous',
      action: `gateway.${e.method}`,
      targetType: e.tool ? 'tool' : 'upstream',
      targetId: e.tool ? `${e.upstream}/${e.tool}` : e.upstream,
      decision: e.decision,
      suite: e.suite,
      requestId: e.requestId,
      details: { code: e.code, rule: e.rule, epoch: e.epoch, transport: e.transport, latencyMs: e.latencyMs, upstreamError: e.upstreamError },
    })),
  );
}
