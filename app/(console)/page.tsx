import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { requirePageUser } from '@/lib/auth/current-user';
import { readOverview } from '@/lib/data/read-overview';
import { PostureCharts } from './_components/posture-charts';

export const metadata: Metadata = { title: 'Overview' };

function Figure({ label, value, href, hint }: { label: string; value: number | string; href: string; hint?: string }) {
  return (
    <Link href={href} className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 dark:border-slate-800 dark:bg-slate-900">
      <p className="text-sm text-slate-600 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-3xl font-semibold tabular-nums">{typeof value === 'number' ? value.toLocaleString('en') : value}</p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </Link>
  );
}

export default async function OverviewPage() {
  const user = await requirePageUser('/');
  const o = await readOverview(user);
  return (
    <>
      <PageHeader title="Overview" description="Post-quantum posture of the MCP traffic this gateway carries. Each figure links to its page." />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Figure label="Calls under post-quantum protection" value={o.pqShare === null ? '—' : `${Math.round(o.pqShare * 100)} %`} href="/discovery" hint={`${o.totalCalls.toLocaleString('en')} calls carried`} />
        <Figure label="Classical sessions" value={o.classicalSessions} href="/discovery?suite=classical" hint="Identities last seen on a classical suite" />
        <Figure label="Refused calls" value={o.refusedCalls} href="/audit?decision=deny" />
        <Figure label="Open alerts" value={o.openAlerts} href="/alerts" />
        <Figure label="Pending rotations" value={o.pendingRotations} href="/rotations" />
        <Figure label="Overdue rotations" value={o.overdueKeys} href="/rotations" hint="Active keys past their maximum age" />
        <Figure label="Keys near maximum age" value={o.keysNearMaxAge} href="/rotations" hint="In the last fifth of their life" />
        <Figure label="Tools" value={o.tools} href="/tools" hint={o.heldTools ? `${o.heldTools} held for review` : `${o.upstreams} upstream servers`} />
      </div>
      <Card className="mt-6">
        <CardTitle description="The last 24 hours of tools/call decisions and new alerts, from the audit log.">Over time</CardTitle>
        <PostureCharts hours={o.hours} />
      </Card>
      <Card className="mt-6">
        <CardTitle description="tools/call requests the gateway carried, by the suite each session negotiated.">Calls by suite</CardTitle>
        {o.callsBySuite.length === 0 ? (
          <EmptyState title="No traffic yet">
            <p>
              Calls appear here once a client reaches a tool through the gateway, with <code>pqgate connect</code> (post-quantum) or an
              API token (classical). Register upstreams on <Link className="underline" href="/servers">Servers</Link> and clients on{' '}
              <Link className="underline" href="/identities">Identities</Link>.
            </p>
          </EmptyState>
        ) : (
          <Table caption="Calls by suite">
            <THead>
              <tr>
                <Th>Suite</Th>
                <Th className="text-right">Calls</Th>
                <Th className="text-right">Refused</Th>
              </tr>
            </THead>
            <tbody>
              {o.callsBySuite.map((row) => (
                <Tr key={row.suite}>
                  <Td className="font-mono">{row.suite}</Td>
                  <Td className="text-right tabular-nums">{row.calls}</Td>
                  <Td className="text-right tabular-nums">{row.refused}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
