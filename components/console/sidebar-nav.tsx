'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '../ui/cn';
import { NAV_ITEMS } from './nav-items';

/** The section links, marking the current one for sighted and screen-reader users alike. */
export function SidebarNav() {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {NAV_ITEMS.map((item) => {
        const current = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              // Every console page is dynamic: a prefetch is a server render that is thrown away,
              // and Next.js repeats it for each link whenever the page refreshes.
              prefetch={false}
              aria-current={current ? 'page' : undefined}
              className={cn(
                'block rounded-md px-3 py-1.5 text-sm',
                current
                  ? 'bg-brand-600 font-medium text-white'
                  : 'text-slate-700 hover:bg-slate-200/70 dark:text-slate-300 dark:hover:bg-slate-800',
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
