import { db } from '../db';
import { bumpGatewayEpoch } from '../gateway-store/gateway-epoch';

const KEY = 'gateway.blocks';
// At most this many blocked sources are shared (the oldest-ending go first).
const MAX_SHARED = 1000;

export interface SharedBlock {
  source: string;
  until: number;
}

function parse(value: unknown): SharedBlock[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([source, until]) => (typeof until === 'number' ? [{ source, until }] : []));
}

/** The blocks every replica applies (expired ones dropped). */
export async function readSharedBlocks(now = Date.now()): Promise<SharedBlock[]> {
  const row = await db.setting.findUnique({ where: { key: KEY }, select: { value: true } });
  return parse(row?.value).filter((b) => b.until > now);
}

/**
 * Shares new blocks with the other replicas: merged into one setting under a lock (two replicas
 * blocking at once both land), then the gateway epoch moves so every replica reloads them within
 * its poll interval.
 */
export async function publishBlocks(blocks: readonly SharedBlock[], now = Date.now()): Promise<void> {
  if (!blocks.length) return;
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(8102370872878497795)::text AS locked`;
    const row = await tx.setting.findUnique({ where: { key: KEY }, select: { value: true } });
    const merged = new Map(parse(row?.value).filter((b) => b.until > now).map((b) => [b.source, b.until]));
    for (const b of blocks) merged.set(b.source, Math.max(b.until, merged.get(b.source) ?? 0));
    const kept = [...merged.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_SHARED);
    const value = Object.fromEntries(kept);
    await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  });
  await bumpGatewayEpoch();
}
