'use server';

import { revalidatePath } from 'next/cache';
import { setFloors } from '../../policy/set-floors';
import { setFloorSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

export const setFloorsAction = defineAction({
  name: 'floors.set',
  permission: 'tools:write',
  schema: setFloorSchema,
  async run(input, actor) {
    const saved = await setFloors({ ...input, actorId: actor.id });
    revalidatePath('/tools');
    revalidatePath('/policies');
    return { message: `${saved.comment} (policy v${saved.version}); the gateway applies it within 2 seconds.`, audit: { targetType: 'policy', targetId: `v${saved.version}`, details: input } };
  },
});
