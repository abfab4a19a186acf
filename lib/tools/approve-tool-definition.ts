import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';

/** Approves a held tool's new definition: it becomes the pinned one and calls flow again. */
export async function approveToolDefinition(toolId: string) {
  const tool = await db.tool.findUnique({ where: { id: toolId }, select: { id: true, name: true, status: true, pendingDefinition: true, pendingHash: true, upstream: { select: { slug: true } } } });
  if (!tool) throw new AppError('not_found', 'That tool no longer exists. Reload the page.');
  if (tool.status !== 'held' || !tool.pendingDefinition || !tool.pendingHash) throw new AppError('conflict', `${tool.upstream.slug}/${tool.name} is not held; nothing to approve.`);
  const pending = tool.pendingDefinition as { title?: string | null; description?: string; inputSchema?: unknown };
  await db.tool.update({
    where: { id: tool.id },
    data: {
      status: 'active',
      definitionHash: tool.pendingHash,
      title: pending.title ?? null,
      description: pending.description ?? '',
      inputSchema: (pending.inputSchema ?? {}) as object,
      pendingDefinition: Prisma.DbNull,
      pendingHash: null,
    },
  });
  return { id: tool.id, key: `${tool.upstream.slug}/${tool.name}`, hash: Buffer.from(tool.pendingHash).toString('hex') };
}
