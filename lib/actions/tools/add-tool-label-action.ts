'use server';

import { revalidatePath } from 'next/cache';
import { db } from '../../db';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { addToolLabel } from '../../tools/tool-labels';
import { addLabelSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

async function toolIdsFor(keys: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const key of keys) {
    const [slug, ...rest] = key.split('/');
    const tool = await db.tool.findFirst({ where: { name: rest.join('/'), upstream: { slug } }, select: { id: true } });
    if (tool) ids.push(tool.id);
  }
  return ids;
}

export const addToolLabelAction = defineAction({
  name: 'tools.add_label',
  permission: 'tools:write',
  schema: addLabelSchema,
  async run(input) {
    const added = await addToolLabel({ toolIds: await toolIdsFor(input.targets), label: input.label });
    await bumpGatewayEpoch();
    revalidatePath('/tools');
    return { message: `Label ${input.label} put on ${added} tool(s).`, audit: { targetType: 'label', targetId: input.label, details: { tools: input.targets } } };
  },
});
