import { effectiveFloor, type FloorSource } from '@/gateway/policy/decide';
import { assertPermission, type SessionUser } from '../auth/current-user';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { currentPolicySnapshot } from '../gateway-runtime';

export interface ToolFilters {
  q?: string;
  server?: string;
  label?: string;
  status?: 'active' | 'held';
}

export const TOOLS_PAGE_SIZE = 300;

/** Tools matching the filters, by server, with labels, own floor and effective floor (and why). */
export async function listTools(actor: SessionUser, filters: ToolFilters = {}) {
  assertPermission(actor, 'console:read');
  const where: Prisma.ToolWhereInput = {
    status: filters.status ?? { not: 'removed' },
    ...(filters.server ? { upstream: { slug: filters.server } } : {}),
    ...(filters.label ? { labels: { some: { label: { name: filters.label } } } } : {}),
    ...(filters.q ? { OR: [{ name: { contains: filters.q, mode: 'insensitive' } }, { description: { contains: filters.q, mode: 'insensitive' } }] } : {}),
  };
  const [tools, total, snapshot, labels, servers] = await Promise.all([
    db.tool.findMany({
      where,
      orderBy: [{ upstream: { slug: 'asc' } }, { name: 'asc' }],
      take: TOOLS_PAGE_SIZE,
      select: {
        id: true, name: true, title: true, description: true, status: true, inputSchema: true, pendingDefinition: true,
        upstream: { select: { slug: true, name: true } },
        labels: { orderBy: { label: { name: 'asc' } }, select: { source: true, label: { select: { name: true } } } },
        floors: { select: { floor: true } },
      },
    }),
    db.tool.count({ where }),
    currentPolicySnapshot(),
    db.label.findMany({ orderBy: { name: 'asc' }, select: { name: true, description: true, floors: { select: { floor: true } }, _count: { select: { tools: { where: { source: 'confirmed' } } } } } }),
    db.upstream.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, name: true, floors: { select: { floor: true } } } }),
  ]);
  const withFloors = tools.map((t) => {
    const upstream = snapshot.upstreams.get(t.upstream.slug);
    const effective: FloorSource | undefined = upstream ? effectiveFloor(snapshot, t.upstream.slug, upstream, t.name) : undefined;
    return { ...t, key: `${t.upstream.slug}/${t.name}`, ownFloor: t.floors[0]?.floor ?? null, effective };
  });
  return { tools: withFloors, total, labels, servers, global: snapshot.global, mode: snapshot.mode };
}
