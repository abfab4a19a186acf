import { recordAlerts } from '../detection/record-alerts';
import type { SigningRefusal } from './checkpoint-guard';

/** The refusal this process's signer is in, if any, since when, and for which history. */
interface Alarm {
  readonly refusal: SigningRefusal;
  readonly since: number;
  /** When the guard last ran for it (a halted signer re-checks at most once a minute). */
  checkedAt: number;
}

const holder = globalThis as typeof globalThis & { __pqgateAuditAlarm?: Alarm };

/** A halted signer re-runs its check (which reads every event since its last signature) at most this often. */
export const RECHECK_MS = 60_000;

/** The current refusal of this process's signer (shown on the Audit page), if any. */
export function currentSigningRefusal(): (SigningRefusal & { since: Date }) | undefined {
  const a = holder.__pqgateAuditAlarm;
  return a ? { ...a.refusal, since: new Date(a.since) } : undefined;
}

/** A recent refusal to repeat without re-reading the log, while the signer stays halted. */
export function recentRefusal(now = Date.now()): SigningRefusal | undefined {
  const a = holder.__pqgateAuditAlarm;
  return a && now - a.checkedAt < RECHECK_MS ? a.refusal : undefined;
}

/** Signing succeeded: the history is consistent again (restored from a backup, say). */
export function clearSigningRefusal(): void {
  holder.__pqgateAuditAlarm = undefined;
}

/**
 * Records a refusal; raises the critical alert "Audit history rewritten" when it is new (not
 * when the same refusal repeats, so the alert's own audit event cannot loop through here).
 */
export async function reportSigningRefusal(refusal: SigningRefusal, now = Date.now()): Promise<void> {
  const previous = holder.__pqgateAuditAlarm;
  const same = previous && previous.refusal.kind === refusal.kind && previous.refusal.signedSize === refusal.signedSize;
  holder.__pqgateAuditAlarm = same ? { ...previous, refusal, checkedAt: now } : { refusal, since: now, checkedAt: now };
  if (same) return;
  console.error(`pqgate: audit checkpoint signing stopped: ${refusal.message}`);
  await recordAlerts([
    {
      kind: 'audit_history_rewritten',
      severity: 'critical',
      dedupKey: 'audit_history_rewritten',
      title: refusal.kind === 'rollback' ? 'Audit history rolled back: checkpoint signing stopped' : 'Audit history rewritten: checkpoint signing stopped',
      at: now,
      details: { refusal: refusal.kind, signedSize: refusal.signedSize, size: refusal.size, message: refusal.message },
    },
  ]);
}
