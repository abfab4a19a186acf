import { db } from '../db';

/** Settings keys (shared by every replica through the Setting table). */
export const ROTATION_SETTINGS = {
  requiredApprovals: 'rotations.requiredApprovals',
  overlapSeconds: 'rotations.overlapSeconds',
} as const;

const DEFAULTS = { requiredApprovals: 1, overlapSeconds: 24 * 60 * 60 };
/** A key this close to its maximum age shows as due soon. */
export const DUE_SOON_FRACTION = 0.9;

export interface RotationSettings {
  /** Approvals by distinct approvers (none of them the requester) a rotation needs. */
  requiredApprovals: number;
  /** Default overlap window: how long a replaced key is still accepted. */
  overlapSeconds: number;
}

/** Reads the rotation settings, with defaults for unset or invalid values. */
export async function readRotationSettings(): Promise<RotationSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(ROTATION_SETTINGS) } }, select: { key: true, value: true } });
  const get = (key: string, fallback: number, max: number) => {
    const v = rows.find((r) => r.key === key)?.value;
    return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max ? v : fallback;
  };
  return {
    requiredApprovals: get(ROTATION_SETTINGS.requiredApprovals, DEFAULTS.requiredApprovals, 10),
    overlapSeconds: get(ROTATION_SETTINGS.overlapSeconds, DEFAULTS.overlapSeconds, 90 * 24 * 3600),
  };
}

/** When a key reaches its maximum age. */
export function keyExpiresAt(key: { createdAt: Date; activatedAt: Date | null; maxAgeDays: number }): Date {
  return new Date((key.activatedAt ?? key.createdAt).getTime() + key.maxAgeDays * 86_400_000);
}

/** `overdue` past its maximum age, `due` within the last tenth of it, else `ok`. */
export function keyDueness(key: { createdAt: Date; activatedAt: Date | null; maxAgeDays: number }, now = Date.now()): 'ok' | 'due' | 'overdue' {
  const start = (key.activatedAt ?? key.createdAt).getTime();
  const age = now - start;
  const max = key.maxAgeDays * 86_400_000;
  return age >= max ? 'overdue' : age >= max * DUE_SOON_FRACTION ? 'due' : 'ok';
}
