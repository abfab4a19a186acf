import { z } from 'zod';

/** Time windows of the discovery map, in minutes (`all`: since the first call). */
export const DISCOVERY_WINDOWS = { '15m': 15, '1h': 60, '24h': 1440, '7d': 10_080, all: null } as const;

/** The discovery map's filters (search parameters of the page and of its data route). */
export const discoveryFilterSchema = z.object({
  label: z.string().trim().max(64).optional().catch(undefined),
  server: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional().catch(undefined),
  suite: z.enum(['pq5', 'pq3', 'classical']).optional().catch(undefined),
  window: z.enum(Object.keys(DISCOVERY_WINDOWS) as [keyof typeof DISCOVERY_WINDOWS]).catch('all').default('all'),
});

export type DiscoveryFilter = z.infer<typeof discoveryFilterSchema>;
