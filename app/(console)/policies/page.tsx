import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listPolicyVersions } from '@/lib/data/list-policy-versions';

export const metadata: Metadata = { title: 'Policies' };

export default async function PoliciesPage() {
  const user = await requirePageUser('/policies');
  const { versions, floors } = await listPolicyVersions(user);
  const active = versions.find((v) => v.active);
  return (
    <>
      <PageHeader title="Policies" description="The crypto floors tools demand and the global switches (enforce_pqc, block_downgrade_attempts, …), as versioned YAML." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle description="The strictest floor that applies to a tool wins: its own, its labels', its server's.">Floors in force</CardTitle>
          {floors.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No floors yet: every tool is open to classical sessions. Assign floors on the Tools page.</p>
          ) : (
            <Table caption="Floors in force">
              <THead>
                <tr>
                  <Th>Applies to</Th>
                  <Th>Floor</Th>
                </tr>
              </THead>
              <tbody>
                {floors.map((f) => (
                  <Tr key={f.id}>
                    <Td>
                      <Badge>{f.scope}</Badge>{' '}
                      <span className="font-mono">{f.label?.name ?? f.upstream?.slug ?? (f.tool ? `${f.tool.upstream.slug}/${f.tool.name}` : '')}</span>
                    </Td>
                    <Td className="font-mono">{f.floor}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Card>
          <CardTitle description="Saved policy documents; one is active.">Versions</CardTitle>
          {versions.length === 0 ? (
            <EmptyState title="No policy saved yet">
              <p>
                A policy document sets <code>p2p_connectivity.enforce_pqc</code>, <code>allowed_algos</code> and the threat-detection
                switches, in the YAML your security team already writes. Until one is saved the gateway enforces the floors above.
              </p>
            </EmptyState>
          ) : (
            <Table caption="Policy versions">
              <THead>
                <tr>
                  <Th>Version</Th>
                  <Th>Mode</Th>
                  <Th>Saved</Th>
                  <Th>By</Th>
                </tr>
              </THead>
              <tbody>
                {versions.map((v) => (
                  <Tr key={v.id}>
                    <Td>
                      v{v.version} {v.active ? <Badge tone="good">active</Badge> : null}
                    </Td>
                    <Td>{v.mode}</Td>
                    <Td>
                      <Time value={v.createdAt} />
                    </Td>
                    <Td>{v.createdBy?.email ?? 'system'}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
      {active ? (
        <Card className="mt-6">
          <CardTitle>Active policy (v{active.version})</CardTitle>
          <pre className="overflow-x-auto rounded bg-slate-100 p-4 font-mono text-xs dark:bg-slate-950">{active.yaml}</pre>
        </Card>
      ) : null}
    </>
  );
}
