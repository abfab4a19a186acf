import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/console/console-shell';
import { requirePageUser } from '@/lib/auth/current-user';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser('/');
  return <ConsoleShell user={user}>{children}</ConsoleShell>;
}
