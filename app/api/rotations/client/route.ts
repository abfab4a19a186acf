import { errorResponse } from '@/lib/errors';
import { readRequestBody } from '@/lib/http/read-request-body';
import { submitClientRotation } from '@/lib/rotations/submit-client-rotation';

export const dynamic = 'force-dynamic';

/** Largest rotation request: a proof with two ML-DSA-87 keys and signatures is about 20 kB. */
const MAX_ROTATION_BODY_BYTES = 64 * 1024;

/**
 * `pqgate rotate` submits here. No session: the request is authenticated by the signatures of
 * the enrolled key and the new key over a timestamped, single-use statement (docs/keys.md).
 */
export async function POST(request: Request) {
  try {
    const bytes = await readRequestBody(request, MAX_ROTATION_BODY_BYTES, 'pqgate rotate sends far less: check the command and what sits between it and the console.');
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return Response.json({ error: { code: 'invalid_input', message: 'Expected a JSON body from pqgate rotate.' } }, { status: 400 });
    }
    return Response.json(await submitClientRotation(body), { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}
