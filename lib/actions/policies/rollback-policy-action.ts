'use server';

import { revalidatePath } from 'next/cache';
import { db } from '../../db';
import { AppError } from '../../errors';
import { policyDocumentSchema } from '../../policy/policy-document';
import { savePolicyVersion } from '../../policy/save-policy-version';
import { rollbackPolicySchema } from '../../validations/policy';
import { defineAction } from '../safe-action';

/** Rolls back by saving an old version's document again as the newest version (history is kept). */
export const rollbackPolicyAction = defineAction({
  name: 'policies.rollback',
  permission: 'policy:write',
  schema: rollbackPolicySchema,
  async run(input, actor) {
    const old = await db.policyVersion.findUnique({ where: { version: input.version }, select: { document: true, yaml: true } });
    if (!old) throw new AppError('not_found', `There is no policy v${input.version}.`);
    const saved = await savePolicyVersion({ document: policyDocumentSchema.parse(old.document), yaml: old.yaml, comment: `Rolled back to v${input.version}`, actorId: actor.id });
    revalidatePath('/policies');
    revalidatePath('/tools');
    return { message: `v${input.version} is in force again, as v${saved.version}.`, audit: { targetType: 'policy', targetId: `v${saved.version}`, details: { rolledBackTo: input.version } } };
  },
});
