import { db } from '../db';
import { AppError } from '../errors';
import type { UpstreamSettingsInput } from '../validations/upstream';

const SETTINGS = { id: true, slug: true, shared: true, allowSampling: true, allowElicitation: true } as const;

/**
 * Saves how client sessions meet one upstream (shared or one session each) and which server
 * requests the gateway relays. Returns the settings before and after, for the audit event.
 */
export async function updateUpstreamSettings(input: UpstreamSettingsInput) {
  const { upstreamId, ...settings } = input;
  return db.$transaction(async (tx) => {
    const before = await tx.upstream.findUnique({ where: { id: upstreamId }, select: SETTINGS });
    if (!before) throw new AppError('not_found', 'That server is no longer registered. Reload the page.');
    const after = await tx.upstream.update({ where: { id: upstreamId }, data: settings, select: SETTINGS });
    return { before, after };
  });
}
