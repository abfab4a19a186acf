'use server';

import { previewYamlAsPolicy } from '../../policy/save-yaml-as-policy';
import { previewPolicySaveSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';
import type { PolicyReview } from './policy-review';

/** Lists what the editor's text would change (it replaces the policy in force); nothing is saved yet. */
export const previewPolicySaveAction = defineAction<typeof previewPolicySaveSchema, PolicyReview>({
  name: 'policies.preview_save',
  permission: 'policy:write',
  schema: previewPolicySaveSchema,
  async run(input) {
    const { reviewedVersion, changes } = await previewYamlAsPolicy(input.yaml, 'replace');
    return {
      message: `Review the ${changes.length} change(s) to v${reviewedVersion}; nothing is saved until you confirm.`,
      data: { yaml: input.yaml, comment: input.comment, strategy: 'replace', reviewedVersion, changes },
      audit: { targetType: 'policy', targetId: `v${reviewedVersion}`, details: { changes: changes.length, saved: false } },
    };
  },
});
