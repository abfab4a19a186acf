import { z } from 'zod';
import { matchesChosenAlgorithm, pastedPublicKey } from './public-key';

const reason = z.string().trim().min(3, 'Say why, in a few words: the audit log keeps it.').max(500);

/** An admin's rotation request; identity keys also need the holder's new public key. */
export const requestRotationSchema = z.object({
  keyId: z.string().min(1),
  reason,
  overlapSeconds: z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? undefined : v),
    z.coerce.number({ message: 'Enter a number of seconds.' }).int().min(1, 'At least 1 second.').max(90 * 86_400, 'At most 90 days.').optional(),
  ),
  algorithm: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['ML-DSA-65', 'ML-DSA-87', 'Ed25519']).optional()),
  publicKey: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), pastedPublicKey.optional()),
})
  .superRefine((v, ctx) => matchesChosenAlgorithm(v.publicKey, v.algorithm, ctx, 'publicKey'))
  .transform((v) => ({ ...v, publicKey: v.publicKey?.publicKey }));

/** An approver's decision on a rotation request. */
export const decideRotationSchema = z.object({
  requestId: z.string().min(1),
  reason,
});

/** How many approvers a rotation needs and the default overlap window. */
export const rotationSettingsSchema = z.object({
  requiredApprovals: z.coerce.number({ message: 'Enter a number.' }).int().min(1, 'At least 1: the requester never counts.').max(10, 'At most 10.'),
  overlapSeconds: z.coerce.number({ message: 'Enter a number of seconds.' }).int().min(1, 'At least 1 second.').max(90 * 86_400, 'At most 90 days.'),
});

/** An admin's request to revoke a gateway signing key (approved like a rotation). */
export const requestRevocationSchema = z.object({
  keyId: z.string().min(1),
  reason,
});
