import type { Metadata } from 'next';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Field, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { listDiscoveryEdges } from '@/lib/data/list-discovery-edges';
import { listDiscoveryFilterOptions } from '@/lib/data/list-discovery-filter-options';
import { readDiscoveryGraph } from '@/lib/data/read-discovery-graph';
import { DISCOVERY_WINDOWS, discoveryFilterSchema } from '@/lib/validations/discovery';
import { DiscoveryMap } from './_components/discovery-map';
import { STRENGTH_COLOUR, STRENGTH_TEXT } from './_components/strength-colours';

export const metadata: Metadata = { title: 'Discovery' };

type Search = Record<string, string | string[] | undefined>;

export default async function DiscoveryPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser('/discovery');
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = discoveryFilterSchema.parse(raw);
  const focus = typeof raw.focus === 'string' && raw.focus.length <= 200 ? raw.focus : undefined;
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString();
  const [graph, { edges, total }, { labels, servers }] = await Promise.all([readDiscoveryGraph(user, filter), listDiscoveryEdges(user, 50), listDiscoveryFilterOptions(user)]);
  return (
    <>
      <PageHeader title="Discovery" description="Identities → gateway → upstream servers → tools, as the gateway carries them, live. Edge colour is the weakest suite seen, width the traffic." />
      <form method="get" aria-label="Filter the map" className="mb-3 flex flex-wrap items-end gap-3">
        <Field id="map-label" label="Label">
          <Select id="map-label" name="label" defaultValue={filter.label ?? ''}>
            <option value="">Any</option>
            {labels.map((l) => (
              <option key={l.name}>{l.name}</option>
            ))}
          </Select>
        </Field>
        <Field id="map-server" label="Server">
          <Select id="map-server" name="server" defaultValue={filter.server ?? ''}>
            <option value="">Any</option>
            {servers.map((s) => (
              <option key={s.slug}>{s.slug}</option>
            ))}
          </Select>
        </Field>
        <Field id="map-suite" label="Suite">
          <Select id="map-suite" name="suite" defaultValue={filter.suite ?? ''}>
            <option value="">Any</option>
            <option value="pq5">{STRENGTH_TEXT.pq5}</option>
            <option value="pq3">{STRENGTH_TEXT.pq3}</option>
            <option value="classical">{STRENGTH_TEXT.classical}</option>
          </Select>
        </Field>
        <Field id="map-window" label="Seen in">
          <Select id="map-window" name="window" defaultValue={filter.window}>
            {Object.keys(DISCOVERY_WINDOWS).map((w) => (
              <option key={w} value={w}>
                {w === 'all' ? 'all time' : `last ${w}`}
              </option>
            ))}
          </Select>
        </Field>
        <button type="submit" className={buttonClasses('secondary')}>
          Filter
        </button>
        <ul aria-label="Legend" className="ml-auto flex flex-wrap gap-3 text-xs">
          {(Object.keys(STRENGTH_COLOUR) as (keyof typeof STRENGTH_COLOUR)[]).map((k) => (
            <li key={k} className="flex items-center gap-1">
              <span className="inline-block h-1 w-6 rounded" style={{ background: STRENGTH_COLOUR[k] }} />
              {STRENGTH_TEXT[k]}
            </li>
          ))}
        </ul>
      </form>
      <DiscoveryMap initial={graph} query={query} focus={focus} />
      <h2 className="mb-2 mt-8 text-lg font-semibold">Recent edges</h2>
      {edges.length === 0 ? (
        <EmptyState title="No edges discovered yet">
          <p>
            The gateway records an edge the first time an identity calls a tool. Connect an MCP client through <code>pqgate connect</code>{' '}
            or with an API token, and call a tool: it shows here and on the map with its suite, counts and last use.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            The {edges.length} most recent of {total} identity → tool edges.
          </p>
          <Table caption="Discovery edges">
            <THead>
              <tr>
                <Th>Identity</Th>
                <Th>Upstream</Th>
                <Th>Tool</Th>
                <Th>Suite</Th>
                <Th className="text-right">Calls</Th>
                <Th className="text-right">Refused</Th>
                <Th>Last seen</Th>
              </tr>
            </THead>
            <tbody>
              {edges.map((e) => (
                <Tr key={e.id}>
                  <Td>{e.identity?.name ?? e.subject}</Td>
                  <Td className="font-mono">{e.upstream.slug}</Td>
                  <Td className="font-mono">{e.toolName}</Td>
                  <Td className="font-mono">{e.suite}</Td>
                  <Td className="text-right tabular-nums">{e.calls}</Td>
                  <Td className="text-right tabular-nums">{e.refused}</Td>
                  <Td>
                    <Time value={e.lastSeenAt} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </>
  );
}
