'use server';

import { revalidatePath } from 'next/cache';
import { savePolicyVersion } from '../../policy/save-policy-version';
import { setPolicyModeSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

export const setPolicyModeAction = defineAction({
  name: 'policies.set_mode',
  permission: 'policy:write',
  schema: setPolicyModeSchema,
  async run(input, actor) {
    const saved = await savePolicyVersion({ document: (current) => ({ ...current, mode: input.mode }), comment: `Switched to ${input.mode} mode`, actorId: actor.id });
    revalidatePath('/policies');
    const what = input.mode === 'monitor' ? 'decides and logs but does not block' : 'blocks what the policy refuses';
    return { message: `The gateway now ${what} (v${saved.version}).`, audit: { targetType: 'policy', targetId: `v${saved.version}`, details: { mode: input.mode } } };
  },
});
