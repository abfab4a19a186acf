'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { suggestToolLabels } from '../../tools/tool-labels';
import { defineAction } from '../safe-action';

export const suggestLabelsAction = defineAction({
  name: 'tools.suggest_labels',
  permission: 'tools:write',
  schema: z.object({}),
  async run() {
    const added = await suggestToolLabels();
    // Suggestions carry no floor, but the snapshot reports them (decide() says what confirming
    // one would change), so the Tools page and simulator must see them at once.
    if (added) await bumpGatewayEpoch();
    revalidatePath('/tools');
    return { message: added ? `${added} label suggestion(s) added; confirm or dismiss each.` : 'No new suggestions.', audit: { targetType: 'label', details: { added } } };
  },
});
