import { z } from 'zod';

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter the email address of your console account.')),
  password: z.string().min(1, 'Enter your password.').max(1024),
  callbackUrl: z.string().optional(),
});
