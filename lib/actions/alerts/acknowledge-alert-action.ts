'use server';

import { revalidatePath } from 'next/cache';
import { setAlertStatus } from '../../detection/set-alert-status';
import { alertIdSchema } from '../../validations/alert';
import { defineAction } from '../safe-action';

export const acknowledgeAlertAction = defineAction({
  name: 'alerts.acknowledge',
  permission: 'alerts:manage',
  schema: alertIdSchema,
  async run(input, actor) {
    const alert = await setAlertStatus(input.alertId, 'acknowledged', actor);
    revalidatePath('/alerts');
    return { message: `${alert.title}: acknowledged.`, audit: { targetType: 'alert', targetId: alert.id, details: { kind: alert.kind, status: alert.status } } };
  },
});
