import type { SessionUser } from '../auth/current-user';
import { assertPermission } from '../auth/current-user';
import { db } from '../db';

/** The posture figures on the Overview page, each from the table it summarises. */
export async function readOverview(actor: SessionUser) {
  assertPermission(actor, 'console:read');
  const [upstreams, tools, heldTools, identities, openAlerts, pendingRotations, auditEvents, callsBySuite] = await Promise.all([
    db.upstream.count(),
    db.tool.count({ where: { status: { not: 'removed' } } }),
    db.tool.count({ where: { status: 'held' } }),
    db.identity.count({ where: { status: { not: 'revoked' } } }),
    db.alert.count({ where: { status: { not: 'resolved' } } }),
    db.rotationRequest.count({ where: { status: 'pending' } }),
    db.auditEvent.count(),
    db.discoveryEdge.groupBy({ by: ['suite'], _sum: { calls: true, refused: true } }),
  ]);
  return {
    upstreams,
    tools,
    heldTools,
    identities,
    openAlerts,
    pendingRotations,
    auditEvents,
    callsBySuite: callsBySuite.map((row) => ({ suite: row.suite, calls: row._sum.calls ?? 0, refused: row._sum.refused ?? 0 })),
  };
}
