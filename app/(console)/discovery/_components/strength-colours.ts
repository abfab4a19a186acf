/** Edge colours of the discovery map by the weakest suite an edge carried. */
export const STRENGTH_COLOUR = { pq5: '#059669', pq3: '#2563eb', classical: '#dc2626', alert: '#94a3b8' } as const;

/** `alert` edges carried no call: a registered server, a held tool, or an alert's target. */
export const STRENGTH_TEXT = { pq5: 'post-quantum category 5', pq3: 'post-quantum category 3 / hybrid', classical: 'classical', alert: 'no calls yet (dashed)' } as const;
