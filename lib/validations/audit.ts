import { z } from 'zod';

const DECISIONS = ['allow', 'deny', 'monitor', 'ok', 'refused', 'error'] as const;
const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : undefined));
const optionalTime = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    // A datetime-local value carries no zone: the console's times are UTC.
    const t = new Date(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? `${v}Z` : v);
    if (Number.isNaN(t.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'expected a date and time' });
      return z.NEVER;
    }
    return t;
  });
const seqText = z.string().regex(/^\d{1,15}$/, 'expected a sequence number').transform(Number);

/** The Audit page's search: actor (id, email or IP address), action, decision, time range, cursor. */
export const auditFilterSchema = z.object({
  actor: optionalText(200),
  action: optionalText(120),
  decision: z.enum(DECISIONS).optional().or(z.literal('').transform(() => undefined)),
  from: optionalTime,
  to: optionalTime,
  before: seqText.optional().or(z.literal('').transform(() => undefined)),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
export const AUDIT_DECISIONS = DECISIONS;

/** `GET /api/audit/proofs`: an inclusion proof (`seq`, optional `size`) or a consistency proof (`from`, `to`). */
export const auditProofQuerySchema = z.union([
  z.object({ seq: seqText, size: seqText.optional() }).strict(),
  z.object({ from: seqText, to: seqText }).strict(),
]);
export type AuditProofQuery = z.infer<typeof auditProofQuerySchema>;
