'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { approveToolDefinition } from '../../tools/approve-tool-definition';
import { approveToolSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

export const approveToolAction = defineAction({
  name: 'tools.approve_definition',
  permission: 'tools:write',
  schema: approveToolSchema,
  async run(input) {
    const tool = await approveToolDefinition(input.toolId);
    await bumpGatewayEpoch();
    revalidatePath('/tools');
    return { message: `${tool.key} approved: calls flow again under the new definition.`, audit: { targetType: 'tool', targetId: tool.id, details: { tool: tool.key, definitionHash: tool.hash } } };
  },
});
