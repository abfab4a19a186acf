import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { getAuditEvent } from '@/lib/data/get-audit-event';
import { AppError } from '@/lib/errors';
import { DecisionBadge } from '../_components/decision-badge';

export const metadata: Metadata = { title: 'Audit event' };

export default async function AuditEventPage({ params }: { params: Promise<{ seq: string }> }) {
  const { seq: raw } = await params;
  const user = await requirePageUser(`/audit/${raw}`);
  if (!/^\d{1,15}$/.test(raw)) notFound();
  let data: Awaited<ReturnType<typeof getAuditEvent>>;
  try {
    data = await getAuditEvent(user, Number(raw));
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') notFound();
    throw e;
  }
  const { event, proof } = data;
  const rows: [string, React.ReactNode][] = [
    ['Time', <Time key="t" value={event.time} />],
    ['Actor', `${event.actorType} ${event.actorId}`],
    ['Action', event.action],
    ['Target', event.targetType ? `${event.targetType}:${event.targetId ?? ''}` : '—'],
    ['Decision', <DecisionBadge key="d" decision={event.decision} />],
    ['Suite', event.suite ?? '—'],
    ['Request id', event.requestId ?? '—'],
  ];
  const intact = data.leafHashMatches && proof?.verified === true;
  return (
    <>
      <PageHeader title={`Audit event #${event.seq}`} description="The event as stored, and its proof of inclusion in the newest signed checkpoint." />
      <p className="mb-4">
        <Link className="text-sm underline" href="/audit">
          ← Audit log
        </Link>
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>Event</CardTitle>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            {rows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd className="font-mono text-xs break-all">{v}</dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 text-sm font-medium">Details</h3>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-3 text-xs dark:bg-slate-900">{JSON.stringify(event.details, null, 2)}</pre>
        </Card>
        <Card>
          <CardTitle>Inclusion proof</CardTitle>
          <p role="status" aria-label="Proof result" className={intact ? 'text-sm text-emerald-700 dark:text-emerald-300' : 'text-sm text-red-700 dark:text-red-300'}>
            {intact
              ? `Verified: this event, rehashed from its fields, is leaf ${event.seq} of the checkpoint of size ${proof!.treeSize} signed by ${proof!.signedBy}.`
              : !data.leafHashMatches
                ? 'Tampered: the event no longer hashes to its stored leaf hash — its fields were edited.'
                : (data.problem ?? 'Not verified: the proof does not lead to the signed root — the log was altered. Run "Verify now" on the Audit page to locate it.')}
          </p>
          <dl className="mt-3 space-y-2 text-xs">
            <dt className="text-slate-500">Leaf hash (stored)</dt>
            <dd className="font-mono break-all">{data.leafHash}</dd>
            {proof ? (
              <>
                <dt className="text-slate-500">Signed root (tree size {proof.treeSize})</dt>
                <dd className="font-mono break-all">{proof.rootHash}</dd>
                <dt className="text-slate-500">Audit path (RFC 9162 §2.1.3, leaf side first)</dt>
                <dd>
                  <ol className="list-decimal pl-5 font-mono break-all">
                    {proof.hashes.map((h, i) => (
                      <li key={i}>{h}</li>
                    ))}
                  </ol>
                </dd>
                <dt className="text-slate-500">Checkpoint</dt>
                <dd>
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2 dark:bg-slate-900">{proof.checkpoint.length > 400 ? `${proof.checkpoint.slice(0, 400)}…` : proof.checkpoint}</pre>
                </dd>
              </>
            ) : null}
          </dl>
        </Card>
      </div>
    </>
  );
}
