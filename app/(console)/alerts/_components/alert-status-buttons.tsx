'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { acknowledgeAlertAction } from '@/lib/actions/alerts/acknowledge-alert-action';
import { resolveAlertAction } from '@/lib/actions/alerts/resolve-alert-action';
import { idle } from '@/lib/actions/safe-action-state';

/** Acknowledge and resolve buttons of one alert (shown to roles with `alerts:manage`). */
export function AlertStatusButtons({ alertId, status, title }: { alertId: string; status: 'open' | 'acknowledged' | 'resolved'; title: string }) {
  const [ackState, acknowledge, acking] = useActionState(acknowledgeAlertAction, idle);
  const [resolveState, resolve, resolving] = useActionState(resolveAlertAction, idle);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {status === 'open' ? (
        <form action={acknowledge}>
          <input type="hidden" name="alertId" value={alertId} />
          <Button type="submit" size="sm" variant="secondary" disabled={acking} aria-label={`Acknowledge: ${title}`}>
            Acknowledge
          </Button>
        </form>
      ) : null}
      {status !== 'resolved' ? (
        <form action={resolve}>
          <input type="hidden" name="alertId" value={alertId} />
          <Button type="submit" size="sm" variant="secondary" disabled={resolving} aria-label={`Resolve: ${title}`}>
            Resolve
          </Button>
        </form>
      ) : null}
      {ackState.status === 'error' ? <FormMessage state={ackState} /> : null}
      {resolveState.status === 'error' ? <FormMessage state={resolveState} /> : null}
    </div>
  );
}
