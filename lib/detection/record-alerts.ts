import type { AlertSignal } from '@/gateway/detection';
import { appendAuditEvents } from '../audit/append-audit-event';
import { db } from '../db';

/** The audit actor of an alert's occurrences: who or what raised it. */
export function alertActor(a: { source?: string | null; identityId?: string | null }): string {
  return a.identityId ?? a.source ?? 'gateway';
}

async function identityForKey(displayKeyId: string): Promise<string | null> {
  // Channel events name keys by their display id: the first 8 bytes of the key id, in hex.
  const prefix = displayKeyId.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(prefix)) return null;
  const key = await db.key.findFirst({ where: { purpose: 'identity', fingerprint: { startsWith: prefix } }, select: { identityId: true } });
  return key?.identityId ?? null;
}

/**
 * Writes alert occurrences: one Alert row per dedup key whose count, last-seen time and
 * details move with each occurrence (a resolved alert that fires again is open again), and one
 * audit event per alert and batch, so every alert links to the gateway decisions behind it.
 */
export async function recordAlerts(signals: readonly AlertSignal[]): Promise<void> {
  const groups = new Map<string, { last: AlertSignal; first: number; count: number }>();
  for (const s of signals) {
    const g = groups.get(s.dedupKey);
    if (g) {
      g.count += 1;
      g.first = Math.min(g.first, s.at);
      if (s.at >= g.last.at) g.last = s;
    } else groups.set(s.dedupKey, { last: s, first: s.at, count: 1 });
  }
  const slugs = [...new Set([...groups.values()].flatMap((g) => (g.last.upstream ? [g.last.upstream] : [])))];
  const upstreamIds = new Map((await db.upstream.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } })).map((u) => [u.slug, u.id]));
  const audit = [];
  for (const { last: s, first, count } of groups.values()) {
    const identityId = s.identityId ?? (s.identityKeyId ? await identityForKey(s.identityKeyId) : null);
    const upstreamId = s.upstream ? (upstreamIds.get(s.upstream) ?? null) : null;
    const details = { ...s.details, ...(s.identityKeyId ? { identityKeyId: s.identityKeyId } : {}), ...(s.upstream ? { upstream: s.upstream } : {}) };
    const alert = await db.alert.upsert({
      where: { dedupKey: s.dedupKey },
      create: { kind: s.kind, severity: s.severity, dedupKey: s.dedupKey, title: s.title, details, source: s.source ?? null, identityId, upstreamId, count, firstSeenAt: new Date(first), lastSeenAt: new Date(s.at) },
      update: { severity: s.severity, title: s.title, details, count: { increment: count }, lastSeenAt: new Date(s.at), ...(identityId ? { identityId } : {}), ...(upstreamId ? { upstreamId } : {}) },
      select: { id: true },
    });
    await db.alert.updateMany({ where: { id: alert.id, status: 'resolved' }, data: { status: 'open', acknowledgedById: null, resolvedById: null } });
    audit.push({
      actorType: identityId ? ('identity' as const) : ('gateway' as const),
      actorId: alertActor({ identityId, source: s.source }),
      action: `detection.${s.kind}`,
      targetType: 'alert',
      targetId: alert.id,
      ...(s.block ? { decision: 'deny' as const } : {}),
      suite: typeof s.details.suite === 'string' ? s.details.suite : undefined,
      details: { ...details, severity: s.severity, occurrences: count, ...(s.source ? { source: s.source } : {}) },
    });
  }
  await appendAuditEvents(audit);
}
