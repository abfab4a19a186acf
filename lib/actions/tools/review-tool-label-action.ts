'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { reviewToolLabel } from '../../tools/tool-labels';
import { reviewLabelSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

export const reviewToolLabelAction = defineAction({
  name: 'tools.review_label',
  permission: 'tools:write',
  schema: reviewLabelSchema,
  async run(input) {
    await reviewToolLabel(input);
    await bumpGatewayEpoch();
    revalidatePath('/tools');
    return { message: `Label ${input.label} ${input.decision === 'confirm' ? 'confirmed' : 'dismissed'}.`, audit: { targetType: 'tool', targetId: input.toolId, details: { label: input.label, decision: input.decision } } };
  },
});
