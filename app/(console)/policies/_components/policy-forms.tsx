'use client';

import { useActionState } from 'react';
import { rollbackPolicyAction } from '@/lib/actions/policies/rollback-policy-action';
import { setPolicyModeAction } from '@/lib/actions/policies/set-policy-mode-action';
import { idle } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';

export function ModeToggle({ mode }: { mode: 'enforce' | 'monitor' }) {
  const [state, action, pending] = useActionState(setPolicyModeAction, idle);
  const next = mode === 'enforce' ? 'monitor' : 'enforce';
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="mode" value={next} />
      <p className="text-sm">
        Mode: <strong>{mode}</strong> — {mode === 'enforce' ? 'refused calls are blocked.' : 'decisions are logged, nothing is blocked.'}
      </p>
      <Button type="submit" size="sm" variant={next === 'enforce' ? 'primary' : 'secondary'} disabled={pending}>
        Switch to {next} mode
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function RollbackButton({ version }: { version: number }) {
  const [state, action, pending] = useActionState(rollbackPolicyAction, idle);
  return (
    <form action={action} className="inline-flex flex-col gap-1">
      <input type="hidden" name="version" value={version} />
      <Button type="submit" size="sm" variant="secondary" disabled={pending} aria-label={`Roll back to v${version}`}>
        Roll back
      </Button>
      {state.status === 'error' ? <FormMessage state={state} /> : null}
    </form>
  );
}
