import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { requirePageUser } from '@/lib/auth/current-user';
import { listTools } from '@/lib/data/list-tools';

export const metadata: Metadata = { title: 'Tools' };

export default async function ToolsPage() {
  const user = await requirePageUser('/tools');
  const { tools, total } = await listTools(user);
  // Map.groupBy needs Node 21; the console runs on Node 20 too.
  const groups = new Map<string, typeof tools>();
  for (const t of tools) groups.set(t.upstream.slug, [...(groups.get(t.upstream.slug) ?? []), t]);
  return (
    <>
      <PageHeader title="Tools" description="Every tool the upstreams list, by server, with its labels and the crypto floor it demands." />
      {tools.length === 0 ? (
        <EmptyState title="No tools discovered yet">
          <p>
            Tools are listed from each upstream when it is registered and on a schedule. Register an MCP server on{' '}
            <Link className="underline" href="/servers">Servers</Link>; with the demo on (the default), <code>npm start</code> registers{' '}
            <code>clinic-records</code> and <code>inventory</code>, whose tools appear here once listed.
          </p>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {tools.length < total ? <p className="text-sm text-slate-600">Showing {tools.length} of {total} tools.</p> : null}
          {[...groups.entries()].map(([slug, group]) => (
            <section key={slug} aria-labelledby={`server-${slug}`}>
              <h2 id={`server-${slug}`} className="mb-2 text-lg font-semibold">
                {group[0]?.upstream.name} <span className="font-mono text-sm text-slate-500">{slug}</span>
              </h2>
              <Table caption={`Tools of ${slug}`}>
                <THead>
                  <tr>
                    <Th>Tool</Th>
                    <Th>Labels</Th>
                    <Th>Own floor</Th>
                    <Th>Status</Th>
                  </tr>
                </THead>
                <tbody>
                  {group.map((t) => (
                    <Tr key={t.id}>
                      <Td>
                        <span className="font-mono">{t.name}</span>
                        <p className="mt-0.5 line-clamp-2 max-w-xl text-xs text-slate-500">{t.description}</p>
                      </Td>
                      <Td className="space-x-1">
                        {t.labels.map((l) => (
                          <Badge key={l.label.name} tone={l.source === 'confirmed' ? 'info' : 'neutral'}>
                            {l.label.name}
                            {l.source === 'suggested' ? '?' : ''}
                          </Badge>
                        ))}
                      </Td>
                      <Td className="font-mono">{t.floors[0]?.floor ?? '—'}</Td>
                      <Td>
                        <Badge tone={t.status === 'held' ? 'warn' : 'good'}>{t.status}</Badge>
                      </Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
