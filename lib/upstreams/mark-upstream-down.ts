import { db } from '../db';

/** Records that an upstream could not be reached, with a message safe to show (no secrets). */
export async function markUpstreamDown(slug: string, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
  await db.upstream.updateMany({ where: { slug }, data: { status: 'down', lastError: message } });
}
