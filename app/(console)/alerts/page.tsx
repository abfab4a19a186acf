import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listAlerts } from '@/lib/data/list-alerts';

export const metadata: Metadata = { title: 'Alerts' };

const SEVERITY_TONE = { low: 'neutral', medium: 'warn', high: 'bad', critical: 'bad' } as const;

export default async function AlertsPage() {
  const user = await requirePageUser('/alerts');
  const alerts = await listAlerts(user);
  return (
    <>
      <PageHeader title="Alerts" description="Downgrade attempts, replays, bad signatures, unknown identities, handshake bursts and latency spikes." />
      {alerts.length === 0 ? (
        <EmptyState title="No alerts">
          <p>
            The gateway raises an alert when it sees a stripped suite offer, a replayed record, a bad signature, an unknown or revoked
            identity, a burst of failed handshakes, a client falling back to classical, or a latency spike. None so far.
          </p>
        </EmptyState>
      ) : (
        <Table caption="Alerts">
          <THead>
            <tr>
              <Th>Alert</Th>
              <Th>Severity</Th>
              <Th>Status</Th>
              <Th className="text-right">Count</Th>
              <Th>First seen</Th>
              <Th>Last seen</Th>
            </tr>
          </THead>
          <tbody>
            {alerts.map((a) => (
              <Tr key={a.id}>
                <Td>
                  <span className="font-medium">{a.title}</span>
                  <span className="block font-mono text-xs text-slate-500">
                    {a.kind}
                    {a.source ? ` · ${a.source}` : ''}
                  </span>
                </Td>
                <Td>
                  <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
                </Td>
                <Td>{a.status}</Td>
                <Td className="text-right tabular-nums">{a.count}</Td>
                <Td>
                  <Time value={a.firstSeenAt} />
                </Td>
                <Td>
                  <Time value={a.lastSeenAt} />
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
