import { db } from '../db';

const KEY = 'gateway.epoch';

type Listener = (epoch: number) => Promise<void>;

// Listeners live on globalThis: the action that bumps the epoch and the gateway that listens
// are bundled separately by Next.js but run in one process.
const holder = globalThis as typeof globalThis & { __pqgateEpochListeners?: Set<Listener> };
const listeners = (holder.__pqgateEpochListeners ??= new Set());

/** Called with the new epoch whenever this process bumps it; returns an unsubscribe function. */
export function onGatewayEpoch(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Marks that something the gateway decides from has changed (policy, floors, tools, identities,
 * tokens, keys). This process's gateway rebuilds before the call returns; other replicas notice
 * on their next poll (every second), well inside the 2 s the design allows.
 */
export async function bumpGatewayEpoch(): Promise<number> {
  // An atomic counter: two changes never share an epoch (a replica would miss the second), and
  // it stays small enough for the channel's 32-bit policy epoch field.
  const rows = await db.$queryRaw<{ epoch: bigint }[]>`
    INSERT INTO "Setting" (key, value, "updatedAt") VALUES (${KEY}, '1'::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = to_jsonb(("Setting".value #>> '{}')::bigint + 1), "updatedAt" = now()
    RETURNING (value #>> '{}')::bigint AS epoch`;
  const epoch = Number(rows[0]!.epoch);
  await Promise.all([...listeners].map((l) => l(epoch).catch((error) => console.error('pqgate: gateway snapshot rebuild failed', error))));
  return epoch;
}

export async function readGatewayEpoch(): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: KEY }, select: { value: true } });
  return typeof row?.value === 'number' ? row.value : 0;
}
