import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { getKeyHistory, getRotation } from '@/lib/data/get-rotation';
import { keyLabel } from '@/lib/data/list-rotations';
import { AppError } from '@/lib/errors';
import { KeyTimeline } from '../_components/key-timeline';
import { DecideRotationForm } from '../_components/rotation-forms';

export const metadata: Metadata = { title: 'Rotation' };

const DAY = 86_400_000;

export default async function RotationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/rotations/${id}`);
  const request = await getRotation(user, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const history = await getKeyHistory(user, request.oldKey.id);
  const old = request.oldKey;
  const ageDays = Math.floor((Date.now() - (old.activatedAt ?? old.createdAt).getTime()) / DAY);
  const approvals = request.approvals.filter((a) => a.decision === 'approve').length;
  const mine = request.requestedById === user.id;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="underline" href="/rotations">
          Rotations
        </Link>
      </p>
      <PageHeader
        title={`${request.kind === 'revoke' ? 'Revocation' : 'Rotation'} of ${keyLabel(old)}`}
        description={request.reason}
        actions={<Badge tone={request.status === 'pending' ? 'warn' : request.status === 'rejected' ? 'bad' : 'good'}>{request.status}</Badge>}
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardTitle>Request</CardTitle>
          <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">Source</dt>
            <dd>{request.source}</dd>
            <dt className="text-slate-500">Requested by</dt>
            <dd>{request.requestedBy?.email ?? (request.source === 'client' ? 'the key holder (signed with the old and the new key)' : 'the schedule')}</dd>
            <dt className="text-slate-500">Requested</dt>
            <dd>
              <Time value={request.createdAt} />
            </dd>
            <dt className="text-slate-500">Old key</dt>
            <dd className="break-all font-mono text-xs" aria-label="Old fingerprint">
              v{old.version} {old.algorithm} {old.fingerprint} ({old.state})
            </dd>
            <dt className="text-slate-500">Old key age</dt>
            <dd>
              <Badge tone={request.oldKeyDueness === 'overdue' ? 'bad' : request.oldKeyDueness === 'due' ? 'warn' : 'neutral'}>
                {ageDays} of {old.maxAgeDays} days
              </Badge>
            </dd>
            <dt className="text-slate-500">New key</dt>
            <dd className="break-all font-mono text-xs" aria-label="New fingerprint">
              {request.newKey
                ? `v${request.newKey.version} ${request.newKey.algorithm} ${request.newKey.fingerprint} (${request.newKey.state})`
                : (request.newFingerprint ?? (request.kind === 'revoke' ? 'none: the successor is already active' : 'none yet: the holder submits it with pqgate rotate'))}
            </dd>
            <dt className="text-slate-500">{request.kind === 'revoke' ? 'On approval' : 'Overlap'}</dt>
            {request.kind === 'revoke' ? (
              <dd>the old key is revoked at once (no overlap); its secret is erased and the signed trust bundle marks it revoked</dd>
            ) : (
              <dd>{request.overlapSeconds} seconds after approval the old key is retired{old.retireAt ? <> (<Time value={old.retireAt} />)</> : null}</dd>
            )}
            <dt className="text-slate-500">Approvals</dt>
            <dd>
              {approvals} of {request.requiredApprovals}
            </dd>
          </dl>
          {request.approvals.length ? (
            <ul className="mt-4 space-y-1 text-sm" aria-label="Decisions">
              {request.approvals.map((a) => (
                <li key={a.id}>
                  <Badge tone={a.decision === 'approve' ? 'good' : 'bad'}>{a.decision === 'approve' ? 'approved' : 'rejected'}</Badge> {a.approver.email}: {a.reason}{' '}
                  <Time value={a.createdAt} />
                </li>
              ))}
            </ul>
          ) : null}
          {request.status === 'completed' && request.kind === 'revoke' ? (
            <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-200">
              Completed: the key is revoked{request.newKey ? '; its successor is active' : ''}. Connectors drop it at their next trust bundle check.
            </p>
          ) : request.status === 'completed' ? (
            <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-200">
              Completed: the new key is active; the old key {old.state === 'retired' ? 'is retired' : <>is accepted until <Time value={old.retireAt} />, then retired</>}.
            </p>
          ) : request.status === 'rejected' ? (
            <p role="status" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
              Rejected: the old key stays in use; the proposed key was discarded.
            </p>
          ) : null}
          {request.status === 'pending' && can(user.role, 'rotations:approve') ? (
            <div className="mt-6">
              {mine ? (
                <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
                  You requested this rotation: another approver must decide it (two-person rule).
                </p>
              ) : null}
              <DecideRotationForm requestId={request.id} />
            </div>
          ) : null}
        </Card>
        <Card>
          <CardTitle description={`Every version of the ${history.purpose.replace('_', ' ')} key of ${history.owner}.`}>History</CardTitle>
          <KeyTimeline entries={history.entries} />
        </Card>
      </div>
    </>
  );
}
