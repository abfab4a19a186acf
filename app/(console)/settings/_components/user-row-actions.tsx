'use client';

import { useActionState } from 'react';
import { updateUserAction } from '@/lib/actions/users/update-user-action';
import { idle } from '@/lib/actions/safe-action-state';
import { ROLES, type Role } from '@/lib/auth/roles';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

/** Change a user's role, or disable / enable them. */
export function UserRowActions({ userId, email, role, disabled }: { userId: string; email: string; role: Role; disabled: boolean }) {
  const [state, action, pending] = useActionState(updateUserAction, idle);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={action} className="flex items-center gap-2">
          <input type="hidden" name="userId" value={userId} />
          <label htmlFor={`role-${userId}`} className="sr-only">
            Role of {email}
          </label>
          <Select id={`role-${userId}`} name="role" defaultValue={role} className="w-32">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
          <Button type="submit" variant="secondary" size="sm" disabled={pending}>
            Change role
          </Button>
        </form>
        <form action={action}>
          <input type="hidden" name="userId" value={userId} />
          <input type="hidden" name="disabled" value={disabled ? 'false' : 'true'} />
          <Button type="submit" variant={disabled ? 'secondary' : 'danger'} size="sm" disabled={pending}>
            {disabled ? 'Enable' : 'Disable'}
          </Button>
        </form>
      </div>
      <FormMessage state={state} />
    </div>
  );
}
