'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { suggestToolLabels } from '../../tools/tool-labels';
import { defineAction } from '../safe-action';

export const suggestLabelsAction = defineAction({
  name: 'tools.suggest_labels',
  permission: 'tools:write',
  schema: z.object({}),
  async run() {
    const added = await suggestToolLabels();
    revalidatePath('/tools');
    return { message: added ? `${added} label suggestion(s) added; confirm or dismiss each.` : 'No new suggestions.', audit: { targetType: 'label', details: { added } } };
  },
});
