import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/current-user';
import { SignInForm } from './_components/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  if (await currentUser()) redirect('/');
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">Sign in to pqgate</h1>
        <p className="mb-6 mt-1 text-sm text-slate-600 dark:text-slate-400">
          Console for post-quantum crypto floors on MCP tools. On first start the admin password is printed in the server log.
        </p>
        <SignInForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
