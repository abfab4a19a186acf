'use client';

import type { PolicyReview } from '@/lib/actions/policies/policy-review';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';

const KIND_TONE = { added: 'info', removed: 'bad', changed: 'neutral' } as const;

/**
 * The confirmation before a policy is saved: every change it makes, weakening ones marked, and
 * the buttons to save exactly that (the server refuses it if the policy moved in between).
 */
export function PolicyChangeReview({
  review,
  title,
  confirmLabel,
  fields,
  onConfirm,
  onCancel,
  pending,
}: {
  review: PolicyReview;
  title: string;
  confirmLabel: string;
  /** What the confirming form sends back, besides the version it was reviewed against. */
  fields: Record<string, string>;
  onConfirm: (form: FormData) => void;
  onCancel: () => void;
  pending: boolean;
}) {
  const weakening = review.changes.filter((c) => c.weakens).length;
  return (
    <form action={onConfirm} aria-label={title} className="space-y-3 rounded-md border border-amber-300 bg-amber-50/60 p-3 dark:border-amber-700 dark:bg-amber-950/30">
      {Object.entries({ ...fields, reviewedVersion: String(review.reviewedVersion) }).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="text-sm font-medium">{title}</p>
      {review.changes.length === 0 ? (
        <p className="text-sm">This changes nothing the gateway does (v{review.reviewedVersion} stays as it is in effect).</p>
      ) : (
        <>
          <p className="text-sm">
            Against v{review.reviewedVersion}, {review.changes.length} change(s)
            {weakening ? <strong>, {weakening} weakening the policy</strong> : null}:
          </p>
          <ul aria-label="Changes to be saved" className="max-h-72 space-y-1 overflow-y-auto text-sm">
            {review.changes.map((c) => (
              <li key={c.path} className="flex flex-wrap items-center gap-1.5">
                <Badge tone={KIND_TONE[c.kind]}>{c.kind}</Badge>
                <span className="font-mono text-xs">{c.text}</span>
                {c.weakens ? <Badge tone="warn">weakens</Badge> : null}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? 'Saving…' : confirmLabel}
        </Button>
        <Button type="button" size="sm" variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
