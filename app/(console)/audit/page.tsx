import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listAuditEvents } from '@/lib/data/list-audit-events';

export const metadata: Metadata = { title: 'Audit' };

const DECISION_TONE: Record<string, 'good' | 'bad' | 'warn' | 'neutral'> = { ok: 'good', allow: 'good', refused: 'bad', deny: 'bad', monitor: 'warn', error: 'bad' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const user = await requirePageUser('/audit');
  const { before } = await searchParams;
  const cursor = before && /^\d{1,19}$/.test(before) ? BigInt(before) : undefined;
  const { events, hasMore } = await listAuditEvents(user, cursor);
  const last = events.at(-1);
  return (
    <>
      <PageHeader title="Audit" description="Every admin action and gateway decision, in an append-only log. Newest first." />
      {events.length === 0 ? (
        <EmptyState title="The audit log is empty">
          <p>Sign-ins, every change made in the console and every decision the gateway takes are recorded here as they happen.</p>
        </EmptyState>
      ) : (
        <>
          <Table caption="Audit events">
            <THead>
              <tr>
                <Th>#</Th>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Decision</Th>
                <Th>Suite</Th>
              </tr>
            </THead>
            <tbody>
              {events.map((e) => (
                <Tr key={e.seq.toString()}>
                  <Td className="tabular-nums text-slate-500">{e.seq.toString()}</Td>
                  <Td>
                    <Time value={e.time} />
                  </Td>
                  <Td>
                    <span className="text-xs text-slate-500">{e.actorType}</span> <span className="font-mono text-xs">{e.actorId}</span>
                  </Td>
                  <Td className="font-mono">{e.action}</Td>
                  <Td className="font-mono text-xs">{e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '—'}</Td>
                  <Td>{e.decision ? <Badge tone={DECISION_TONE[e.decision] ?? 'neutral'}>{e.decision}</Badge> : '—'}</Td>
                  <Td className="font-mono">{e.suite ?? '—'}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Audit pages" className="mt-4 flex gap-2">
            {cursor ? (
              <Link className={buttonClasses('secondary', 'sm')} href="/audit">
                Newest
              </Link>
            ) : null}
            {hasMore && last ? (
              <Link className={buttonClasses('secondary', 'sm')} href={`/audit?before=${last.seq.toString()}`}>
                Older
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </>
  );
}
