import { z } from 'zod';
import { matchesChosenAlgorithm, pastedPublicKey } from './public-key';

const slugList = z
  .string()
  .trim()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use lowercase names separated by commas, e.g. clinic-records, inventory.')));

export const createIdentitySchema = z.object({
  name: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'Use 2–63 lowercase letters, digits, dots, dashes or underscores, e.g. ehr-assistant.'),
  owner: z.string().trim().min(1, 'Name the person or team responsible.').max(120),
  kind: z.enum(['person', 'agent', 'service'], { message: 'Choose person, agent or service.' }),
  labels: slugList.default([]),
  allowedServers: slugList.default([]),
});

/** A public key pasted from `pqgate pubkey` (all its output, or the key alone), or generated in the browser. */
export const enrollKeySchema = z
  .object({
    identityId: z.string().min(1),
    algorithm: z.enum(['ML-DSA-65', 'ML-DSA-87', 'Ed25519'], { message: 'Choose ML-DSA-65, ML-DSA-87 or Ed25519.' }),
    publicKey: pastedPublicKey,
  })
  .superRefine((v, ctx) => matchesChosenAlgorithm(v.publicKey, v.algorithm, ctx, 'publicKey'))
  .transform((v) => ({ ...v, publicKey: v.publicKey.publicKey }));

export const issueTokenSchema = z.object({
  identityId: z.string().min(1),
  name: z.string().trim().min(1, 'Name the token, e.g. the machine or client it is for.').max(80),
  expiresInDays: z.coerce.number({ message: 'Enter a number of days.' }).int().min(1, 'At least 1 day.').max(365, 'At most 365 days; issue a new token after that.'),
});

export const setIdentityStatusSchema = z.object({
  identityId: z.string().min(1),
  status: z.enum(['active', 'suspended', 'revoked']),
});
