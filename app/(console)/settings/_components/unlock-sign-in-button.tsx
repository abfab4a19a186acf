'use client';

import { useActionState } from 'react';
import { unlockUserSignInAction } from '@/lib/actions/users/unlock-user-sign-in-action';
import { idle } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';

/** Lifts the sign-in delays of one account from every address. */
export function UnlockSignInButton({ userId, email }: { userId: string; email: string }) {
  const [state, action, pending] = useActionState(unlockUserSignInAction, idle);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="userId" value={userId} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-label={`Unlock sign-in of ${email}`}>
        Unlock sign-in
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
