import Link from 'next/link';
import type { ReactNode } from 'react';
import type { SessionUser } from '@/lib/auth/current-user';
import { signOutAction } from '@/lib/actions/auth/sign-out-action';
import { Button } from '../ui/button';
import { SidebarNav } from './sidebar-nav';

function Brand() {
  return (
    <Link href="/" prefetch={false} className="flex items-center gap-2 text-lg font-semibold tracking-tight">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src="/icon.svg" alt="" width={24} height={24} />
      pqgate
    </Link>
  );
}

function UserBox({ user }: { user: SessionUser }) {
  return (
    <div className="space-y-2 border-t border-slate-200 pt-3 text-sm dark:border-slate-800">
      <p className="truncate" title={user.email}>
        <span className="font-medium">{user.name}</span>
        <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
          {user.email} · {user.role}
        </span>
      </p>
      <form action={signOutAction}>
        <Button type="submit" variant="secondary" size="sm" className="w-full">
          Sign out
        </Button>
      </form>
    </div>
  );
}

/** The console frame: a sidebar on wide screens, a collapsible menu on narrow ones. */
export function ConsoleShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  return (
    <div className="min-h-screen md:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white p-4 md:flex dark:border-slate-800 dark:bg-slate-900">
        <Brand />
        <nav aria-label="Console" className="flex-1">
          <SidebarNav />
        </nav>
        <UserBox user={user} />
      </aside>
      <details className="border-b border-slate-200 bg-white md:hidden dark:border-slate-800 dark:bg-slate-900">
        <summary className="flex cursor-pointer items-center justify-between px-4 py-3">
          <span className="font-semibold">pqgate</span>
          <span className="text-sm text-slate-600 dark:text-slate-400">Menu</span>
        </summary>
        <div className="space-y-4 px-4 pb-4">
          <nav aria-label="Console (mobile)">
            <SidebarNav />
          </nav>
          <UserBox user={user} />
        </div>
      </details>
      <main id="main" className="min-w-0 flex-1 p-4 md:p-8">
        {children}
      </main>
    </div>
  );
}
