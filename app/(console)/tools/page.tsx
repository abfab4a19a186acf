import type { Metadata } from 'next';
import Link from 'next/link';
import { FloorSourceNote } from '@/components/floor-source-note';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { listTools, type ToolFilters } from '@/lib/data/list-tools';
import { DefinitionDiff } from './_components/definition-diff';
import { ApproveToolButton, BulkToolsForm, LabelReview, ScopeFloorForm, SuggestLabelsButton } from './_components/tool-forms';

export const metadata: Metadata = { title: 'Tools' };

const FLOOR_TONE = { 'classical-ok': 'neutral', 'ML-KEM-768': 'info', 'ML-KEM-1024': 'good' } as const;

type Search = { q?: string; server?: string; label?: string; status?: string };

export default async function ToolsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser('/tools');
  const search = await searchParams;
  const filters: ToolFilters = {
    q: search.q?.slice(0, 100) || undefined,
    server: search.server || undefined,
    label: search.label || undefined,
    status: search.status === 'held' || search.status === 'active' ? search.status : undefined,
  };
  const { tools, total, labels, servers, global, mode } = await listTools(user, filters);
  const write = can(user.role, 'tools:write');
  const held = tools.filter((t) => t.status === 'held');
  // Map.groupBy needs Node 21; the console runs on Node 20 too.
  const groups = new Map<string, typeof tools>();
  for (const t of tools) groups.set(t.upstream.slug, [...(groups.get(t.upstream.slug) ?? []), t]);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader
        title="Tools"
        description={`Every tool the upstreams list, by server, with its labels and the crypto floor it demands. The strictest floor that applies wins. Policy mode: ${mode}${global.enforcePqc ? '; enforce_pqc is on' : ''}.`}
        actions={write ? <SuggestLabelsButton /> : undefined}
      />

      <form role="search" aria-label="Filter tools" className="mb-4 flex flex-wrap items-end gap-2" method="get">
        <label htmlFor="q" className="sr-only">
          Search tools
        </label>
        <Input id="q" name="q" placeholder="Search name or description" defaultValue={filters.q} className="w-64" />
        <label htmlFor="filter-server" className="sr-only">
          Server
        </label>
        <Select id="filter-server" name="server" defaultValue={filters.server ?? ''} className="w-44">
          <option value="">All servers</option>
          {servers.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.slug}
            </option>
          ))}
        </Select>
        <label htmlFor="filter-label" className="sr-only">
          Label
        </label>
        <Select id="filter-label" name="label" defaultValue={filters.label ?? ''} className="w-40">
          <option value="">All labels</option>
          {labels.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name}
            </option>
          ))}
        </Select>
        <label htmlFor="filter-status" className="sr-only">
          Status
        </label>
        <Select id="filter-status" name="status" defaultValue={filters.status ?? ''} className="w-36">
          <option value="">Any status</option>
          <option value="active">active</option>
          <option value="held">held</option>
        </Select>
        <button type="submit" className={buttonClasses('secondary', 'md')}>
          Filter
        </button>
        {filtered ? (
          <Link href="/tools" className="text-sm underline">
            Clear
          </Link>
        ) : null}
      </form>

      {held.length > 0 ? (
        <Card className="mb-6 border-amber-400 dark:border-amber-600">
          <CardTitle description="Their description or schema changed since an admin approved them. Calls are refused until the new definition is approved.">Held tools</CardTitle>
          <div className="space-y-6">
            {held.map((t) => (
              <section key={t.id} aria-label={`Held tool ${t.key}`} className="space-y-2">
                <h3 className="font-mono text-sm font-semibold">{t.key}</h3>
                <DefinitionDiff approved={{ title: t.title, description: t.description, inputSchema: t.inputSchema }} pending={pickDefinition(t.pendingDefinition)} />
                {write ? <ApproveToolButton toolId={t.id} toolKey={t.key} /> : null}
              </section>
            ))}
          </div>
        </Card>
      ) : null}

      {tools.length === 0 ? (
        filtered ? (
          <EmptyState title="No tools match">
            <p>Change the search or the filters.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No tools discovered yet">
            <p>
              Tools are listed from each upstream when the gateway first connects to it and on a schedule. Register an MCP server on{' '}
              <Link className="underline" href="/servers">
                Servers
              </Link>
              ; with the demo on (the default), <code>npm start</code> registers <code>clinic-records</code> and <code>inventory</code>.
            </p>
          </EmptyState>
        )
      ) : (
        <div className="space-y-6">
          {write ? <BulkToolsForm /> : null}
          {tools.length < total ? <p className="text-sm text-slate-600">Showing {tools.length} of {total} tools; narrow the filters to see the rest.</p> : null}
          {[...groups.entries()].map(([slug, group]) => (
            <section key={slug} aria-labelledby={`server-${slug}`}>
              <h2 id={`server-${slug}`} className="mb-2 text-lg font-semibold">
                {group[0]?.upstream.name} <span className="font-mono text-sm text-slate-500">{slug}</span>
              </h2>
              <Table caption={`Tools of ${slug}`}>
                <THead>
                  <tr>
                    {write ? <Th className="w-8"><span className="sr-only">Select</span></Th> : null}
                    <Th>Tool</Th>
                    <Th>Labels</Th>
                    <Th>Own floor</Th>
                    <Th>Effective floor</Th>
                    <Th>Status</Th>
                  </tr>
                </THead>
                <tbody>
                  {group.map((t) => (
                    <Tr key={t.id}>
                      {write ? (
                        <Td>
                          <input type="checkbox" form="bulk-tools" name="targets" value={t.key} aria-label={`Select ${t.key}`} className="size-4" />
                        </Td>
                      ) : null}
                      <Td>
                        <span className="font-mono">{t.name}</span>
                        <p className="mt-0.5 line-clamp-2 max-w-xl text-xs text-slate-500">{t.description}</p>
                      </Td>
                      <Td>
                        <div className="flex flex-wrap gap-1">
                          {t.labels.map((l) =>
                            l.source === 'suggested' && write ? (
                              <LabelReview key={l.label.name} toolId={t.id} label={l.label.name} />
                            ) : (
                              <Badge key={l.label.name} tone={l.source === 'confirmed' ? 'info' : 'neutral'}>
                                {l.label.name}
                                {l.source === 'suggested' ? <abbr title="suggested: no floor until an admin confirms it">?</abbr> : null}
                              </Badge>
                            ),
                          )}
                        </div>
                      </Td>
                      <Td className="font-mono">{t.ownFloor ?? '—'}</Td>
                      <Td>
                        {t.effective ? (
                          <>
                            <Badge tone={FLOOR_TONE[t.effective.floor]}>{t.effective.floor}</Badge>
                            <FloorSourceNote source={t.effective} />
                          </>
                        ) : (
                          '—'
                        )}
                      </Td>
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

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle description="A label's floor applies to every tool where the label is confirmed, and to every tool of a server that carries it. A suggested label (marked ?) carries no floor until an admin confirms it.">Floors by label</CardTitle>
          {labels.length === 0 ? (
            <p className="text-sm text-slate-600">No labels yet. Add one to tools above, or let pqgate suggest them.</p>
          ) : (
            <ul className="space-y-3">
              {labels.map((l) => (
                <li key={l.name} className="flex flex-wrap items-center justify-between gap-2">
                  <span>
                    <Badge tone="info">{l.name}</Badge> <span className="text-xs text-slate-500">{l._count.tools} tool(s) confirmed</span>
                  </span>
                  {write ? <ScopeFloorForm scope="label" target={l.name} current={l.floors[0]?.floor} /> : <span className="font-mono text-sm">{l.floors[0]?.floor ?? '—'}</span>}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <CardTitle description="A server's floor applies to all its tools, resources and prompts.">Floors by server</CardTitle>
          <ul className="space-y-3">
            {servers.map((s) => (
              <li key={s.slug} className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-mono text-sm">{s.slug}</span>
                {write ? <ScopeFloorForm scope="server" target={s.slug} current={s.floors[0]?.floor} /> : <span className="font-mono text-sm">{s.floors[0]?.floor ?? '—'}</span>}
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}

function pickDefinition(pending: unknown) {
  const p = (pending ?? {}) as { title?: unknown; description?: unknown; inputSchema?: unknown };
  return { title: p.title ?? null, description: p.description ?? '', inputSchema: p.inputSchema ?? {} };
}
