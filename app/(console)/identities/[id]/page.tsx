import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { getIdentity } from '@/lib/data/get-identity';
import { AppError } from '@/lib/errors';
import { EnrollKeyForm, IdentityStatusButtons, IssueTokenForm, RevokeTokenButton } from '../_components/identity-forms';

export const metadata: Metadata = { title: 'Identity' };

export default async function IdentityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/identities/${id}`);
  const identity = await getIdentity(user, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const manage = can(user.role, 'identities:manage');
  const hasKey = identity.keys.some((k) => k.state === 'active' || k.state === 'pending');
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="underline" href="/identities">
          Identities
        </Link>
      </p>
      <PageHeader
        title={identity.name}
        description={`${identity.kind} owned by ${identity.owner}. Labels: ${identity.labels.join(', ') || 'none'}. Servers: ${identity.allowedServers.join(', ') || 'all'}.`}
        actions={<Badge tone={identity.status === 'active' ? 'good' : identity.status === 'suspended' ? 'warn' : 'bad'}>{identity.status}</Badge>}
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardTitle description="ML-DSA keys sign this identity into the post-quantum channel (pqgate connect).">Keys</CardTitle>
          {identity.keys.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No key yet. Make one on the client with <code>pqgate keygen --out id.json</code>, then paste <code>pqgate pubkey --identity id.json</code> below.</p>
          ) : (
            <Table caption="Identity keys">
              <THead>
                <tr>
                  <Th>Version</Th>
                  <Th>Algorithm</Th>
                  <Th>Fingerprint</Th>
                  <Th>State</Th>
                </tr>
              </THead>
              <tbody>
                {identity.keys.map((k) => (
                  <Tr key={k.id}>
                    <Td>v{k.version}</Td>
                    <Td className="font-mono">{k.algorithm}</Td>
                    <Td className="font-mono text-xs">{k.fingerprint.slice(0, 32)}…</Td>
                    <Td>
                      <Badge tone={k.state === 'active' ? 'good' : 'neutral'}>{k.state}</Badge>
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
          {manage && !hasKey && identity.status !== 'revoked' ? (
            <div className="mt-4">
              <EnrollKeyForm identityId={identity.id} identityName={identity.name} />
            </div>
          ) : null}
        </Card>
        <Card>
          <CardTitle description="Bearer tokens for classical MCP clients. Stored only as a hash.">API tokens</CardTitle>
          {identity.apiTokens.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No tokens.</p>
          ) : (
            <Table caption="API tokens">
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Prefix</Th>
                  <Th>Expires</Th>
                  <Th>State</Th>
                </tr>
              </THead>
              <tbody>
                {identity.apiTokens.map((t) => (
                  <Tr key={t.id}>
                    <Td>{t.name}</Td>
                    <Td className="font-mono text-xs">{t.prefix}…</Td>
                    <Td>
                      <Time value={t.expiresAt} />
                    </Td>
                    <Td>
                      {t.revokedAt ? (
                        <Badge tone="bad">revoked</Badge>
                      ) : manage ? (
                        <RevokeTokenButton identityId={identity.id} tokenId={t.id} prefix={t.prefix} />
                      ) : (
                        <Badge tone="good">active</Badge>
                      )}
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
          {manage && identity.status === 'active' ? (
            <div className="mt-4">
              <IssueTokenForm identityId={identity.id} />
            </div>
          ) : null}
        </Card>
      </div>
      {manage ? (
        <Card className="mt-6">
          <CardTitle description="Suspended identities are refused until reinstated; revoked ones for good (their tokens and keys too).">Status</CardTitle>
          <IdentityStatusButtons identityId={identity.id} status={identity.status} />
        </Card>
      ) : null}
    </>
  );
}
