'use server';

import { revalidatePath } from 'next/cache';
import { saveYamlAsPolicy } from '../../policy/save-yaml-as-policy';
import { importPolicySchema } from '../../validations/policy';
import { defineAction } from '../safe-action';
import { summarizeChanges } from './policy-review';

/** Saves a reviewed import: merged into the policy in force (the default) or replacing it. */
export const importPolicyAction = defineAction({
  name: 'policies.import',
  permission: 'policy:write',
  schema: importPolicySchema,
  async run(input, actor) {
    const how = input.strategy === 'merge' ? 'merged into' : 'replaced';
    const saved = await saveYamlAsPolicy({ yaml: input.yaml, strategy: input.strategy, reviewedVersion: input.reviewedVersion, comment: `Imported from ${input.fileName} (${input.strategy})`, actorId: actor.id });
    revalidatePath('/policies');
    revalidatePath('/tools');
    return {
      message: `${input.fileName} ${how} v${input.reviewedVersion}: saved as v${saved.version} (${saved.mode}), ${summarizeChanges(saved.changes)}.`,
      audit: { targetType: 'policy', targetId: `v${saved.version}`, details: { file: input.fileName, strategy: input.strategy, changes: saved.changes.slice(0, 50).map((c) => c.text), changeCount: saved.changes.length } },
    };
  },
});
