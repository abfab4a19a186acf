/** Test data shared by the traffic writer tests (the PostgreSQL writer thread, the database thread). */
import type { TrafficEvent } from '@/gateway/mcp/store';
import type { PrismaClient } from '../db';

/** A `tools/call` decision on the `clinic` upstream by `identityId`. */
export function clinicCall(identityId: string, tool: string, decision: 'allow' | 'deny', time: number): TrafficEvent {
  return { time, identityId, upstream: 'clinic', method: 'tools/call', tool, decision, code: decision === 'allow' ? 'allowed' : 'below_floor', rule: `tool clinic/${tool}`, suite: 'hybrid-xwing-mldsa65', transport: 'pq', requestId: `r-${time}`, latencyMs: 1, epoch: 1 };
}

/** Registers the `clinic` upstream and the `ehr-agent` identity the calls above name. */
export async function seedClinic(db: PrismaClient): Promise<{ identityId: string; upstreamIds: Map<string, string> }> {
  const upstream = await db.upstream.create({ data: { slug: 'clinic', name: 'Clinic', transport: 'http', url: 'http://127.0.0.1:1/mcp', labels: [] } });
  const identity = await db.identity.create({ data: { name: 'ehr-agent', owner: 'clinic' } });
  return { identityId: identity.id, upstreamIds: new Map([['clinic', upstream.id]]) };
}
