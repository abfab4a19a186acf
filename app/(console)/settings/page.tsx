import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can, ROLE_DESCRIPTIONS, ROLES } from '@/lib/auth/roles';
import { listAccountSignInDelays } from '@/lib/data/list-sign-in-delays';
import { listUsers } from '@/lib/data/list-users';
import { CreateUserForm } from './_components/create-user-form';
import { UnlockSignInButton } from './_components/unlock-sign-in-button';
import { UserRowActions } from './_components/user-row-actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requirePageUser('/settings');
  const users = await listUsers(user);
  const delays = await listAccountSignInDelays(user, users.map((u) => u.email));
  const manage = can(user.role, 'users:manage');
  return (
    <>
      <PageHeader title="Settings" description="Console users and their roles. An account whose sign-ins are delayed after failed attempts shows it here; the delay holds only for the addresses that failed." />
      <Card>
        <CardTitle>Users</CardTitle>
        <dl className="mb-4 grid gap-x-4 gap-y-1 text-sm text-slate-600 sm:grid-cols-[auto_1fr] dark:text-slate-400">
          {ROLES.map((r) => (
            <div key={r} className="contents">
              <dt className="font-medium text-slate-800 dark:text-slate-200">{r}</dt>
              <dd>{ROLE_DESCRIPTIONS[r]}</dd>
            </div>
          ))}
        </dl>
        <Table caption="Console users">
          <THead>
            <tr>
              <Th>User</Th>
              <Th>Role</Th>
              <Th>Last sign-in</Th>
              {manage ? <Th>Change</Th> : null}
            </tr>
          </THead>
          <tbody>
            {users.map((u) => (
              <Tr key={u.id}>
                <Td>
                  <span className="font-medium">{u.name}</span>
                  <span className="block text-xs text-slate-500">{u.email}</span>
                </Td>
                <Td>
                  <Badge tone="info">{u.role}</Badge> {u.disabled ? <Badge tone="bad">disabled</Badge> : null}{' '}
                  {delays.has(u.email) ? <SignInDelayNote delay={delays.get(u.email)!} /> : null}
                </Td>
                <Td>
                  <Time value={u.lastSignInAt} />
                </Td>
                {manage ? (
                  <Td>
                    <UserRowActions userId={u.id} email={u.email} role={u.role} disabled={u.disabled} />
                    {delays.has(u.email) ? <UnlockSignInButton userId={u.id} email={u.email} /> : null}
                  </Td>
                ) : null}
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>
      {manage ? (
        <Card className="mt-6">
          <CardTitle description="The new user signs in with this password.">Add a user</CardTitle>
          <CreateUserForm />
        </Card>
      ) : (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">Only admins add users or change roles.</p>
      )}
    </>
  );
}

/** Sign-ins of an account are delayed from some addresses (lib/auth/rate-limit.ts). */
function SignInDelayNote({ delay }: { delay: { sources: number; failures: number; until: Date } }) {
  return (
    <span className="mt-1 block text-xs text-amber-700 dark:text-amber-400">
      <Badge tone="warn">sign-in delayed</Badge> {delay.failures} failed attempts from {delay.sources} address{delay.sources === 1 ? '' : 'es'}; next try from there after <Time value={delay.until} />
    </span>
  );
}
