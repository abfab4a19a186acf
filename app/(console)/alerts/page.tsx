import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Field, Input, Select } from '@/components/ui/field';
import { LiveRefresh } from '@/components/live-refresh';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { listAlerts } from '@/lib/data/list-alerts';
import { readAlertsVersion } from '@/lib/data/read-alerts-version';
import { env } from '@/lib/env';
import { ALERT_SEVERITIES, alertFilterSchema } from '@/lib/validations/alert';
import { AlertStatusButtons } from './_components/alert-status-buttons';

export const metadata: Metadata = { title: 'Alerts' };

const SEVERITY_TONE = { low: 'neutral', medium: 'warn', high: 'bad', critical: 'bad' } as const;
const STATUS_TONE = { open: 'bad', acknowledged: 'warn', resolved: 'good' } as const;
const KINDS = {
  downgrade: 'Downgrade attempt',
  replay: 'Replayed record',
  bad_signature: 'Bad signature',
  unknown_identity: 'Unknown identity or token',
  revoked_identity: 'Revoked or suspended identity',
  handshake_burst: 'Failed-handshake burst',
  pq_fallback: 'Post-quantum to classical',
  latency_spike: 'Latency spike',
  audit_history_rewritten: 'Audit history rewritten',
  traffic_unstored: 'Gateway decision not stored',
} as const;

type Search = Record<string, string | string[] | undefined>;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser('/alerts');
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = alertFilterSchema.parse(raw);
  const [alerts, version] = await Promise.all([listAlerts(user, filter), readAlertsVersion(user)]);
  const manage = can(user.role, 'alerts:manage');
  return (
    <>
      <PageHeader title="Alerts" description="Downgrade attempts, replays, bad signatures, unknown identities, handshake bursts, fallbacks to classical and latency spikes, as the gateway sees them. Updates live." />
      <LiveRefresh watch="/api/alerts/version" version={version} everyMs={env().PQGATE_LIVE_REFRESH_SECONDS * 1000} />
      <form method="get" aria-label="Filter alerts" className="mb-4 flex flex-wrap items-end gap-3">
        <Field id="alert-status" label="Status">
          <Select id="alert-status" name="status" defaultValue={filter.status}>
            <option value="active">Open or acknowledged</option>
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </Select>
        </Field>
        <Field id="alert-severity" label="Severity">
          <Select id="alert-severity" name="severity" defaultValue={filter.severity ?? ''}>
            <option value="">Any</option>
            {ALERT_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="alert-kind" label="Kind">
          <Select id="alert-kind" name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">Any</option>
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="alert-q" label="Search" hint="Title, source address, identity or server">
          <Input id="alert-q" name="q" defaultValue={filter.q ?? ''} />
        </Field>
        <button type="submit" className={buttonClasses('secondary')}>
          Filter
        </button>
      </form>
      {alerts.length === 0 ? (
        <EmptyState title="No alerts match">
          <p>
            The gateway raises an alert when it sees a stripped suite offer, a replayed record, a bad signature, an unknown or revoked
            identity, a burst of failed handshakes, a client falling back to classical, or a latency spike. Change the filter to see
            resolved ones.
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
              <Th>Links</Th>
              {manage ? <Th>Handle</Th> : null}
            </tr>
          </THead>
          <tbody>
            {alerts.map((a) => (
              <Tr key={a.id}>
                <Td>
                  <span className="font-medium">{a.title}</span>
                  <span className="block font-mono text-xs text-slate-500">
                    {KINDS[a.kind as keyof typeof KINDS] ?? a.kind}
                    {a.identity ? ` · ${a.identity.name}` : ''}
                    {a.upstream ? ` · ${a.upstream.slug}` : ''}
                    {a.source ? ` · ${a.source}` : ''}
                  </span>
                </Td>
                <Td>
                  <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
                </Td>
                <Td className="text-right tabular-nums">{a.count}</Td>
                <Td>
                  <Time value={a.firstSeenAt} />
                </Td>
                <Td>
                  <Time value={a.lastSeenAt} />
                </Td>
                <Td className="whitespace-nowrap text-sm">
                  {/* No prefetch: a table of links would fetch every target again after each live refresh. */}
                  <Link className="underline" href={a.mapHref} prefetch={false}>
                    Map
                  </Link>{' '}
                  ·{' '}
                  <Link className="underline" href={a.auditHref} prefetch={false}>
                    Audit events
                  </Link>
                </Td>
                {manage ? (
                  <Td>
                    <AlertStatusButtons alertId={a.id} status={a.status} title={a.title} />
                  </Td>
                ) : null}
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
