import { z } from 'zod';
import { ROLES } from '../auth/roles';

export const passwordSchema = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(256, 'Use at most 256 characters.');

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter an email address, e.g. ana@example.com.')),
  name: z.string().trim().min(1, 'Enter a name.').max(100),
  role: z.enum(ROLES, { message: `Choose a role: ${ROLES.join(', ')}.` }),
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(ROLES, { message: `Choose a role: ${ROLES.join(', ')}.` }).optional(),
  disabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const unlockUserSignInSchema = z.object({ userId: z.string().min(1) });
