import { requireUser } from '@/lib/auth/current-user';
import { getAuditProof } from '@/lib/data/get-audit-proof';
import { AppError, errorResponse } from '@/lib/errors';
import { auditProofQuerySchema } from '@/lib/validations/audit';

/** `?seq=N[&size=S]`: inclusion proof; `?from=A&to=B`: consistency proof between two checkpoint sizes. */
export async function GET(request: Request) {
  try {
    const user = await requireUser('audit:export');
    const parsed = auditProofQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError('invalid_input', 'Ask for ?seq=N (optionally &size=S) or ?from=A&to=B, with whole numbers.');
    return Response.json(await getAuditProof(user, parsed.data), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
