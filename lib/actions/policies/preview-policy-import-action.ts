'use server';

import { previewYamlAsPolicy } from '../../policy/save-yaml-as-policy';
import { previewPolicyImportSchema } from '../../validations/policy';
import { defineAction } from '../safe-action';
import type { PolicyReview } from './policy-review';

/** Reads an import and lists what it would change; nothing is saved until the admin confirms. */
export const previewPolicyImportAction = defineAction<typeof previewPolicyImportSchema, PolicyReview>({
  name: 'policies.preview_import',
  permission: 'policy:write',
  schema: previewPolicyImportSchema,
  async run(input) {
    const yaml = await input.file.text();
    const { reviewedVersion, changes } = await previewYamlAsPolicy(yaml, input.strategy);
    return {
      message: `Review the ${changes.length} change(s) ${input.file.name} makes to v${reviewedVersion}; nothing is saved until you confirm.`,
      data: { yaml, fileName: input.file.name, strategy: input.strategy, reviewedVersion, changes },
      audit: { targetType: 'policy', targetId: `v${reviewedVersion}`, details: { file: input.file.name, strategy: input.strategy, changes: changes.length, saved: false } },
    };
  },
});
