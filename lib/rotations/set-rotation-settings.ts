import { db } from '../db';
import { ROTATION_SETTINGS, type RotationSettings } from './rotation-settings';

/** Stores the rotation settings every replica reads. Applies to requests opened from now on. */
export async function setRotationSettings(input: RotationSettings): Promise<RotationSettings> {
  await db.$transaction([
    db.setting.upsert({ where: { key: ROTATION_SETTINGS.requiredApprovals }, create: { key: ROTATION_SETTINGS.requiredApprovals, value: input.requiredApprovals }, update: { value: input.requiredApprovals } }),
    db.setting.upsert({ where: { key: ROTATION_SETTINGS.overlapSeconds }, create: { key: ROTATION_SETTINGS.overlapSeconds, value: input.overlapSeconds }, update: { value: input.overlapSeconds } }),
  ]);
  return input;
}
