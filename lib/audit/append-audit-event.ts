import { auditEventLeafHash } from '@/gateway/audit/event';
import { db } from '../db';

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
  /** Never raw secrets: callers pass fingerprints or prefixes. */
  details?: Record<string, unknown>;
}

/**
 * The RFC 9162 leaf hash of an entry: SHA-256(0x00 || canonical JSON). The time is part
 * of the leaf so that editing it is detected like editing anything else.
 */
export function auditLeafHash(entry: AuditEntry, time: Date): Uint8Array<ArrayBuffer> {
  return new Uint8Array(auditEventLeafHash({ ...entry, details: entry.details ?? {}, time }));
}

/** Appends entries to the audit log in one transaction, in order. */
export async function appendAuditEvents(entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const time = new Date();
  await db.auditEvent.createMany({
    data: entries.map((e) => ({
      time,
      actorType: e.actorType,
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      decision: e.decision ?? null,
      suite: e.suite ?? null,
      requestId: e.requestId ?? null,
      details: (e.details ?? {}) as object,
      leafHash: auditLeafHash(e, time),
    })),
  });
}

export function appendAuditEvent(entry: AuditEntry): Promise<void> {
  return appendAuditEvents([entry]);
}
