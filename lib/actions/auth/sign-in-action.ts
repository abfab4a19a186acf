'use server';

import { AuthError } from 'next-auth';
import { z } from 'zod';
import { signIn } from '../../auth';
import { signInSchema } from '../../validations/sign-in';
import { echoValues, type ActionState } from '../safe-action-state';

/** Only same-site paths, so a crafted link cannot send a signed-in admin elsewhere. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/sign-in') ? url : '/';
}

export async function signInAction(_previous: ActionState | undefined, form: FormData): Promise<ActionState> {
  const raw = Object.fromEntries(form.entries());
  const values = echoValues(raw);
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) {
    return { status: 'error', code: 'invalid_input', message: 'Some fields need attention.', fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, values };
  }
  try {
    await signIn('credentials', { email: parsed.data.email, password: parsed.data.password, redirectTo: safeCallback(parsed.data.callbackUrl) });
    return { status: 'success', message: 'Signed in.' };
  } catch (error) {
    // signIn redirects by throwing; only Auth.js's own errors are answers for the form.
    if (!(error instanceof AuthError)) throw error;
    const code = (error as AuthError & { code?: string }).code;
    if (code === 'rate_limited') {
      return { status: 'error', code: 'rate_limited', message: 'Too many failed sign-ins for this account from your network. Wait at least 15 seconds before the next try (each further failure doubles the wait), or ask an admin to lift the delay on the Settings page.', values };
    }
    return { status: 'error', code: 'invalid_credentials', message: 'Wrong email or password, or the account is disabled.', values };
  }
}
