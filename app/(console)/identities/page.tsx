import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { listIdentities } from '@/lib/data/list-identities';
import { CreateIdentityForm } from './_components/create-identity-form';

export const metadata: Metadata = { title: 'Identities' };

const STATUS_TONE = { active: 'good', suspended: 'warn', revoked: 'bad' } as const;

export default async function IdentitiesPage() {
  const user = await requirePageUser('/identities');
  const identities = await listIdentities(user);
  const manage = can(user.role, 'identities:manage');
  return (
    <>
      <PageHeader title="Identities" description="The people, agents and services that reach tools through the gateway, with an ML-DSA key or an API token." />
      {identities.length === 0 ? (
        <EmptyState title="No identities yet">
          <p>
            An identity is a client of the gateway. Give it an ML-DSA public key made by <code>pqgate keygen</code> to connect over the
            post-quantum channel with <code>pqgate connect</code>, or an API token for classical MCP clients (refused by post-quantum floors).
          </p>
        </EmptyState>
      ) : (
        <Table caption="Identities">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Owner</Th>
              <Th>Kind</Th>
              <Th>Labels</Th>
              <Th>Keys / tokens</Th>
              <Th>Status</Th>
              <Th>Last seen</Th>
              <Th>Last suite</Th>
            </tr>
          </THead>
          <tbody>
            {identities.map((i) => (
              <Tr key={i.id}>
                <Td className="font-medium">
                  <Link className="underline" href={`/identities/${i.id}`}>
                    {i.name}
                  </Link>
                </Td>
                <Td>{i.owner}</Td>
                <Td>{i.kind}</Td>
                <Td className="space-x-1">
                  {i.labels.map((l) => (
                    <Badge key={l}>{l}</Badge>
                  ))}
                </Td>
                <Td className="tabular-nums">
                  {i._count.keys} / {i._count.apiTokens}
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge>
                </Td>
                <Td>
                  <Time value={i.lastSeenAt} />
                </Td>
                <Td className="font-mono">{i.lastSuite ?? '—'}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {manage ? (
        <Card className="mt-6">
          <CardTitle description="Then enroll its ML-DSA public key or issue it an API token.">Create an identity</CardTitle>
          <CreateIdentityForm />
        </Card>
      ) : null}
    </>
  );
}
