'use client';

import { startTransition, useActionState, useState } from 'react';
import { importPolicyAction } from '@/lib/actions/policies/import-policy-action';
import type { PolicyReview } from '@/lib/actions/policies/policy-review';
import { previewPolicyImportAction } from '@/lib/actions/policies/preview-policy-import-action';
import { idle } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { PolicyChangeReview } from './policy-change-review';

/**
 * Import in two steps: the file is read and its changes listed (merged into the policy in force
 * unless the admin chooses replace), then saved only when confirmed.
 */
export function ImportPolicyForm({ activeVersion }: { activeVersion: number }) {
  const [preview, review, reviewing] = useActionState(previewPolicyImportAction, idle);
  const [saved, save, saving] = useActionState(importPolicyAction, idle);
  const [answered, setAnswered] = useState<PolicyReview | undefined>();
  const [last, setLast] = useState<'preview' | 'save'>('preview');
  const open = last === 'preview' && preview.status === 'success' && preview.data && preview.data !== answered ? preview.data : undefined;
  const problems = preview.status === 'error' ? (preview.fieldErrors?.yaml ?? preview.fieldErrors?.file) : undefined;

  return (
    <div className="space-y-3">
      <form
        // Submitted by hand, not as a form action: React resets a form after its action, which
        // would empty the file and the merge/replace choice while their review is on screen.
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setLast('preview');
          startTransition(() => review(form));
        }}
        className="space-y-2"
        aria-label="Import a policy file"
      >
        <label htmlFor="policy-file" className="block text-sm font-medium">
          Import a YAML file
        </label>
        <input id="policy-file" name="file" type="file" accept=".yaml,.yml,application/yaml,text/yaml,text/plain" required className="block text-sm" />
        <fieldset className="space-y-1 text-sm">
          <legend className="font-medium">What the file does not mention</legend>
          <label className="flex items-start gap-2">
            <input type="radio" name="strategy" value="merge" defaultChecked className="mt-1" />
            <span>
              <strong>Merge</strong> into v{activeVersion}: keep it (floors, limits and switches the file leaves out stay)
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="strategy" value="replace" className="mt-1" />
            <span>
              <strong>Replace</strong> v{activeVersion}: drop it (the file becomes the whole policy)
            </span>
          </label>
        </fieldset>
        {problems ? (
          <ul className="list-disc space-y-1 pl-5 text-sm text-red-700 dark:text-red-300" aria-label="Import problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {last === 'preview' && preview.status === 'error' ? <FormMessage state={preview} /> : null}
        <Button type="submit" variant="secondary" size="sm" disabled={reviewing}>
          {reviewing ? 'Reading…' : 'Review import'}
        </Button>
      </form>
      {open ? (
        <PolicyChangeReview
          review={open}
          title={`Importing ${open.fileName} (${open.strategy === 'merge' ? `merged into v${open.reviewedVersion}` : `replacing v${open.reviewedVersion}`})`}
          confirmLabel={`Confirm and save as v${open.reviewedVersion + 1}`}
          fields={{ yaml: open.yaml, fileName: open.fileName ?? 'policy.yaml', strategy: open.strategy }}
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
