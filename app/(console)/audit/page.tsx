import type { Metadata } from 'next';
import Link from 'next/link';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Field, Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { getAuditSigningStatus } from '@/lib/data/get-audit-signing-status';
import { listAuditEvents } from '@/lib/data/list-audit-events';
import { AUDIT_DECISIONS, auditFilterSchema, type AuditFilter } from '@/lib/validations/audit';
import { DecisionBadge } from './_components/decision-badge';
import { SigningStatus } from './_components/signing-status';
import { VerifyNow } from './_components/verify-now';

export const metadata: Metadata = { title: 'Audit' };

type Search = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser('/audit');
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, first(v)]));
  const text = { actor: raw.actor ?? '', action: raw.action ?? '', decision: raw.decision ?? '', from: raw.from ?? '', to: raw.to ?? '' };
  const parsed = auditFilterSchema.safeParse({ ...text, before: raw.before ?? '' });
  const filter: Partial<AuditFilter> = parsed.success ? parsed.data : {};
  const [{ events, hasMore }, signing] = await Promise.all([listAuditEvents(user, filter), getAuditSigningStatus(user)]);
  const last = events.at(-1);
  const keep = new URLSearchParams(Object.entries(text).filter(([, v]) => v !== ''));
  const older = last ? `/audit?${new URLSearchParams([...keep, ['before', last.seq.toString()]])}` : undefined;
  const filtered = keep.size > 0;
  return (
    <>
      <PageHeader title="Audit" description="Every admin action and gateway decision, in an append-only Merkle log with signed checkpoints. Newest first; times in UTC." />
      <SigningStatus status={signing} />
      <section aria-label="Log integrity" className="mb-6 flex flex-wrap items-start gap-4">
        <VerifyNow />
        {can(user.role, 'audit:export') ? (
          <a className={buttonClasses('secondary', 'sm')} href="/api/audit/bundle" download>
            Export bundle
          </a>
        ) : null}
        <a className="text-sm text-slate-500 underline" href="/.well-known/pqgate/audit-key">
          Checkpoint key (pin it for pqgate audit verify)
        </a>
      </section>
      <form method="get" action="/audit" aria-label="Search the audit log" className="mb-6 grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
        <Field id="audit-actor" label="Actor" hint="Id, user email or IP">
          <Input id="audit-actor" name="actor" defaultValue={text.actor} />
        </Field>
        <Field id="audit-action" label="Action">
          <Input id="audit-action" name="action" defaultValue={text.action} placeholder="users.create" />
        </Field>
        <Field id="audit-decision" label="Decision">
          <Select id="audit-decision" name="decision" defaultValue={text.decision}>
            <option value="">any</option>
            {AUDIT_DECISIONS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="audit-from" label="From (UTC)">
          <Input id="audit-from" name="from" type="datetime-local" defaultValue={text.from} />
        </Field>
        <Field id="audit-to" label="To (UTC)">
          <Input id="audit-to" name="to" type="datetime-local" defaultValue={text.to} />
        </Field>
        <div className="flex gap-2">
          <Button type="submit" size="sm">
            Search
          </Button>
          {filtered ? (
            <Link className={buttonClasses('secondary', 'sm')} href="/audit">
              Clear
            </Link>
          ) : null}
        </div>
        {!parsed.success ? <p className="text-sm text-red-700 sm:col-span-3 lg:col-span-6">Some filters were not understood and were ignored: {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p> : null}
      </form>
      {events.length === 0 ? (
        <EmptyState title={filtered ? 'No event matches' : 'The audit log is empty'}>
          <p>{filtered ? 'Widen the search or clear the filters.' : 'Sign-ins, every change made in the console and every decision the gateway takes are recorded here as they happen.'}</p>
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
                  <Td className="tabular-nums">
                    <Link className="underline" href={`/audit/${e.seq.toString()}`} aria-label={`Event ${e.seq.toString()}`}>
                      {e.seq.toString()}
                    </Link>
                  </Td>
                  <Td>
                    <Time value={e.time} />
                  </Td>
                  <Td>
                    <span className="text-xs text-slate-500">{e.actorType}</span> <span className="font-mono text-xs">{e.actorEmail ?? e.actorId}</span>
                  </Td>
                  <Td className="font-mono">{e.action}</Td>
                  <Td className="font-mono text-xs">{e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '—'}</Td>
                  <Td>
                    <DecisionBadge decision={e.decision} />
                  </Td>
                  <Td className="font-mono">{e.suite ?? '—'}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Audit pages" className="mt-4 flex gap-2">
            {filter.before !== undefined ? (
              <Link className={buttonClasses('secondary', 'sm')} href={`/audit${keep.size ? `?${keep}` : ''}`}>
                Newest
              </Link>
            ) : null}
            {hasMore && older ? (
              <Link className={buttonClasses('secondary', 'sm')} href={older}>
                Older
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </>
  );
}
