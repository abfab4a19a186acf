'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { updateUpstreamSettings } from '../../upstreams/update-upstream-settings';
import { upstreamSettingsSchema } from '../../validations/upstream';
import { defineAction } from '../safe-action';

const FIELDS = ['shared', 'allowSampling', 'allowElicitation'] as const;

export const updateUpstreamSettingsAction = defineAction({
  name: 'upstreams.update_settings',
  permission: 'upstreams:manage',
  schema: upstreamSettingsSchema,
  async run(input) {
    const { before, after } = await updateUpstreamSettings(input);
    // The gateway picks the new settings up with its next snapshot; a changed registration
    // closes the server's shared session, so its clients initialize again.
    await bumpGatewayEpoch();
    revalidatePath('/servers');
    const changed = FIELDS.filter((f) => before[f] !== after[f]);
    return {
      message: changed.length
        ? `Settings of ${after.slug} saved. New client sessions use them; open per-client sessions keep the ones they started with, and a shared session is closed (its clients initialize again).`
        : `Settings of ${after.slug} unchanged.`,
      audit: {
        targetType: 'upstream',
        targetId: after.id,
        details: { slug: after.slug, ...Object.fromEntries(changed.map((f) => [f, { from: before[f], to: after[f] }])) },
      },
    };
  },
});
