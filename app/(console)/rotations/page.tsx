import type { Metadata } from 'next';
import Link from 'next/link';
import { displayKeyId } from '@/gateway/channel';
import { fromHex } from '@/gateway/crypto';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { keyLabel, listRotations } from '@/lib/data/list-rotations';
import { ROTATABLE_PURPOSES } from '@/lib/rotations/open-rotation';
import { readRotationSettings } from '@/lib/rotations/rotation-settings';
import { RevokeGatewayKeyForm } from './_components/revoke-key-form';
import { RequestRotationForm, RotationSettingsForm } from './_components/rotation-forms';

export const metadata: Metadata = { title: 'Rotations' };

const DAY = 24 * 60 * 60 * 1000;
const STATUS_TONE = { pending: 'warn', approved: 'good', completed: 'good', rejected: 'bad', cancelled: 'neutral' } as const;

export default async function RotationsPage({ searchParams }: { searchParams: Promise<{ key?: string }> }) {
  const user = await requirePageUser('/rotations');
  const [{ pending, due, decided, keys }, settings, { key: requestedKey }] = await Promise.all([listRotations(user), readRotationSettings(), searchParams]);
  const now = Date.now();
  const rotatable = keys
    .filter((k) => k.state === 'active' && k.openRequests === 0 && (ROTATABLE_PURPOSES as readonly string[]).includes(k.purpose))
    .map((k) => ({ id: k.id, label: `${keyLabel(k)} (${k.fingerprint.slice(0, 16)})`, purpose: k.purpose, algorithm: k.algorithm }));
  const gatewayKeys = keys.filter((k) => k.purpose === 'gateway_signing' && k.state === 'active');
  const revocable = keys
    .filter((k) => k.purpose === 'gateway_signing' && (k.state === 'active' || k.state === 'retiring') && k.openRequests === 0)
    .map((k) => ({ id: k.id, label: `${keyLabel(k)} · ${k.state} (${k.fingerprint.slice(0, 16)})` }));
  return (
    <>
      <PageHeader
        title="Rotations"
        description={`Key changes wait here until ${settings.requiredApprovals === 1 ? 'an approver' : `${settings.requiredApprovals} approvers`} other than the requester approve them (two-person rule). Approved: the new key is active at once and the old one is accepted for the overlap window, then retired.`}
      />
      <Card>
        <CardTitle description="Pending requests, oldest first, then keys due soon or overdue that have no request yet.">Queue</CardTitle>
        {pending.length === 0 && due.length === 0 ? (
          <EmptyState title="Nothing waiting">
            <p>
              Requests come from the schedule (a key past its maximum age), from an admin, or from a client running <code>pqgate rotate</code> with both
              its old and new key.
            </p>
          </EmptyState>
        ) : (
          <Table caption="Rotation queue">
            <THead>
              <tr>
                <Th>Key</Th>
                <Th>Source</Th>
                <Th>Reason</Th>
                <Th>Requested by</Th>
                <Th>Approvals</Th>
                <Th>Waiting since</Th>
                <Th>
                  <span className="sr-only">Open</span>
                </Th>
              </tr>
            </THead>
            <tbody>
              {pending.map((r) => (
                <Tr key={r.id}>
                  <Td className="font-mono text-xs">{keyLabel(r.oldKey)}</Td>
                  <Td>
                    <Badge tone="warn">{r.source}</Badge>
                    {r.kind === 'revoke' ? (
                      <>
                        {' '}
                        <Badge tone="bad">revoke</Badge>
                      </>
                    ) : null}
                  </Td>
                  <Td>{r.reason}</Td>
                  <Td>{r.requestedBy?.email ?? (r.source === 'client' ? 'the key holder' : 'the schedule')}</Td>
                  <Td className="tabular-nums">
                    {r.approvals.filter((a) => a.decision === 'approve').length} / {r.requiredApprovals}
                  </Td>
                  <Td>
                    <Time value={r.createdAt} />
                  </Td>
                  <Td>
                    <Link className="underline" href={`/rotations/${r.id}`} aria-label={`Review rotation of ${keyLabel(r.oldKey)}`}>
                      Review
                    </Link>
                  </Td>
                </Tr>
              ))}
              {due.map((k) => (
                <Tr key={k.id}>
                  <Td className="font-mono text-xs">{keyLabel(k)}</Td>
                  <Td>
                    <Badge tone={k.dueness === 'overdue' ? 'bad' : 'warn'}>{k.dueness === 'overdue' ? 'overdue' : 'due soon'}</Badge>
                  </Td>
                  <Td>
                    {k.dueness === 'overdue' ? 'Past' : 'Near'} its maximum age of {k.maxAgeDays} days (<Time value={k.expiresAt} />)
                  </Td>
                  <Td>—</Td>
                  <Td>—</Td>
                  <Td>—</Td>
                  <Td>
                    {can(user.role, 'rotations:request') && (ROTATABLE_PURPOSES as readonly string[]).includes(k.purpose) ? (
                      <Link className="underline" href={`/rotations?key=${k.id}#request`}>
                        Request
                      </Link>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      {can(user.role, 'rotations:request') ? (
        <Card className="mt-6" id="request">
          <CardTitle description="Gateway signing and ticket keys get a generated successor (a signing key's is published as the next key in the trust bundle). For an identity key, paste the holder's new public key. The envelope key and upstream credentials are rotated by the operator (docs/keys.md).">
            Request a rotation
          </CardTitle>
          <RequestRotationForm keys={rotatable} defaultKeyId={rotatable.some((k) => k.id === requestedKey) ? requestedKey : undefined} defaultOverlapSeconds={settings.overlapSeconds} />
        </Card>
      ) : null}

      <Card className="mt-6" id="gateway-fingerprints">
        <CardTitle description="What users pin with pqgate connect --trust. Give them a fingerprint yourself (in person, or over a channel you already trust), never only a link to the gateway: a connector that pins one keeps following the gateway's signed key rotations, and stops trusting keys revoked below.">
          Gateway key fingerprints
        </CardTitle>
        <Table caption="Gateway key fingerprints">
          <THead>
            <tr>
              <Th>Algorithm</Th>
              <Th>Fingerprint</Th>
              <Th>Full key id (--trust)</Th>
            </tr>
          </THead>
          <tbody>
            {gatewayKeys.map((k) => (
              <Tr key={k.id}>
                <Td className="font-mono">
                  {k.algorithm} v{k.version}
                </Td>
                <Td className="font-mono">{displayKeyId(fromHex(k.fingerprint))}</Td>
                <Td className="break-all font-mono text-xs">{k.fingerprint}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>

      {can(user.role, 'rotations:request') ? (
        <Card className="mt-6" id="revoke">
          <CardTitle description="For a gateway signing key whose secret may have leaked. Another approver must approve (two-person rule). Revoking the active key generates its successor now; on approval the key is revoked at once, with no overlap, and connectors drop it at their next trust bundle check (at most PQGATE_TRUST_REFRESH_SECONDS, default 5 minutes).">
            Revoke a gateway key
          </CardTitle>
          <RevokeGatewayKeyForm keys={revocable} />
        </Card>
      ) : null}

      {can(user.role, 'users:manage') ? (
        <Card className="mt-6">
          <CardTitle description="Applies to requests opened from now on; changes are audited.">Settings</CardTitle>
          <RotationSettingsForm requiredApprovals={settings.requiredApprovals} overlapSeconds={settings.overlapSeconds} />
        </Card>
      ) : null}

      <Card className="mt-6">
        <CardTitle description="Every key not yet retired. Private material is sealed under the envelope key and never shown; fingerprints are SHA-256 of the public key (a hash for secret keys).">Keys</CardTitle>
        <Table caption="Keys">
          <THead>
            <tr>
              <Th>Key</Th>
              <Th>Algorithm</Th>
              <Th>Fingerprint</Th>
              <Th>State</Th>
              <Th>Created</Th>
              <Th>Age / max</Th>
              <Th>
                <span className="sr-only">History</span>
              </Th>
            </tr>
          </THead>
          <tbody>
            {keys.map((k) => {
              const ageDays = Math.floor((now - (k.activatedAt ?? k.createdAt).getTime()) / DAY);
              return (
                <Tr key={k.id}>
                  <Td className="font-mono text-xs">{keyLabel(k)}</Td>
                  <Td className="font-mono">{k.algorithm}</Td>
                  <Td className="font-mono text-xs" title={k.fingerprint}>
                    {k.fingerprint.slice(0, 24)}…
                  </Td>
                  <Td>
                    <Badge tone={k.state === 'active' ? 'good' : k.state === 'retiring' ? 'warn' : 'neutral'}>{k.state}</Badge>
                    {k.state === 'retiring' && k.retireAt ? (
                      <span className="ml-1 text-xs text-slate-500">
                        until <Time value={k.retireAt} />
                      </span>
                    ) : null}
                  </Td>
                  <Td>
                    <Time value={k.createdAt} />
                  </Td>
                  <Td>
                    <Badge tone={k.dueness === 'overdue' ? 'bad' : k.dueness === 'due' ? 'warn' : 'neutral'}>
                      {ageDays} / {k.maxAgeDays} days
                    </Badge>
                  </Td>
                  <Td>
                    <Link className="underline" href={`/rotations/keys/${k.id}`} aria-label={`History of ${keyLabel(k)}`}>
                      History
                    </Link>
                  </Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      </Card>

      <Card className="mt-6">
        <CardTitle description="Approved, rejected and completed requests, newest first.">Decided</CardTitle>
        {decided.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No decisions yet.</p>
        ) : (
          <Table caption="Decided rotations">
            <THead>
              <tr>
                <Th>Key</Th>
                <Th>Source</Th>
                <Th>Reason</Th>
                <Th>Status</Th>
                <Th>Decided</Th>
              </tr>
            </THead>
            <tbody>
              {decided.map((r) => (
                <Tr key={r.id}>
                  <Td className="font-mono text-xs">
                    <Link className="underline" href={`/rotations/${r.id}`}>
                      {keyLabel(r.oldKey)}
                    </Link>
                  </Td>
                  <Td>{r.kind === 'revoke' ? `${r.source} · revoke` : r.source}</Td>
                  <Td>{r.reason}</Td>
                  <Td>
                    <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                  </Td>
                  <Td>
                    <Time value={r.decidedAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
