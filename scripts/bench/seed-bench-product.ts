/**
 * Seeds a fresh pqgate database for the product row of `npm run bench:gateway`: the upstream,
 * one identity with the bench's API token and its ML-DSA key, through the same lib functions
 * the console's actions use. Prints `pqgate-bench token <token>` (tokens are issued, not chosen).
 * Usage: tsx scripts/bench/seed-bench-product.ts --upstream <slug>=<url> --identity <algorithm>:<hex public key>
 */
import { parseArgs } from 'node:util';
import { fromHex, toBase64Url, type SignatureId } from '../../gateway/crypto';
import { closeDatabase, ensureMigrated } from '../../lib/db';
import { createIdentity } from '../../lib/identities/create-identity';
import { enrollIdentityKey } from '../../lib/identities/enroll-identity-key';
import { issueApiToken } from '../../lib/identities/issue-api-token';
import { MAX_LIMIT } from '../../gateway/policy/limits';
import { emptyPolicy } from '../../lib/policy/policy-document';
import { savePolicyVersion } from '../../lib/policy/save-policy-version';
import { registerUpstream } from '../../lib/upstreams/register-upstream';
import { registerUpstreamSchema } from '../../lib/validations/upstream';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, identity: { type: 'string' } } });
const upstream = /^([a-z0-9-]+)=(http:\/\/127\.0\.0\.1:\d+\/\S*)$/.exec(values.upstream ?? '');
const identity = /^([A-Za-z0-9-]+):([0-9a-f]+)$/.exec(values.identity ?? '');
if (!upstream || !identity) {
  console.error('usage: seed-bench-product.ts --upstream <slug>=<url> --identity <algorithm>:<hex public key>');
  process.exit(2);
}

await ensureMigrated();
await registerUpstream(registerUpstreamSchema.parse({ slug: upstream[1], name: upstream[1], description: 'bench:gateway upstream', transport: 'http', url: upstream[2] }));
const { id } = await createIdentity({ name: 'bench', owner: 'bench:gateway', kind: 'service', labels: [], allowedServers: [] });
await enrollIdentityKey({ identityId: id, algorithm: identity[1] as SignatureId, publicKey: toBase64Url(fromHex(identity[2]!)) });
const { token } = await issueApiToken({ identityId: id, name: 'bench', expiresInDays: 1 });
// One identity drives the whole bench, far past the per-identity default limits.
const unbound = { handshakes_per_source_per_minute: MAX_LIMIT, sessions_per_identity: MAX_LIMIT, calls_per_identity_per_minute: MAX_LIMIT, calls_per_tool_per_minute: MAX_LIMIT };
await savePolicyVersion({ document: { ...emptyPolicy(), limits: unbound }, comment: 'bench:gateway: limits that never bind', actorId: null });
await closeDatabase();
console.log(`pqgate-bench token ${token}`);
