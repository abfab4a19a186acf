'use client';

import { useActionState, useState } from 'react';
import type { PolicyReview } from '@/lib/actions/policies/policy-review';
import { previewPolicySaveAction } from '@/lib/actions/policies/preview-policy-save-action';
import { savePolicyAction } from '@/lib/actions/policies/save-policy-action';
import { idle } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { PolicyChangeReview } from './policy-change-review';

/**
 * The YAML editor: problems are listed with their line and column; a valid edit is shown as
 * the list of changes it makes, and saved only when confirmed, as an import is.
 */
export function PolicyEditor({ yaml }: { yaml: string }) {
  const [preview, review, reviewing] = useActionState(previewPolicySaveAction, idle);
  const [saved, save, saving] = useActionState(savePolicyAction, idle);
  // Controlled, so the text survives the form reset React does after each action (and a cancel).
  const [text, setText] = useState(yaml);
  const [comment, setComment] = useState('');
  const [inForce, setInForce] = useState(yaml);
  if (yaml !== inForce) {
    // A new version is in force (saved here or elsewhere): show it.
    setInForce(yaml);
    setText(yaml);
    setComment('');
  }
  const [answered, setAnswered] = useState<PolicyReview | undefined>();
  const [last, setLast] = useState<'preview' | 'save'>('preview');
  const open = last === 'preview' && preview.status === 'success' && preview.data && preview.data !== answered ? preview.data : undefined;
  const problems = last === 'preview' && preview.status === 'error' ? preview.fieldErrors?.yaml : undefined;

  return (
    <div className="space-y-3">
      <form
        action={(form) => {
          setLast('preview');
          review(form);
        }}
        className="space-y-3"
        aria-label="Edit the policy"
      >
        <label htmlFor="policy-yaml" className="block text-sm font-medium">
          Policy (YAML)
        </label>
        <textarea
          id="policy-yaml"
          name="yaml"
          rows={22}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
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
          <Input id="policy-comment" name="comment" value={comment} onChange={(e) => setComment(e.target.value)} />
        </Field>
        {last === 'preview' && preview.status === 'error' ? <FormMessage state={preview} /> : null}
        <Button type="submit" disabled={reviewing || Boolean(open)}>
          {reviewing ? 'Reading…' : 'Save as new version'}
        </Button>
      </form>
      {open ? (
        <PolicyChangeReview
          review={open}
          title="Saving the editor's policy (it replaces the one in force)"
          confirmLabel={`Confirm and save as v${open.reviewedVersion + 1}`}
          fields={{ yaml: open.yaml, comment: open.comment ?? '' }}
          onConfirm={(form) => {
            setAnswered(open);
            setLast('save');
            save(form);
          }}
          onCancel={() => setAnswered(open)}
          pending={saving}
        />
      ) : null}
      {last === 'save' ? <FormMessage state={saved} /> : null}
    </div>
  );
}
