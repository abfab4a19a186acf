import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { getKeyHistory } from '@/lib/data/get-rotation';
import { AppError } from '@/lib/errors';
import { KeyTimeline } from '../../_components/key-timeline';

export const metadata: Metadata = { title: 'Key history' };

export default async function KeyHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/rotations/keys/${id}`);
  const history = await getKeyHistory(user, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="underline" href="/rotations">
          Rotations
        </Link>
      </p>
      <PageHeader title={`${history.purpose.replace('_', ' ')} key of ${history.owner}`} description="Every version, and the rotations between them." />
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardTitle>Versions</CardTitle>
          <Table caption="Key versions">
            <THead>
              <tr>
                <Th>Version</Th>
                <Th>Fingerprint</Th>
                <Th>State</Th>
                <Th>Created</Th>
              </tr>
            </THead>
            <tbody>
              {history.versions.map((v) => (
                <Tr key={v.id}>
                  <Td>v{v.version}</Td>
                  <Td className="font-mono text-xs" title={v.fingerprint}>
                    {v.fingerprint.slice(0, 24)}…
                  </Td>
                  <Td>
                    <Badge tone={v.state === 'active' ? 'good' : v.state === 'retiring' ? 'warn' : v.state === 'revoked' ? 'bad' : 'neutral'}>{v.state}</Badge>
                  </Td>
                  <Td>
                    <Time value={v.createdAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card>
          <CardTitle>History</CardTitle>
          <KeyTimeline entries={history.entries} />
        </Card>
      </div>
    </>
  );
}
