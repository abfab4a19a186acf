import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listUpstreams } from '@/lib/data/list-upstreams';

export const metadata: Metadata = { title: 'Servers' };

const STATUS_TONE = { up: 'good', down: 'bad', unknown: 'neutral' } as const;

export default async function ServersPage() {
  const user = await requirePageUser('/servers');
  const upstreams = await listUpstreams(user);
  return (
    <>
      <PageHeader title="Servers" description="The upstream MCP servers behind the gateway. Each is reached by clients at /api/mcp/<server>." />
      {upstreams.length === 0 ? (
        <EmptyState title="No upstream servers">
          <p>
            Register a Streamable HTTP or stdio MCP server to put it behind the gateway. With the demo on (the default),{' '}
            <code>npm start</code> runs and registers two: <code>clinic-records</code> and <code>inventory</code>.
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
            </tr>
          </THead>
          <tbody>
            {upstreams.map((u) => (
              <Tr key={u.id}>
                <Td>
                  <span className="font-medium">{u.name}</span>
                  <span className="block font-mono text-xs text-slate-500">/api/mcp/{u.slug}</span>
                  <span className="block max-w-md text-xs text-slate-500">{u.description}</span>
                </Td>
                <Td>{u.transport}</Td>
                <Td className="font-mono text-xs">{u.transport === 'http' ? u.url : [u.command, ...u.args].join(' ')}</Td>
                <Td className="space-x-1">
                  {u.labels.map((l) => (
                    <Badge key={l}>{l}</Badge>
                  ))}
                </Td>
                <Td className="text-right tabular-nums">{u._count.tools}</Td>
                <Td>
                  <Badge tone={STATUS_TONE[u.status]}>{u.status}</Badge>
                  {u.lastError ? <span className="block max-w-xs text-xs text-red-600">{u.lastError}</span> : null}
                </Td>
                <Td>
                  <Time value={u.lastListedAt} />
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
