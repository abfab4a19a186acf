import { requireUser } from '@/lib/auth/current-user';
import { getPolicyYaml } from '@/lib/data/get-policy-yaml';
import { errorResponse } from '@/lib/errors';

/** Downloads a policy version as YAML (`active` for the one in force). Any console role may export. */
export async function GET(_request: Request, { params }: { params: Promise<{ version: string }> }) {
  try {
    const user = await requireUser('console:read');
    const policy = await getPolicyYaml(user, (await params).version);
    return new Response(policy.yaml, {
      headers: {
        'content-type': 'application/yaml; charset=utf-8',
        'content-disposition': `attachment; filename="pqgate-policy-v${policy.version}.yaml"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
