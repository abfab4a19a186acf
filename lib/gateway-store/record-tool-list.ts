import { toHex } from '@/gateway/crypto';
import type { ListedTool } from '@/gateway/mcp/store';
import { toolDefinition, toolDefinitionHash } from '@/gateway/mcp/tool-definition';
import { appendAuditEvents, type AuditEntry } from '../audit/append-audit-event';
import { db } from '../db';
import { suggestToolLabels } from '../tools/tool-labels';
import { Prisma } from '../generated/prisma/client';

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
    if (await holdChanged(upstreamSlug, row, tool, hash, now, 'discovery', audit)) changes.held.push(tool.name);
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

interface PinnedRow {
  id: string;
  definitionHash: Uint8Array;
  pendingHash: Uint8Array | null;
  status: string;
}

/**
 * Holds a tool whose listed definition differs from the approved one, keeping the new one for an
 * admin to review. Returns whether this is news (not already held with this very definition).
 */
async function holdChanged(upstreamSlug: string, row: PinnedRow, tool: ListedTool, hash: Uint8Array<ArrayBuffer>, now: Date, actorId: string, audit: AuditEntry[]): Promise<boolean> {
  const alreadyPending = row.pendingHash && Buffer.from(row.pendingHash).equals(Buffer.from(hash)) && row.status === 'held';
  await db.tool.update({ where: { id: row.id }, data: { lastSeenAt: now, status: 'held', pendingDefinition: toolDefinition(tool) as object, pendingHash: hash } });
  if (alreadyPending) return false;
  audit.push({ actorType: 'gateway', actorId, action: 'tools.definition_changed', targetType: 'tool', targetId: row.id, decision: 'refused', details: { upstream: upstreamSlug, tool: tool.name, approvedHash: toHex(row.definitionHash), newHash: toHex(hash) } });
  return true;
}

/**
 * Holds the tools a client's own `tools/list` showed with a definition other than the approved
 * one (the relay saw the change before discovery did). Nothing is added or marked removed: one
 * client's listing may be a page, or differ per session. Returns the names newly held.
 */
export async function holdChangedTools(upstreamSlug: string, tools: readonly ListedTool[]): Promise<string[]> {
  const upstream = await db.upstream.findUnique({ where: { slug: upstreamSlug }, select: { id: true } });
  if (!upstream || !tools.length) return [];
  const rows = new Map(
    (await db.tool.findMany({ where: { upstreamId: upstream.id, name: { in: tools.map((t) => t.name) }, status: { not: 'removed' } }, select: { id: true, name: true, definitionHash: true, pendingHash: true, status: true } })).map((t) => [t.name, t]),
  );
  const held: string[] = [];
  const audit: AuditEntry[] = [];
  const now = new Date();
  for (const tool of tools) {
    const row = rows.get(tool.name);
    const hash = toolDefinitionHash(tool);
    if (!row || Buffer.from(row.definitionHash).equals(Buffer.from(hash))) continue;
    if (await holdChanged(upstreamSlug, row, tool, hash, now, 'relay', audit)) held.push(tool.name);
  }
  await appendAuditEvents(audit);
  return held;
}
