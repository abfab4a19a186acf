'use client';

import { useActionState } from 'react';
import { requestRevocationAction } from '@/lib/actions/rotations/request-revocation-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

/** A gateway signing key an admin may ask to revoke (active or retiring, no open request). */
export interface RevocableKeyOption {
  id: string;
  label: string;
}

/** Asks for a revocation; another approver decides it like a rotation (two-person rule). */
export function RevokeGatewayKeyForm({ keys }: { keys: RevocableKeyOption[] }) {
  const [state, action, pending] = useActionState(requestRevocationAction, idle);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" aria-label="Revoke a gateway key">
      <Field id="revoke-key" label="Gateway key" errors={errors?.keyId}>
        <Select id="revoke-key" name="keyId" defaultValue={lastValue(state, 'keyId') ?? keys[0]?.id}>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="revoke-reason" label="Reason" hint="Say what happened (the audit log keeps it)." errors={errors?.reason}>
        <Input id="revoke-reason" name="reason" required defaultValue={lastValue(state, 'reason')} invalid={Boolean(errors?.reason)} />
      </Field>
      <FormMessage state={state} />
      {state.status === 'success' && state.data ? (
        <p className="text-sm">
          <a className="underline" href={`/rotations/${state.data.requestId}`}>
            Open the request
          </a>
        </p>
      ) : null}
      <Button type="submit" variant="danger" disabled={pending || !keys.length}>
        {pending ? 'Requesting…' : 'Request revocation'}
      </Button>
    </form>
  );
}
