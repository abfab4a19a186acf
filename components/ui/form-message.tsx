import type { ActionState } from '@/lib/actions/safe-action-state';
import { cn } from './cn';

/** The outcome of an action, announced to screen readers. */
export function FormMessage({ state }: { state: ActionState<unknown> }) {
  if (state.status === 'idle') return <p role="status" aria-live="polite" className="sr-only" />;
  return (
    <p
      role={state.status === 'error' ? 'alert' : 'status'}
      aria-live="polite"
      className={cn(
        'rounded-md px-3 py-2 text-sm',
        state.status === 'error'
          ? 'bg-red-50 text-red-800 dark:bg-red-950/60 dark:text-red-200'
          : 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-200',
      )}
    >
      {state.message}
    </p>
  );
}
