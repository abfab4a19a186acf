'use client';

import { useActionState } from 'react';
import { importPolicyAction } from '@/lib/actions/policies/import-policy-action';
import { rollbackPolicyAction } from '@/lib/actions/policies/rollback-policy-action';
import { savePolicyAction } from '@/lib/actions/policies/save-policy-action';
import { setPolicyModeAction } from '@/lib/actions/policies/set-policy-mode-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

/** The YAML editor: problems are listed with their line and column; nothing is saved until all are fixed. */
export function PolicyEditor({ yaml }: { yaml: string }) {
  const [state, action, pending] = useActionState(savePolicyAction, idle);
  const problems = state.status === 'error' ? state.fieldErrors?.yaml : undefined;
  return (
    <form action={action} className="space-y-3" aria-label="Edit the policy">
      <label htmlFor="policy-yaml" className="block text-sm font-medium">
        Policy (YAML)
      </label>
      <textarea
        id="policy-yaml"
        name="yaml"
        rows={22}
        spellCheck={false}
        defaultValue={lastValue(state, 'yaml') ?? yaml}
        aria-invalid={Boolean(problems) || undefined}
        aria-describedby="policy-problems"
        className="block w-full rounded-md border border-slate-300 bg-white p-3 font-mono text-xs leading-5 dark:border-slate-700 dark:bg-slate-950"
      />
      {problems ? (
        <ul id="policy-problems" className="list-disc space-y-1 pl-5 text-sm text-red-700 dark:text-red-300" aria-label="Policy problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : (
        <span id="policy-problems" />
      )}
      <Field id="policy-comment" label="What changed (optional)">
        <Input id="policy-comment" name="comment" defaultValue={lastValue(state, 'comment')} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save as new version'}
      </Button>
    </form>
  );
}

export function ImportPolicyForm() {
  const [state, action, pending] = useActionState(importPolicyAction, idle);
  const problems = state.status === 'error' ? (state.fieldErrors?.yaml ?? state.fieldErrors?.file) : undefined;
  return (
    <form action={action} className="space-y-2" aria-label="Import a policy file">
      <label htmlFor="policy-file" className="block text-sm font-medium">
        Import a YAML file
      </label>
      <input id="policy-file" name="file" type="file" accept=".yaml,.yml,application/yaml,text/yaml,text/plain" required className="block text-sm" />
      {problems ? (
        <ul className="list-disc space-y-1 pl-5 text-sm text-red-700 dark:text-red-300">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        Import
      </Button>
    </form>
  );
}

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
