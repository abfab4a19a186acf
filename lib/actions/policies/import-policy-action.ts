'use server';

import { revalidatePath } from 'next/cache';
import { importPolicySchema } from '../../validations/policy';
import { defineAction } from '../safe-action';
import { saveYamlAsPolicy } from '../../policy/save-yaml-as-policy';

export const importPolicyAction = defineAction({
  name: 'policies.import',
  permission: 'policy:write',
  schema: importPolicySchema,
  async run(input, actor) {
    const saved = await saveYamlAsPolicy(await input.file.text(), `Imported from ${input.file.name}`, actor.id);
    revalidatePath('/policies');
    revalidatePath('/tools');
    return { message: `${input.file.name} imported as v${saved.version} (${saved.mode}).`, audit: { targetType: 'policy', targetId: `v${saved.version}`, details: { file: input.file.name } } };
  },
});
