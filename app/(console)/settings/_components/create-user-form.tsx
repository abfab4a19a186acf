'use client';

import { useActionState } from 'react';
import { createUserAction } from '@/lib/actions/users/create-user-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { ROLES } from '@/lib/auth/roles';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, idle);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" aria-label="Add a user">
      <Field id="new-email" label="Email" errors={errors?.email}>
        <Input id="new-email" name="email" type="email" required autoComplete="off" defaultValue={lastValue(state, 'email')} invalid={Boolean(errors?.email)} />
      </Field>
      <Field id="new-name" label="Name" errors={errors?.name}>
        <Input id="new-name" name="name" required defaultValue={lastValue(state, 'name')} invalid={Boolean(errors?.name)} />
      </Field>
      <Field id="new-role" label="Role" errors={errors?.role}>
        <Select id="new-role" name="role" key={lastValue(state, 'role') ?? 'auditor'} defaultValue={lastValue(state, 'role') ?? 'auditor'}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="new-password" label="Initial password" hint="At least 12 characters. Share it privately." errors={errors?.password}>
        <Input id="new-password" name="password" type="password" required autoComplete="new-password" invalid={Boolean(errors?.password)} />
      </Field>
      <div className="space-y-3 sm:col-span-2">
        <FormMessage state={state} />
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </Button>
      </div>
    </form>
  );
}
