'use server';

import { revalidatePath } from 'next/cache';
import { bumpGatewayEpoch } from '../../gateway-store/gateway-epoch';
import { decideRotation } from '../../rotations/decide-rotation';
import { decideRotationSchema } from '../../validations/rotation';
import { defineAction } from '../safe-action';

export const approveRotationAction = defineAction({
  name: 'rotations.approve',
  permission: 'rotations:approve',
  schema: decideRotationSchema,
  async run(input, user) {
    const result = await decideRotation({ ...input, decision: 'approve' }, user);
    // The gateway reloads its signing keys and identity keys now; other replicas within a second.
    if (result.outcome === 'completed') await bumpGatewayEpoch();
    revalidatePath('/rotations');
    revalidatePath(`/rotations/${input.requestId}`);
    return {
      message:
        result.outcome === 'completed' && result.kind === 'revoke'
          ? 'Approved: the key is revoked; connectors refuse it from their next trust bundle check.'
          : result.outcome === 'completed'
          ? `Approved: the new key is active; the old one is accepted for ${result.overlapSeconds} more seconds, then retired.`
          : `Approval recorded (${result.approvals} of ${result.requiredApprovals}); it needs another approver.`,
      audit: { targetType: 'rotation', targetId: result.id, details: { kind: result.kind, outcome: result.outcome, approvals: result.approvals, requiredApprovals: result.requiredApprovals, reason: input.reason, oldFingerprint: result.oldKey.fingerprint } },
    };
  },
});
