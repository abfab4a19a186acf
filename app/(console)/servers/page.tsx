import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { listUpstreams } from '@/lib/data/list-upstreams';
import { RegisterServerForm, ServerRowActions } from './_components/server-forms';

export const metadata: Metadata = { title: 'Servers' };

const LIVE_TONE = { ready: 'good', connecting: 'info', down: 'bad' } as const;

/** One line on how clients meet the server, in the words the settings form uses. */
function relaySummary(u: { shared: boolean; allowSampling: boolean; allowElicitation: boolean }): string {
  if (u.shared) return 'shared: one session for all clients';
  const refused = [u.allowSampling ? null : 'sampling', u.allowElicitation ? null : 'elicitation'].filter(Boolean);
  return `one session per client${refused.length ? `; refuses ${refused.join(' and ')}` : ''}`;
}

export default async function ServersPage() {
  const user = await requirePageUser('/servers');
  const upstreams = await listUpstreams(user);
  const manage = can(user.role, 'upstreams:manage');
  return (
    <>
      <PageHeader title="Servers" description="The upstream MCP servers behind the gateway. Clients reach each at /api/mcp/<server>, with the same tools under the same names." />
      {upstreams.length === 0 ? (
        <EmptyState title="No upstream servers">
          <p>
            Register a Streamable HTTP or stdio MCP server below to put it behind the gateway. With the demo on (the default), <code>npm start</code> runs and
            registers two: <code>clinic-records</code> and <code>inventory</code>.
          </p>
        </EmptyState>
      ) : (
        <Table caption="Upstream servers">
          <THead>
            <tr>
              <Th>Server</Th>
              <Th>Transport</Th>
              <Th>Endpoint</Th>
              <Th>Labels</Th>
              <Th className="text-right">Tools</Th>
              <Th>Status</Th>
              <Th>Last listed</Th>
              {manage ? <Th>Manage</Th> : null}
            </tr>
          </THead>
          <tbody>
            {upstreams.map((u) => {
              const state = u.live?.state;
              return (
                <Tr key={u.id}>
                  <Td>
                    <span className="font-medium">{u.name}</span>
                    <span className="block font-mono text-xs text-slate-500">/api/mcp/{u.slug}</span>
                    <span className="block max-w-md text-xs text-slate-500">{u.description}</span>
                  </Td>
                  <Td>
                    {u.transport}
                    <span className="block text-xs text-slate-500">{relaySummary(u)}</span>
                  </Td>
                  <Td className="font-mono text-xs">
                    {u.transport === 'http' ? u.url : [u.command, ...u.args].join(' ')}
                    {u.hasCredentials ? <span className="block text-slate-500">credentials: sealed</span> : null}
                  </Td>
                  <Td className="space-x-1">
                    {u.labels.map((l) => (
                      <Badge key={l}>{l}</Badge>
                    ))}
                  </Td>
                  <Td className="text-right tabular-nums">{u._count.tools}</Td>
                  <Td>
                    {state ? <Badge tone={LIVE_TONE[state]}>{state === 'ready' ? 'connected' : state}</Badge> : <Badge tone={u.status === 'down' ? 'bad' : 'neutral'}>{u.status === 'down' ? 'down' : 'not connected yet'}</Badge>}
                    {u.live?.restarts ? <span className="block text-xs text-slate-500">{u.live.restarts} restart(s)</span> : null}
                    {(u.live?.lastError ?? u.lastError) && state !== 'ready' ? <span className="block max-w-xs text-xs text-red-600">{u.live?.lastError ?? u.lastError}</span> : null}
                  </Td>
                  <Td>
                    <Time value={u.lastListedAt} />
                  </Td>
                  {manage ? (
                    <Td>
                      <ServerRowActions upstreamId={u.id} slug={u.slug} transport={u.transport} settings={{ shared: u.shared, allowSampling: u.allowSampling, allowElicitation: u.allowElicitation }} />
                    </Td>
                  ) : null}
                </Tr>
              );
            })}
          </tbody>
        </Table>
      )}
      {manage ? (
        <Card className="mt-6">
          <CardTitle description="The gateway connects at once and lists the server's tools; new tools are pinned by a hash of their definition.">Register a server</CardTitle>
          <RegisterServerForm />
        </Card>
      ) : null}
    </>
  );
}
