import { db } from '../db';

const KEY = 'gateway.epoch';

/**
 * Marks that something the gateway decides from has changed (policy, floors, tools, identities,
 * tokens, keys). The replica that changed it rebuilds at once; the others notice on their next
 * poll (every second), well inside the 2 s the design allows.
 */
export async function bumpGatewayEpoch(): Promise<number> {
  const epoch = Date.now();
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: epoch }, update: { value: epoch } });
  return epoch;
}

export async function readGatewayEpoch(): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: KEY }, select: { value: true } });
  return typeof row?.value === 'number' ? row.value : 0;
}
