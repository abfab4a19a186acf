'use client';

import { useActionState } from 'react';
import { signInAction } from '@/lib/actions/auth/sign-in-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState(signInAction, idle);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? '/'} />
      <Field id="email" label="Email" errors={errors?.email}>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={lastValue(state, 'email')} invalid={Boolean(errors?.email)} />
      </Field>
      <Field id="password" label="Password" errors={errors?.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" required invalid={Boolean(errors?.password)} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
