'use server';

import { revalidatePath } from 'next/cache';
import { saveYamlAsPolicy } from '../../policy/save-yaml-as-policy';
import { savePolicySchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

export const savePolicyAction = defineAction({
  name: 'policies.save',
  permission: 'policy:write',
  schema: savePolicySchema,
  async run(input, actor) {
    const saved = await saveYamlAsPolicy(input.yaml, input.comment || 'Edited in the console', actor.id);
    revalidatePath('/policies');
    revalidatePath('/tools');
    return { message: `Saved as v${saved.version} (${saved.mode}); the gateway applies it within 2 seconds.`, audit: { targetType: 'policy', targetId: `v${saved.version}`, details: { mode: saved.mode, comment: input.comment } } };
  },
});
