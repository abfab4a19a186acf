import { suiteStrength, weakerStrength, type SuiteStrength } from '@/gateway/detection';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import { DISCOVERY_WINDOWS, type DiscoveryFilter } from '../validations/discovery';

export type GraphNodeKind = 'identity' | 'source' | 'gateway' | 'upstream' | 'tool';

/** One node of the discovery map, with its badges and where it links. */
export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  href?: string;
  alerts: number;
  refused: number;
  held: number;
  calls: number;
}

/** One edge: the weakest suite it carried, its traffic, and every suite seen on it. */
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  strength: SuiteStrength | 'alert';
  suites: string[];
  calls: number;
  refused: number;
  lastSeenAt: string | null;
}

export interface DiscoveryGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Edges read; the map shows at most `limit` of them (most recent first). */
  truncated: boolean;
  generatedAt: string;
}

const EDGE_LIMIT = 20_000;

/**
 * The discovery map: identities -> gateway -> upstreams -> tools, built from the discovery edges
 * (aggregated per hop), plus the identities and sources that have open alerts and the held
 * tools, so an attack shows up even when no call got through.
 */
export async function readDiscoveryGraph(actor: SessionUser, filter: Partial<DiscoveryFilter> = {}): Promise<DiscoveryGraph> {
  assertPermission(actor, 'console:read');
  const minutes = DISCOVERY_WINDOWS[filter.window ?? 'all'];
  const since = minutes === null ? undefined : new Date(Date.now() - minutes * 60_000);
  const [rows, labelled, heldTools, alerts, servers] = await Promise.all([
    db.discoveryEdge.findMany({
      where: { ...(since ? { lastSeenAt: { gte: since } } : {}), ...(filter.server ? { upstream: { slug: filter.server } } : {}) },
      orderBy: { lastSeenAt: 'desc' },
      take: EDGE_LIMIT + 1,
      select: { subject: true, identityId: true, toolName: true, suite: true, calls: true, refused: true, lastSeenAt: true, identity: { select: { name: true } }, upstream: { select: { slug: true } } },
    }),
    filter.label ? db.tool.findMany({ where: { labels: { some: { label: { name: filter.label } } } }, select: { name: true, upstream: { select: { slug: true } } } }) : null,
    db.tool.findMany({ where: { status: 'held', ...(filter.server ? { upstream: { slug: filter.server } } : {}) }, select: { name: true, upstream: { select: { slug: true } } } }),
    db.alert.groupBy({ by: ['identityId', 'upstreamId', 'source'], where: { status: { not: 'resolved' } }, _count: { _all: true } }),
    // Every registered server is on the map, with traffic or not, so an admin sees what sits behind the gateway.
    filter.label || filter.suite ? [] : db.upstream.findMany({ where: filter.server ? { slug: filter.server } : undefined, select: { slug: true } }),
  ]);
  const inLabel = labelled ? new Set(labelled.map((t) => `${t.upstream.slug}/${t.name}`)) : null;

  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (id: string, kind: GraphNodeKind, label: string, href?: string) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, kind, label, href, alerts: 0, refused: 0, held: 0, calls: 0 }));
    return n;
  };
  const edge = (source: string, target: string, suite: string | null, calls: number, refused: number, last: Date | null) => {
    const id = `${source}->${target}`;
    let e = edges.get(id);
    if (!e) edges.set(id, (e = { id, source, target, strength: suite ? suiteStrength(suite) : 'alert', suites: [], calls: 0, refused: 0, lastSeenAt: null }));
    if (suite) {
      e.strength = e.strength === 'alert' ? suiteStrength(suite) : weakerStrength(e.strength, suiteStrength(suite));
      if (!e.suites.includes(suite)) e.suites.push(suite);
    }
    e.calls += calls;
    e.refused += refused;
    if (last && (!e.lastSeenAt || e.lastSeenAt < last.toISOString())) e.lastSeenAt = last.toISOString();
  };
  const gateway = node('gateway', 'gateway', 'pqgate gateway', '/servers');
  for (const u of servers) {
    node(`upstream:${u.slug}`, 'upstream', u.slug, '/servers');
    edge(gateway.id, `upstream:${u.slug}`, null, 0, 0, null);
  }

  for (const r of rows.slice(0, EDGE_LIMIT)) {
    const slug = r.upstream.slug;
    if (inLabel && !inLabel.has(`${slug}/${r.toolName}`)) continue;
    if (filter.suite && suiteStrength(r.suite) !== filter.suite) continue;
    const who = node(`identity:${r.subject}`, 'identity', r.identity?.name ?? r.subject, r.identityId ? `/identities/${r.identityId}` : undefined);
    const up = node(`upstream:${slug}`, 'upstream', slug, '/servers');
    const tool = node(`tool:${slug}/${r.toolName}`, 'tool', `${slug}/${r.toolName}`, `/tools?server=${encodeURIComponent(slug)}&q=${encodeURIComponent(r.toolName)}`);
    for (const n of [who, up, tool]) {
      n.calls += r.calls;
      n.refused += r.refused;
    }
    gateway.calls += r.calls;
    gateway.refused += r.refused;
    edge(who.id, gateway.id, r.suite, r.calls, r.refused, r.lastSeenAt);
    edge(gateway.id, up.id, r.suite, r.calls, r.refused, r.lastSeenAt);
    edge(up.id, tool.id, r.suite, r.calls, r.refused, r.lastSeenAt);
  }

  for (const t of heldTools) {
    if (inLabel && !inLabel.has(`${t.upstream.slug}/${t.name}`)) continue;
    const up = node(`upstream:${t.upstream.slug}`, 'upstream', t.upstream.slug, '/servers');
    const tool = node(`tool:${t.upstream.slug}/${t.name}`, 'tool', `${t.upstream.slug}/${t.name}`, `/tools?server=${encodeURIComponent(t.upstream.slug)}&status=held`);
    tool.held += 1;
    up.held += 1;
    edge(gateway.id, up.id, null, 0, 0, null);
    edge(up.id, tool.id, null, 0, 0, null);
  }

  // Open alerts: on the identity (or source address) and on the upstream they concern.
  const [identityNames, upstreamSlugs] = await Promise.all([
    db.identity.findMany({ where: { id: { in: alerts.flatMap((a) => (a.identityId ? [a.identityId] : [])) } }, select: { id: true, name: true } }),
    db.upstream.findMany({ where: { id: { in: alerts.flatMap((a) => (a.upstreamId ? [a.upstreamId] : [])) } }, select: { id: true, slug: true } }),
  ]);
  const nameOf = new Map(identityNames.map((i) => [i.id, i.name]));
  const slugOf = new Map(upstreamSlugs.map((u) => [u.id, u.slug]));
  for (const a of alerts) {
    const count = a._count._all;
    const slug = a.upstreamId ? slugOf.get(a.upstreamId) : undefined;
    if (slug && (!filter.server || filter.server === slug)) {
      node(`upstream:${slug}`, 'upstream', slug, '/servers').alerts += count;
      edge(gateway.id, `upstream:${slug}`, null, 0, 0, null);
    }
    if (filter.server && slug !== filter.server && !a.identityId && !a.source) continue;
    const who = a.identityId
      ? node(`identity:${a.identityId}`, 'identity', nameOf.get(a.identityId) ?? a.identityId, `/identities/${a.identityId}`)
      : a.source && !slug
        ? node(`source:${a.source}`, 'source', a.source, `/alerts?q=${encodeURIComponent(a.source)}`)
        : null;
    if (!who) continue;
    who.alerts += count;
    edge(who.id, gateway.id, null, 0, 0, null);
  }
  gateway.alerts = [...nodes.values()].reduce((sum, n) => sum + (n.kind === 'gateway' ? 0 : n.alerts), 0);

  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated: rows.length > EDGE_LIMIT, generatedAt: new Date().toISOString() };
}
