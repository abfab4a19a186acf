import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listDiscoveryEdges } from '@/lib/data/list-discovery-edges';

export const metadata: Metadata = { title: 'Discovery' };

export default async function DiscoveryPage() {
  const user = await requirePageUser('/discovery');
  const { edges, total } = await listDiscoveryEdges(user);
  return (
    <>
      <PageHeader title="Discovery" description="Every identity → upstream → tool edge the gateway has carried, with the suite that protected it." />
      {edges.length === 0 ? (
        <EmptyState title="No edges discovered yet">
          <p>
            The gateway records an edge the first time an identity calls a tool. Connect an MCP client through <code>pqgate connect</code>{' '}
            or with an API token, and call a tool: it shows here with its suite, counts and last use.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            Showing the {edges.length} most recent of {total} edges.
          </p>
          <Table caption="Discovery edges">
            <THead>
              <tr>
                <Th>Identity</Th>
                <Th>Upstream</Th>
                <Th>Tool</Th>
                <Th>Suite</Th>
                <Th className="text-right">Calls</Th>
                <Th className="text-right">Refused</Th>
                <Th>Last seen</Th>
              </tr>
            </THead>
            <tbody>
              {edges.map((e) => (
                <Tr key={e.id}>
                  <Td>{e.identity?.name ?? e.subject}</Td>
                  <Td className="font-mono">{e.upstream.slug}</Td>
                  <Td className="font-mono">{e.toolName}</Td>
                  <Td className="font-mono">{e.suite}</Td>
                  <Td className="text-right tabular-nums">{e.calls}</Td>
                  <Td className="text-right tabular-nums">{e.refused}</Td>
                  <Td>
                    <Time value={e.lastSeenAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </>
  );
}
