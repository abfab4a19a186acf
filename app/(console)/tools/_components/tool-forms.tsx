'use client';

import { useActionState } from 'react';
import { addToolLabelAction } from '@/lib/actions/tools/add-tool-label-action';
import { approveToolAction } from '@/lib/actions/tools/approve-tool-action';
import { reviewToolLabelAction } from '@/lib/actions/tools/review-tool-label-action';
import { setFloorsAction } from '@/lib/actions/tools/set-floors-action';
import { suggestLabelsAction } from '@/lib/actions/tools/suggest-labels-action';
import { idle, type ActionState } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

const FLOOR_OPTIONS = ['classical-ok', 'ML-KEM-768', 'ML-KEM-1024'] as const;

function FloorSelect({ id, label, defaultValue }: { id: string; label: string; defaultValue?: string }) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Select id={id} name="floor" defaultValue={defaultValue ?? 'ML-KEM-768'} className="w-40">
        {FLOOR_OPTIONS.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
        <option value="none">none (clear)</option>
      </Select>
    </>
  );
}

/** The form the row checkboxes belong to (form="bulk-tools"): set a floor or add a label to all selected. */
export function BulkToolsForm() {
  const [floorState, floorAction, floorPending] = useActionState(setFloorsAction, idle);
  const [labelState, labelAction, labelPending] = useActionState(addToolLabelAction, idle);
  const shown: ActionState<unknown> = labelState.status !== 'idle' && floorState.status === 'idle' ? labelState : floorState;
  return (
    <form id="bulk-tools" aria-label="Selected tools" className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <input type="hidden" name="scope" value="tool" />
      <span className="text-sm font-medium">Selected tools:</span>
      <FloorSelect id="bulk-floor" label="Floor for the selected tools" />
      <Button type="submit" size="sm" formAction={floorAction} disabled={floorPending}>
        Set floor
      </Button>
      <label htmlFor="bulk-label" className="sr-only">
        Label for the selected tools
      </label>
      <Input id="bulk-label" name="label" placeholder="label, e.g. finance" className="w-44" />
      <Button type="submit" size="sm" variant="secondary" formAction={labelAction} disabled={labelPending}>
        Add label
      </Button>
      <div className="basis-full">
        <FormMessage state={shown} />
        {shown.status === 'error' && shown.fieldErrors?.targets ? <p className="text-xs text-red-600">{shown.fieldErrors.targets.join(' ')}</p> : null}
      </div>
    </form>
  );
}

/** The floor of one label or one server. */
export function ScopeFloorForm({ scope, target, current }: { scope: 'label' | 'server'; target: string; current?: string }) {
  const [state, action, pending] = useActionState(setFloorsAction, idle);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" aria-label={`Floor of ${scope} ${target}`}>
      <input type="hidden" name="scope" value={scope} />
      <input type="hidden" name="targets" value={target} />
      <FloorSelect id={`floor-${scope}-${target}`} label={`Floor of ${scope} ${target}`} defaultValue={current ?? 'none'} />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        Save
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function LabelReview({ toolId, label }: { toolId: string; label: string }) {
  const [state, action, pending] = useActionState(reviewToolLabelAction, idle);
  return (
    <form action={action} className="inline-flex items-center gap-1" aria-label={`Suggested label ${label}`}>
      <input type="hidden" name="toolId" value={toolId} />
      <input type="hidden" name="label" value={label} />
      <span className="rounded border border-dashed border-slate-400 px-1.5 py-0.5 text-xs">{label}?</span>
      <button type="submit" name="decision" value="confirm" disabled={pending} className="text-xs text-emerald-700 underline dark:text-emerald-400" aria-label={`Confirm label ${label}`}>
        confirm
      </button>
      <button type="submit" name="decision" value="dismiss" disabled={pending} className="text-xs text-slate-500 underline" aria-label={`Dismiss label ${label}`}>
        dismiss
      </button>
      {state.status === 'error' ? <span className="text-xs text-red-600">{state.message}</span> : null}
    </form>
  );
}

export function SuggestLabelsButton() {
  const [state, action, pending] = useActionState(suggestLabelsAction, idle);
  return (
    <form action={action} className="flex items-center gap-2">
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        Suggest labels
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function ApproveToolButton({ toolId, toolKey }: { toolId: string; toolKey: string }) {
  const [state, action, pending] = useActionState(approveToolAction, idle);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="toolId" value={toolId} />
      <Button type="submit" size="sm" disabled={pending} aria-label={`Approve the new definition of ${toolKey}`}>
        Approve new definition
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
