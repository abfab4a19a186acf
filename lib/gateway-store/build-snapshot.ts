import type { PublicKeyRecord } from '@/gateway/channel';
import { fromHex, toHex, type SignatureId } from '@/gateway/crypto';
import type { Caller, UpstreamConfig } from '@/gateway/mcp/store';
import type { FloorName } from '@/gateway/policy/floors';
import { limitsFrom } from '@/gateway/policy/limits';
import { DEFAULT_GLOBAL_POLICY, type GlobalPolicy, type IdentityEntry, type PolicySnapshot, type ToolEntry, type UpstreamEntry } from '@/gateway/policy/snapshot';
import { db } from '../db';
import { openSecret } from '../keys/envelope';

/** Everything the gateway looks up per call, compiled from the database in one pass. */
export interface CompiledState {
  snapshot: PolicySnapshot;
  upstreamConfigs: Map<string, UpstreamConfig>;
  upstreamIds: Map<string, string>;
  /** SHA-256 of the token (hex) -> caller and expiry. */
  tokens: Map<string, { caller: Caller; expiresAt: number | null }>;
  /** Identity key id (hex) -> caller and public key. */
  identityKeys: Map<string, { caller: Caller; record: PublicKeyRecord }>;
}

/** Upstream credentials as stored (sealed): headers for HTTP servers, env for stdio ones. */
export interface UpstreamCredentials {
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

export const credentialsContext = (upstreamId: string) => `upstream_credentials:${upstreamId}`;

/** Reads the global switches from a stored policy document (the YAML's parsed form). */
export function globalPolicyFrom(document: unknown): GlobalPolicy {
  const doc = (document ?? {}) as { p2p_connectivity?: { enforce_pqc?: unknown; allowed_algos?: unknown }; threat_detection?: { block_downgrade_attempts?: unknown; alert_on_latency_spike?: unknown }; limits?: unknown };
  const p2p = doc.p2p_connectivity ?? {};
  const threats = doc.threat_detection ?? {};
  return {
    enforcePqc: p2p.enforce_pqc === true,
    allowedAlgos: Array.isArray(p2p.allowed_algos) ? p2p.allowed_algos.filter((a): a is string => typeof a === 'string') : [],
    blockDowngradeAttempts: typeof threats.block_downgrade_attempts === 'boolean' ? threats.block_downgrade_attempts : DEFAULT_GLOBAL_POLICY.blockDowngradeAttempts,
    alertOnLatencySpike: typeof threats.alert_on_latency_spike === 'boolean' ? threats.alert_on_latency_spike : DEFAULT_GLOBAL_POLICY.alertOnLatencySpike,
    limits: limitsFrom(doc.limits),
  };
}

export async function buildCompiledState(epoch: number): Promise<CompiledState> {
  const [policy, labelFloors, upstreams, identities, tokens, keys] = await Promise.all([
    db.policyVersion.findFirst({ where: { active: true }, select: { mode: true, document: true } }),
    db.cryptoFloor.findMany({ where: { scope: 'label' }, select: { floor: true, label: { select: { name: true } } } }),
    db.upstream.findMany({
      select: {
        id: true, slug: true, transport: true, url: true, command: true, args: true, env: true, credentialsSealed: true, labels: true, shared: true, allowSampling: true, allowElicitation: true,
        floors: { select: { floor: true } },
        tools: {
          where: { status: { not: 'removed' } },
          select: { name: true, status: true, definitionHash: true, title: true, description: true, inputSchema: true, floors: { select: { floor: true } }, labels: { select: { source: true, label: { select: { name: true } } } } },
        },
      },
    }),
    db.identity.findMany({ select: { id: true, name: true, status: true, allowedServers: true } }),
    db.apiToken.findMany({ where: { revokedAt: null }, select: { tokenHash: true, expiresAt: true, identity: { select: { id: true, name: true } } } }),
    db.key.findMany({
      where: { purpose: 'identity', state: { in: ['active', 'retiring'] }, identityId: { not: null } },
      select: { fingerprint: true, algorithm: true, publicKey: true, identity: { select: { id: true, name: true } } },
    }),
  ]);

  const upstreamEntries = new Map<string, UpstreamEntry>();
  const upstreamConfigs = new Map<string, UpstreamConfig>();
  const upstreamIds = new Map<string, string>();
  for (const u of upstreams) {
    upstreamIds.set(u.slug, u.id);
    const tools = new Map<string, ToolEntry>(
      u.tools.map((t) => [
        t.name,
        {
          floor: t.floors[0]?.floor as FloorName | undefined,
          // Suggested labels go in too, apart: decide() ignores them and says what confirming one would change.
          labels: t.labels.filter((l) => l.source === 'confirmed').map((l) => l.label.name),
          suggestedLabels: t.labels.filter((l) => l.source === 'suggested').map((l) => l.label.name),
          status: t.status === 'held' ? 'held' : 'active',
          // The row's title, description and schema are the approved ones (a changed definition waits in pendingDefinition).
          pinned: { hash: toHex(t.definitionHash), ...(t.title === null ? {} : { title: t.title }), description: t.description, inputSchema: t.inputSchema },
        },
      ]),
    );
    upstreamEntries.set(u.slug, { floor: u.floors[0]?.floor as FloorName | undefined, labels: u.labels, tools });
    const credentials: UpstreamCredentials = u.credentialsSealed ? JSON.parse(new TextDecoder().decode(openSecret(u.credentialsSealed, credentialsContext(u.id)))) : {};
    const session = { shared: u.shared, allowSampling: u.allowSampling, allowElicitation: u.allowElicitation };
    if (u.transport === 'http' && u.url) {
      upstreamConfigs.set(u.slug, { slug: u.slug, transport: 'http', url: u.url, headers: credentials.headers ?? {}, ...session });
    } else if (u.transport === 'stdio' && u.command) {
      upstreamConfigs.set(u.slug, { slug: u.slug, transport: 'stdio', command: u.command, args: u.args, env: { ...(u.env as Record<string, string>), ...credentials.env }, ...session });
    }
  }

  const identityEntries = new Map<string, IdentityEntry>(identities.map((i) => [i.id, { status: i.status, allowedServers: i.allowedServers }]));
  const snapshot: PolicySnapshot = {
    epoch,
    mode: policy?.mode ?? 'enforce',
    global: policy ? globalPolicyFrom(policy.document) : DEFAULT_GLOBAL_POLICY,
    upstreams: upstreamEntries,
    labelFloors: new Map(labelFloors.filter((f) => f.label).map((f) => [f.label!.name, f.floor as FloorName])),
    identities: identityEntries,
  };

  return {
    snapshot,
    upstreamConfigs,
    upstreamIds,
    tokens: new Map(tokens.map((t) => [Buffer.from(t.tokenHash).toString('hex'), { caller: { identityId: t.identity.id, identityName: t.identity.name }, expiresAt: t.expiresAt?.getTime() ?? null }])),
    identityKeys: new Map(
      keys
        .filter((k) => k.identity && k.publicKey)
        .map((k) => [k.fingerprint, { caller: { identityId: k.identity!.id, identityName: k.identity!.name }, record: { algorithm: k.algorithm as SignatureId, publicKey: new Uint8Array(k.publicKey!), keyId: fromHex(k.fingerprint) } }]),
    ),
  };
}
