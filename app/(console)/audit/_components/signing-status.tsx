import Link from 'next/link';
import { Time } from '@/components/ui/time';
import type { getAuditSigningStatus } from '@/lib/data/get-audit-signing-status';

type Status = Awaited<ReturnType<typeof getAuditSigningStatus>>;

/** The audit signer's state: a loud banner when it stopped signing, one quiet line otherwise. */
export function SigningStatus({ status }: { status: Status }) {
  const { refusal, alert, witness } = status;
  if (refusal || alert || status.stateUnreadable) {
    return (
      <div role="alert" className="mb-6 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
        <p className="font-semibold">{refusal?.kind === 'rollback' ? 'Audit history rolled back' : 'Audit history rewritten'}: checkpoint signing stopped</p>
        {refusal ? (
          <p className="mt-1">
            {refusal.message} (since <Time value={refusal.since} />)
          </p>
        ) : null}
        {alert ? (
          <p className="mt-1">
            {alert.title} — seen {alert.count} time(s), last <Time value={alert.lastSeenAt} />.{' '}
            <Link className="underline" href="/alerts?kind=audit_history_rewritten">
              Open the alert
            </Link>
          </p>
        ) : null}
        <p className="mt-1">New events are still recorded but not signed. Restore the database from a backup, or read docs/audit.md before accepting the new history.</p>
      </div>
    );
  }
  return (
    <p className="mb-6 text-sm text-slate-500">
      Signer: {status.signedSize !== undefined ? `last signed checkpoint of ${status.signedSize} events, kept outside the database` : 'no checkpoint signed by this replica yet (the first is trusted on first use)'}.{' '}
      {witness ? `Witness ${witness.name}: ${witness.lastError ?? (witness.cosignedSize !== undefined ? `cosigned up to ${witness.cosignedSize}` : 'no cosignature yet')}.` : 'No witness configured.'}
    </p>
  );
}
