import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listRotations } from '@/lib/data/list-rotations';

export const metadata: Metadata = { title: 'Rotations' };

const DAY = 24 * 60 * 60 * 1000;

export default async function RotationsPage() {
  const user = await requirePageUser('/rotations');
  const { requests, keys } = await listRotations(user);
  const now = Date.now();
  return (
    <>
      <PageHeader title="Rotations" description="Key changes wait here until an approver other than the requester approves them (two-person rule)." />
      <Card>
        <CardTitle>Rotation requests</CardTitle>
        {requests.length === 0 ? (
          <EmptyState title="No rotation requests">
            <p>
              Requests come from the schedule (a key past its maximum age), from an admin, or from a client running <code>pqgate rotate</code>{' '}
              with both its old and new key. Each waits here for a second person&apos;s approval.
            </p>
          </EmptyState>
        ) : (
          <Table caption="Rotation requests">
            <THead>
              <tr>
                <Th>Key</Th>
                <Th>Source</Th>
                <Th>Reason</Th>
                <Th>Requested by</Th>
                <Th>Approvals</Th>
                <Th>Status</Th>
                <Th>Requested</Th>
              </tr>
            </THead>
            <tbody>
              {requests.map((r) => (
                <Tr key={r.id}>
                  <Td className="font-mono">
                    {r.oldKey.purpose} v{r.oldKey.version}
                  </Td>
                  <Td>{r.source}</Td>
                  <Td>{r.reason}</Td>
                  <Td>{r.requestedBy?.email ?? r.source}</Td>
                  <Td className="tabular-nums">
                    {r._count.approvals} / {r.requiredApprovals}
                  </Td>
                  <Td>
                    <Badge tone={r.status === 'pending' ? 'warn' : r.status === 'rejected' ? 'bad' : 'good'}>{r.status}</Badge>
                  </Td>
                  <Td>
                    <Time value={r.createdAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card className="mt-6">
        <CardTitle description="Every key in use, its state and how close it is to its maximum age.">Keys</CardTitle>
        {keys.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No keys yet. The gateway creates its signing and ticket keys when the post-quantum channel first starts; identity keys are
            enrolled on the Identities page.
          </p>
        ) : (
          <Table caption="Keys">
            <THead>
              <tr>
                <Th>Purpose</Th>
                <Th>Version</Th>
                <Th>Algorithm</Th>
                <Th>Fingerprint</Th>
                <Th>State</Th>
                <Th>Age</Th>
              </tr>
            </THead>
            <tbody>
              {keys.map((k) => {
                const ageDays = Math.floor((now - k.createdAt.getTime()) / DAY);
                return (
                  <Tr key={k.id}>
                    <Td>{k.purpose}</Td>
                    <Td>v{k.version}</Td>
                    <Td className="font-mono">{k.algorithm}</Td>
                    <Td className="font-mono text-xs">{k.fingerprint}</Td>
                    <Td>
                      <Badge tone={k.state === 'active' ? 'good' : 'neutral'}>{k.state}</Badge>
                    </Td>
                    <Td>
                      <Badge tone={ageDays >= k.maxAgeDays ? 'bad' : ageDays >= k.maxAgeDays * 0.9 ? 'warn' : 'neutral'}>
                        {ageDays} / {k.maxAgeDays} days
                      </Badge>
                    </Td>
                  </Tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
