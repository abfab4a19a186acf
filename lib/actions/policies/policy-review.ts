import type { ImportStrategy } from '../../policy/merge-policy';
import type { PolicyChange } from '../../policy/policy-changes';

/** What a preview hands the form: the changes to confirm, and what to send back to save them. */
export interface PolicyReview {
  yaml: string;
  fileName?: string;
  comment?: string;
  strategy: ImportStrategy;
  reviewedVersion: number;
  changes: PolicyChange[];
}

/** "3 changes (1 weakens the policy)", for the message after a save. */
export function summarizeChanges(changes: readonly PolicyChange[]): string {
  if (changes.length === 0) return 'no change to what the gateway does';
  const weakening = changes.filter((c) => c.weakens).length;
  return `${changes.length} change(s)${weakening ? `, ${weakening} weakening the policy` : ''}`;
}
