import { db } from '../db';
import { AppError } from '../errors';
import { suggestLabels } from './suggest-labels';

/** Adds suggested labels to tools that do not have them yet (never touches confirmed ones). */
export async function suggestToolLabels(toolIds?: string[]): Promise<number> {
  const tools = await db.tool.findMany({
    where: { status: { not: 'removed' }, ...(toolIds ? { id: { in: toolIds } } : {}) },
    select: { id: true, name: true, description: true, labels: { select: { label: { select: { name: true } } } } },
  });
  let added = 0;
  for (const tool of tools) {
    const have = new Set(tool.labels.map((l) => l.label.name));
    for (const name of suggestLabels(tool).filter((n) => !have.has(n))) {
      const label = await db.label.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
      await db.toolLabel.create({ data: { toolId: tool.id, labelId: label.id, source: 'suggested' } });
      added += 1;
    }
  }
  return added;
}

/** Confirms a suggested label (it then carries the label's floor) or dismisses it. */
export async function reviewToolLabel(input: { toolId: string; label: string; decision: 'confirm' | 'dismiss' }) {
  const label = await db.label.findUnique({ where: { name: input.label }, select: { id: true } });
  const link = label ? await db.toolLabel.findUnique({ where: { toolId_labelId: { toolId: input.toolId, labelId: label.id } } }) : null;
  if (!label || !link) throw new AppError('not_found', 'That label is no longer on the tool. Reload the page.');
  if (input.decision === 'confirm') await db.toolLabel.update({ where: { toolId_labelId: { toolId: input.toolId, labelId: label.id } }, data: { source: 'confirmed' } });
  else await db.toolLabel.delete({ where: { toolId_labelId: { toolId: input.toolId, labelId: label.id } } });
}

/** Puts a label on tools directly, confirmed. */
export async function addToolLabel(input: { toolIds: string[]; label: string }): Promise<number> {
  const label = await db.label.upsert({ where: { name: input.label }, create: { name: input.label }, update: {}, select: { id: true } });
  let added = 0;
  for (const toolId of input.toolIds) {
    await db.toolLabel.upsert({ where: { toolId_labelId: { toolId, labelId: label.id } }, create: { toolId, labelId: label.id, source: 'confirmed' }, update: { source: 'confirmed' } });
    added += 1;
  }
  return added;
}
