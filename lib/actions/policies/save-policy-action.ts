'use server';

import { revalidatePath } from 'next/cache';
import { saveYamlAsPolicy } from '../../policy/save-yaml-as-policy';
import { savePolicySchema } from '../../validations/policy';
import { defineAction } from '../safe-action';
import { summarizeChanges } from './policy-review';

/** Saves the editor's reviewed text as the next version (it replaces the policy in force). */
export const savePolicyAction = defineAction({
  name: 'policies.save',
  permission: 'policy:write',
  schema: savePolicySchema,
  async run(input, actor) {
    const saved = await saveYamlAsPolicy({ yaml: input.yaml, strategy: 'replace', reviewedVersion: input.reviewedVersion, comment: input.comment || 'Edited in the console', actorId: actor.id });
    revalidatePath('/policies');
    revalidatePath('/tools');
    return {
      message: `Saved as v${saved.version} (${saved.mode}), ${summarizeChanges(saved.changes)}; the gateway applies it within 2 seconds.`,
      audit: { targetType: 'policy', targetId: `v${saved.version}`, details: { mode: saved.mode, comment: input.comment, changes: saved.changes.slice(0, 50).map((c) => c.text), changeCount: saved.changes.length } },
    };
  },
});
