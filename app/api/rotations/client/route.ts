import { errorResponse } from '@/lib/errors';
import { submitClientRotation } from '@/lib/rotations/submit-client-rotation';

export const dynamic = 'force-dynamic';

const MAX_BODY = 64 * 1024;

/**
 * `pqgate rotate` submits here. No session: the request is authenticated by the signatures of
 * the enrolled key and the new key over a timestamped, single-use statement (docs/keys.md).
 */
export async function POST(request: Request) {
  try {
    if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY) return Response.json({ error: { code: 'invalid_input', message: 'Request too large.' } }, { status: 413 });
    const text = await request.text();
    if (text.length > MAX_BODY) return Response.json({ error: { code: 'invalid_input', message: 'Request too large.' } }, { status: 413 });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return Response.json({ error: { code: 'invalid_input', message: 'Expected a JSON body from pqgate rotate.' } }, { status: 400 });
    }
    return Response.json(await submitClientRotation(body), { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}
