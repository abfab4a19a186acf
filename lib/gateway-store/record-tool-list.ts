import { getCryptoProvider, toHex } from '@/gateway/crypto';
import type { ListedTool } from '@/gateway/mcp/store';
import { appendAuditEvents, type AuditEntry } from '../audit/append-audit-event';
import { canonicalJson } from '../audit/canonical';
import { db } from '../db';
import { suggestToolLabels } from '../tools/tool-labels';
import { Prisma } from '../generated/prisma/client';

/** The pinned form of a tool's definition: what the client sees and relies on. */
export function toolDefinition(tool: ListedTool) {
  return { name: tool.name, title: tool.title ?? null, description: tool.description ?? '', inputSchema: tool.inputSchema ?? {}, outputSchema: tool.outputSchema ?? null, annotations: tool.annotations ?? null };
}

export function toolDefinitionHash(tool: ListedTool): Uint8Array<ArrayBuffer> {
  return new Uint8Array(getCryptoProvider().hash('SHA-256').digest(new TextEncoder().encode(canonicalJson(toolDefinition(tool)))));
}

export interface ToolListChanges {
  added: string[];
  held: string[];
  removed: string[];
}

/**
 * Records what an upstream lists. New tools are pinned as they are (trust on first use); a tool
 * whose definition differs from the approved one is held, with the new definition kept for an
 * admin to review; tools no longer listed are marked removed.
 */
export async function recordToolList(upstreamSlug: string, tools: readonly ListedTool[]): Promise<ToolListChanges> {
  const upstream = await db.upstream.findUnique({ where: { slug: upstreamSlug }, select: { id: true } });
  if (!upstream) return { added: [], held: [], removed: [] };
  const existing = new Map(
    (await db.tool.findMany({ where: { upstreamId: upstream.id }, select: { id: true, name: true, definitionHash: true, pendingHash: true, status: true } })).map((t) => [t.name, t]),
  );
  const changes: ToolListChanges = { added: [], held: [], removed: [] };
  const newIds: string[] = [];
  const audit: AuditEntry[] = [];
  const now = new Date();
  for (const tool of tools) {
    const hash = toolDefinitionHash(tool);
    const definition = toolDefinition(tool);
    const row = existing.get(tool.name);
    existing.delete(tool.name);
    if (!row) {
      const created = await db.tool.create({
        data: { upstreamId: upstream.id, name: tool.name, title: tool.title ?? null, description: tool.description ?? '', inputSchema: (tool.inputSchema ?? {}) as object, definitionHash: hash },
        select: { id: true },
      });
      changes.added.push(tool.name);
      newIds.push(created.id);
      audit.push({ actorType: 'gateway', actorId: 'discovery', action: 'tools.discovered', targetType: 'tool', targetId: created.id, details: { upstream: upstreamSlug, tool: tool.name, definitionHash: toHex(hash) } });
      continue;
    }
    if (Buffer.from(row.definitionHash).equals(Buffer.from(hash))) {
      // Back to the approved definition (or unchanged): no longer held, nothing pending.
      await db.tool.update({ where: { id: row.id }, data: { lastSeenAt: now, status: 'active', pendingDefinition: Prisma.DbNull, pendingHash: null } });
      continue;
    }
    const alreadyPending = row.pendingHash && Buffer.from(row.pendingHash).equals(Buffer.from(hash)) && row.status === 'held';
    await db.tool.update({ where: { id: row.id }, data: { lastSeenAt: now, status: 'held', pendingDefinition: definition as object, pendingHash: hash } });
    if (!alreadyPending) {
      changes.held.push(tool.name);
      audit.push({ actorType: 'gateway', actorId: 'discovery', action: 'tools.definition_changed', targetType: 'tool', targetId: row.id, decision: 'refused', details: { upstream: upstreamSlug, tool: tool.name, approvedHash: toHex(row.definitionHash), newHash: toHex(hash) } });
    }
  }
  for (const gone of existing.values()) {
    if (gone.status === 'removed') continue;
    await db.tool.update({ where: { id: gone.id }, data: { status: 'removed' } });
    changes.removed.push(gone.name);
    audit.push({ actorType: 'gateway', actorId: 'discovery', action: 'tools.removed', targetType: 'tool', targetId: gone.id, details: { upstream: upstreamSlug, tool: gone.name } });
  }
  await db.upstream.update({ where: { id: upstream.id }, data: { lastListedAt: now, status: 'up', lastError: null } });
  await appendAuditEvents(audit);
  if (newIds.length) await suggestToolLabels(newIds);
  return changes;
}
