import { z } from 'zod';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Acknowledge or resolve one alert. */
export const alertIdSchema = z.object({ alertId: z.string().trim().min(1, 'Choose an alert.').max(64) });

/** The Alerts page's filters (search parameters); anything unknown is ignored. */
export const alertFilterSchema = z.object({
  status: z.enum([...ALERT_STATUSES, 'active', 'all']).catch('active').default('active'),
  severity: z.enum(ALERT_SEVERITIES).optional().catch(undefined),
  kind: z.string().trim().regex(/^[a-z_]{1,40}$/).optional().catch(undefined),
  q: z.string().trim().max(120).optional().catch(undefined),
});

export type AlertFilter = z.infer<typeof alertFilterSchema>;
