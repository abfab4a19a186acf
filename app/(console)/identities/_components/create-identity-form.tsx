'use client';

import { useActionState } from 'react';
import { createIdentityAction } from '@/lib/actions/identities/create-identity-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

export function CreateIdentityForm() {
  const [state, action, pending] = useActionState(createIdentityAction, idle);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" aria-label="Create an identity">
      <Field id="identity-name" label="Name" hint="How it shows in the console and logs, e.g. ehr-assistant." errors={errors?.name}>
        <Input id="identity-name" name="name" required defaultValue={lastValue(state, 'name')} invalid={Boolean(errors?.name)} />
      </Field>
      <Field id="identity-owner" label="Owner" hint="The person or team responsible." errors={errors?.owner}>
        <Input id="identity-owner" name="owner" required defaultValue={lastValue(state, 'owner')} invalid={Boolean(errors?.owner)} />
      </Field>
      <Field id="identity-kind" label="Kind" errors={errors?.kind}>
        <Select id="identity-kind" name="kind" key={lastValue(state, 'kind') ?? 'agent'} defaultValue={lastValue(state, 'kind') ?? 'agent'}>
          <option value="agent">agent</option>
          <option value="person">person</option>
          <option value="service">service</option>
        </Select>
      </Field>
      <Field id="identity-labels" label="Labels" hint="Comma-separated, e.g. healthcare, pii." errors={errors?.labels}>
        <Input id="identity-labels" name="labels" defaultValue={lastValue(state, 'labels')} invalid={Boolean(errors?.labels)} />
      </Field>
      <Field id="identity-servers" label="Allowed servers" hint="Comma-separated server names; empty allows all." errors={errors?.allowedServers}>
        <Input id="identity-servers" name="allowedServers" defaultValue={lastValue(state, 'allowedServers')} invalid={Boolean(errors?.allowedServers)} />
      </Field>
      <div className="space-y-3 sm:col-span-2">
        <FormMessage state={state} />
        {state.status === 'success' && state.data ? (
          <a className="text-sm underline" href={`/identities/${state.data.id}`}>
            Open the new identity
          </a>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create identity'}
        </Button>
      </div>
    </form>
  );
}
