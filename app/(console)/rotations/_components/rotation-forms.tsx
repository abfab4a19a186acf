'use client';

import { useActionState, useState } from 'react';
import { approveRotationAction } from '@/lib/actions/rotations/approve-rotation-action';
import { rejectRotationAction } from '@/lib/actions/rotations/reject-rotation-action';
import { requestRotationAction } from '@/lib/actions/rotations/request-rotation-action';
import { setRotationSettingsAction } from '@/lib/actions/rotations/set-rotation-settings-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

/** A key an admin may ask to rotate (active, rotatable, no open request). */
export interface RotatableKeyOption {
  id: string;
  label: string;
  purpose: string;
  algorithm: string;
}

const TEXTAREA = 'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900';

/**
 * Asks for a rotation. Gateway keys get a generated successor; for an identity key the admin
 * pastes the holder's new public key (`pqgate keygen`, then `pqgate pubkey`).
 */
export function RequestRotationForm({ keys, defaultKeyId, defaultOverlapSeconds }: { keys: RotatableKeyOption[]; defaultKeyId?: string; defaultOverlapSeconds: number }) {
  const [state, action, pending] = useActionState(requestRotationAction, idle);
  const [keyId, setKeyId] = useState(defaultKeyId ?? keys[0]?.id ?? '');
  const selected = keys.find((k) => k.id === keyId);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" aria-label="Request a rotation">
      <Field id="rotation-key" label="Key" errors={errors?.keyId}>
        <Select id="rotation-key" name="keyId" value={keyId} onChange={(e) => setKeyId(e.currentTarget.value)}>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="rotation-reason" label="Reason" errors={errors?.reason}>
        <Input id="rotation-reason" name="reason" required defaultValue={lastValue(state, 'reason')} invalid={Boolean(errors?.reason)} />
      </Field>
      <Field id="rotation-overlap" label="Overlap (seconds)" hint="How long the old key is still accepted after approval, then it is retired." errors={errors?.overlapSeconds}>
        <Input id="rotation-overlap" name="overlapSeconds" type="number" min={1} defaultValue={lastValue(state, 'overlapSeconds') ?? String(defaultOverlapSeconds)} invalid={Boolean(errors?.overlapSeconds)} />
      </Field>
      {selected?.purpose === 'identity' ? (
        <>
          <input type="hidden" name="algorithm" value={selected.algorithm} />
          <Field id="rotation-public-key" label="New public key" hint={`The holder runs pqgate keygen --out new.json, then pqgate pubkey --identity new.json (${selected.algorithm}).`} errors={errors?.publicKey}>
            <textarea id="rotation-public-key" name="publicKey" rows={3} required defaultValue={lastValue(state, 'publicKey')} className={`${TEXTAREA} font-mono text-xs`} />
          </Field>
        </>
      ) : null}
      <FormMessage state={state} />
      {state.status === 'success' && state.data ? (
        <p className="text-sm">
          <a className="underline" href={`/rotations/${state.data.requestId}`}>
            Open the request
          </a>
        </p>
      ) : null}
      <Button type="submit" disabled={pending || !keys.length}>
        {pending ? 'Requesting…' : 'Request rotation'}
      </Button>
    </form>
  );
}

/** Approve or reject, with a reason. The server refuses the requester (two-person rule). */
export function DecideRotationForm({ requestId }: { requestId: string }) {
  const [approved, approve, approving] = useActionState(approveRotationAction, idle);
  const [rejected, reject, rejecting] = useActionState(rejectRotationAction, idle);
  const [which, setWhich] = useState<'approve' | 'reject'>('approve');
  const last = which === 'approve' ? approved : rejected;
  const errors = last.status === 'error' ? last.fieldErrors : undefined;
  return (
    <form className="space-y-4" aria-label="Decide this rotation">
      <input type="hidden" name="requestId" value={requestId} />
      <Field id="decision-reason" label="Reason" errors={errors?.reason}>
        <textarea id="decision-reason" name="reason" rows={2} required className={TEXTAREA} />
      </Field>
      <FormMessage state={last} />
      <div className="flex gap-2">
        <Button type="submit" formAction={approve} onClick={() => setWhich('approve')} disabled={approving || rejecting}>
          Approve
        </Button>
        <Button type="submit" variant="danger" formAction={reject} onClick={() => setWhich('reject')} disabled={approving || rejecting}>
          Reject
        </Button>
      </div>
    </form>
  );
}

/** The two-person rule's size and the default overlap; admins only. */
export function RotationSettingsForm({ requiredApprovals, overlapSeconds }: { requiredApprovals: number; overlapSeconds: number }) {
  const [state, action, pending] = useActionState(setRotationSettingsAction, idle);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" aria-label="Rotation settings">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="settings-approvals" label="Approvals required" hint="Distinct approvers, none of them the requester." errors={errors?.requiredApprovals}>
          <Input id="settings-approvals" name="requiredApprovals" type="number" min={1} max={10} defaultValue={lastValue(state, 'requiredApprovals') ?? String(requiredApprovals)} invalid={Boolean(errors?.requiredApprovals)} />
        </Field>
        <Field id="settings-overlap" label="Default overlap (seconds)" hint="How long a replaced key is still accepted." errors={errors?.overlapSeconds}>
          <Input id="settings-overlap" name="overlapSeconds" type="number" min={1} defaultValue={lastValue(state, 'overlapSeconds') ?? String(overlapSeconds)} invalid={Boolean(errors?.overlapSeconds)} />
        </Field>
      </div>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Save settings
      </Button>
    </form>
  );
}
