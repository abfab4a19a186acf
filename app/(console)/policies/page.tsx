import type { Metadata } from 'next';
import { FloorSourceNote } from '@/components/floor-source-note';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, THead, Tr } from '@/components/ui/table';
import { TextDiff } from '@/components/ui/text-diff';
import { Time } from '@/components/ui/time';
import { requirePageUser } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/roles';
import { listPolicyVersions, listSimulatorChoices } from '@/lib/data/list-policy-versions';
import { simulateDecision, SIMULATOR_SUITES } from '@/lib/data/simulate-decision';
import { emptyPolicy, policyDocumentSchema, policyToYaml } from '@/lib/policy/policy-document';
import { ImportPolicyForm } from './_components/import-policy-form';
import { PolicyEditor } from './_components/policy-editor';
import { ModeToggle, RollbackButton } from './_components/policy-forms';

export const metadata: Metadata = { title: 'Policies' };

type Search = { from?: string; to?: string; simIdentity?: string; simSuite?: string; simTool?: string };

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser('/policies');
  const search = await searchParams;
  const [{ versions, floors }, choices] = await Promise.all([listPolicyVersions(user), listSimulatorChoices(user)]);
  const write = can(user.role, 'policy:write');
  const active = versions.find((v) => v.active);
  const limits = (active ? policyDocumentSchema.safeParse(active.document).data : undefined)?.limits ?? emptyPolicy().limits;
  const from = versions.find((v) => String(v.version) === search.from);
  const to = versions.find((v) => String(v.version) === search.to);
  const simulation =
    search.simTool && search.simSuite && SIMULATOR_SUITES.includes(search.simSuite)
      ? await simulateDecision(user, { identityId: search.simIdentity || undefined, suite: search.simSuite, tool: search.simTool })
      : undefined;

  return (
    <>
      <PageHeader
        title="Policies"
        description="The global switches (enforce_pqc, allowed_algos, threat detection), the gateway's limits, and the floors of labels, servers and tools, as one versioned YAML document."
        actions={
          active ? (
            <a className={buttonClasses('secondary', 'sm')} href="/api/policies/active" download>
              Export v{active.version}
            </a>
          ) : undefined
        }
      />
      <div className="grid gap-6 xl:grid-cols-[3fr_2fr]">
        <Card>
          <CardTitle description="Save to review what changes, then confirm to create a new version; it is in force at once. Problems are shown with their line.">{active ? `Active policy: v${active.version}` : 'No policy saved yet'}</CardTitle>
          {write ? (
            <PolicyEditor yaml={active?.yaml ?? policyToYaml(emptyPolicy(), 'pqgate policy: no floors yet')} />
          ) : (
            <pre className="overflow-x-auto rounded bg-slate-100 p-4 font-mono text-xs dark:bg-slate-950">{active?.yaml ?? 'No policy saved yet.'}</pre>
          )}
        </Card>
        <div className="space-y-6">
          <Card>
            <CardTitle>Mode</CardTitle>
            {write && active ? <ModeToggle mode={active.mode} /> : <p className="text-sm">Mode: {active?.mode ?? 'enforce'}</p>}
            {write ? (
              <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
                <ImportPolicyForm activeVersion={active?.version ?? 0} />
              </div>
            ) : null}
          </Card>
          <Card>
            <CardTitle description="Runs the gateway's own decision on the policy in force.">Simulator</CardTitle>
            <form method="get" className="space-y-3" aria-label="Simulate a decision">
              <div className="grid gap-3 sm:grid-cols-2">
                <div>
                  <label htmlFor="sim-identity" className="block text-sm font-medium">
                    Identity
                  </label>
                  <Select id="sim-identity" name="simIdentity" defaultValue={search.simIdentity ?? ''}>
                    <option value="">none: a bare suite</option>
                    {choices.identities.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.name} ({i.status})
                      </option>
                    ))}
                  </Select>
                </div>
                <div>
                  <label htmlFor="sim-suite" className="block text-sm font-medium">
                    Suite
                  </label>
                  <Select id="sim-suite" name="simSuite" defaultValue={search.simSuite ?? 'classical-bearer'}>
                    {SIMULATOR_SUITES.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </Select>
                </div>
              </div>
              <div>
                <label htmlFor="sim-tool" className="block text-sm font-medium">
                  Tool
                </label>
                <Select id="sim-tool" name="simTool" defaultValue={search.simTool ?? choices.tools[0] ?? ''}>
                  {choices.tools.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </Select>
              </div>
              <button type="submit" className={buttonClasses('secondary', 'sm')} disabled={choices.tools.length === 0}>
                Decide
              </button>
            </form>
            {simulation ? (
              <div role="status" aria-label="Simulated decision" className="mt-4 space-y-1 text-sm">
                <p>
                  <Badge tone={simulation.allowed ? (simulation.monitored ? 'warn' : 'good') : 'bad'}>{simulation.allowed ? (simulation.monitored ? 'allowed (monitor)' : 'allowed') : 'refused'}</Badge>{' '}
                  <span className="font-mono text-xs">{simulation.code}</span>
                </p>
                <p>
                  Rule: <span className="font-mono text-xs">{simulation.rule}</span>
                </p>
                {simulation.effectiveFloor ? (
                  <div>
                    Effective floor: <span className="font-mono text-xs">{simulation.effectiveFloor.floor}</span>
                    <FloorSourceNote source={simulation.effectiveFloor} />
                  </div>
                ) : null}
                <p className="text-slate-700 dark:text-slate-300">{simulation.message}</p>
              </div>
            ) : null}
          </Card>
          <Card>
            <CardTitle description="From limits: in the active policy (defaults where it sets none). Over a limit the gateway answers 429 with Retry-After, or a JSON-RPC error naming the limit.">Limits in force</CardTitle>
            <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm" aria-label="Limits in force">
              {Object.entries(limits).map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="font-mono text-xs">{key}</dt>
                  <dd className="text-right tabular-nums">{value.toLocaleString('en-US')}</dd>
                </div>
              ))}
            </dl>
          </Card>
          <Card aria-label="Floors in force">
            <CardTitle description="Materialised from the active policy.">Floors in force</CardTitle>
            {floors.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">None: every tool is open to classical sessions unless enforce_pqc is on.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {floors.map((f) => (
                  <li key={f.id}>
                    <Badge>{f.scope}</Badge> <span className="font-mono">{f.label?.name ?? f.upstream?.slug ?? (f.tool ? `${f.tool.upstream.slug}/${f.tool.name}` : '')}</span> →{' '}
                    <span className="font-mono">{f.floor}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>

      <Card className="mt-6">
        <CardTitle description="Pick two versions to compare; rolling back saves the old document again as the newest version.">Versions</CardTitle>
        {versions.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No versions yet. Save or import a policy above; the YAML snippet your security team already uses imports as it stands.</p>
        ) : (
          <>
            <form method="get" className="mb-4 flex flex-wrap items-end gap-2" aria-label="Compare versions">
              <label htmlFor="diff-from" className="text-sm">
                Compare
              </label>
              <Select id="diff-from" name="from" defaultValue={search.from ?? String(versions[1]?.version ?? versions[0]!.version)} className="w-24">
                {versions.map((v) => (
                  <option key={v.id} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </Select>
              <label htmlFor="diff-to" className="text-sm">
                with
              </label>
              <Select id="diff-to" name="to" defaultValue={search.to ?? String(versions[0]!.version)} className="w-24">
                {versions.map((v) => (
                  <option key={v.id} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </Select>
              <button type="submit" className={buttonClasses('secondary', 'sm')}>
                Show diff
              </button>
            </form>
            {from && to ? (
              <div className="mb-4">
                {/* Compared in normal form, so layout and comments do not drown the changes that matter. */}
                <TextDiff before={normalForm(from.document)} after={normalForm(to.document)} label={`Changes from v${from.version} to v${to.version}`} />
              </div>
            ) : null}
            <Table caption="Policy versions">
              <THead>
                <tr>
                  <Th>Version</Th>
                  <Th>Mode</Th>
                  <Th>Change</Th>
                  <Th>Saved</Th>
                  <Th>By</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <tbody>
                {versions.map((v) => (
                  <Tr key={v.id}>
                    <Td>
                      v{v.version} {v.active ? <Badge tone="good">active</Badge> : null}
                    </Td>
                    <Td>{v.mode}</Td>
                    <Td>{v.comment}</Td>
                    <Td>
                      <Time value={v.createdAt} />
                    </Td>
                    <Td>{v.createdBy?.email ?? 'system'}</Td>
                    <Td className="space-x-2 whitespace-nowrap">
                      <a className="text-sm underline" href={`/api/policies/${v.version}`} download>
                        Export
                      </a>
                      {write && !v.active ? <RollbackButton version={v.version} /> : null}
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </>
        )}
      </Card>
    </>
  );
}

function normalForm(document: unknown): string {
  return policyToYaml(policyDocumentSchema.parse(document), 'normal form');
}
