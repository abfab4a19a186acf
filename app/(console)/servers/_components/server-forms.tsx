'use client';

import { useActionState, useEffect, useState } from 'react';
import { refreshUpstreamAction } from '@/lib/actions/upstreams/refresh-upstream-action';
import { registerUpstreamAction } from '@/lib/actions/upstreams/register-upstream-action';
import { removeUpstreamAction } from '@/lib/actions/upstreams/remove-upstream-action';
import { replaceUpstreamCredentialsAction } from '@/lib/actions/upstreams/replace-upstream-credentials-action';
import { updateUpstreamSettingsAction } from '@/lib/actions/upstreams/update-upstream-settings-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

const AREA = 'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-900';

export function RegisterServerForm() {
  const [state, action, pending] = useActionState(registerUpstreamAction, idle);
  const [transport, setTransport] = useState(lastValue(state, 'transport') ?? 'http');
  // The transport switch shows different fields: usable once the page is interactive.
  const [interactive, setInteractive] = useState(false);
  useEffect(() => setInteractive(true), []);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" aria-label="Register a server">
      <Field id="srv-slug" label="Name in the URL" hint="Clients reach it at /api/mcp/<name>." errors={errors?.slug}>
        <Input id="srv-slug" name="slug" required defaultValue={lastValue(state, 'slug')} invalid={Boolean(errors?.slug)} />
      </Field>
      <Field id="srv-name" label="Display name" errors={errors?.name}>
        <Input id="srv-name" name="name" required defaultValue={lastValue(state, 'name')} invalid={Boolean(errors?.name)} />
      </Field>
      <Field id="srv-description" label="Description" errors={errors?.description}>
        <Input id="srv-description" name="description" defaultValue={lastValue(state, 'description')} />
      </Field>
      <Field id="srv-labels" label="Labels" hint="Comma-separated; a label's floor applies to all its tools." errors={errors?.labels}>
        <Input id="srv-labels" name="labels" defaultValue={lastValue(state, 'labels')} invalid={Boolean(errors?.labels)} />
      </Field>
      <Field id="srv-transport" label="Transport" errors={errors?.transport}>
        <Select id="srv-transport" name="transport" value={transport} onChange={(e) => setTransport(e.target.value)} disabled={!interactive}>
          <option value="http">Streamable HTTP</option>
          <option value="stdio">stdio (a command the gateway runs)</option>
        </Select>
      </Field>
      {transport === 'http' ? (
        <>
          <Field id="srv-url" label="URL" errors={errors?.url}>
            <Input id="srv-url" name="url" placeholder="https://mcp.example.com/mcp" defaultValue={lastValue(state, 'url')} invalid={Boolean(errors?.url)} />
          </Field>
          <div className="sm:col-span-2">
            <Field id="srv-secret-headers" label="Credential headers (secret)" hint="One per line, e.g. Authorization: Bearer …  Sealed at rest and never shown again." errors={errors?.secretHeaders}>
              <textarea id="srv-secret-headers" name="secretHeaders" rows={2} className={AREA} autoComplete="off" />
            </Field>
          </div>
        </>
      ) : (
        <>
          <Field id="srv-command" label="Command" errors={errors?.command}>
            <Input id="srv-command" name="command" placeholder="npx" defaultValue={lastValue(state, 'command')} invalid={Boolean(errors?.command)} />
          </Field>
          <Field id="srv-args" label="Arguments" hint="One per line." errors={errors?.args}>
            <textarea id="srv-args" name="args" rows={3} className={AREA} defaultValue={lastValue(state, 'args')} />
          </Field>
          <Field id="srv-env" label="Environment (not secret)" hint="NAME=value, one per line." errors={errors?.env}>
            <textarea id="srv-env" name="env" rows={2} className={AREA} defaultValue={lastValue(state, 'env')} />
          </Field>
          <Field id="srv-secret-env" label="Secret environment" hint="NAME=value, one per line; sealed at rest, never shown again." errors={errors?.secretEnv}>
            <textarea id="srv-secret-env" name="secretEnv" rows={2} className={AREA} autoComplete="off" />
          </Field>
        </>
      )}
      <div className="space-y-3 sm:col-span-2">
        <FormMessage state={state} />
        <Button type="submit" disabled={pending}>
          {pending ? 'Registering and listing tools…' : 'Register server'}
        </Button>
      </div>
    </form>
  );
}

export interface RelaySettings {
  shared: boolean;
  allowSampling: boolean;
  allowElicitation: boolean;
}

export function ServerRowActions({ upstreamId, slug, transport, settings }: { upstreamId: string; slug: string; transport: 'http' | 'stdio'; settings: RelaySettings }) {
  const [refreshState, refresh, refreshing] = useActionState(refreshUpstreamAction, idle);
  const [removeState, remove, removing] = useActionState(removeUpstreamAction, idle);
  const [credState, replace, replacing] = useActionState(replaceUpstreamCredentialsAction, idle);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <form action={refresh}>
          <input type="hidden" name="upstreamId" value={upstreamId} />
          <Button type="submit" size="sm" variant="secondary" disabled={refreshing} aria-label={`List the tools of ${slug} again`}>
            {refreshing ? 'Listing…' : 'Refresh'}
          </Button>
        </form>
        <form
          action={remove}
          onSubmit={(e) => {
            if (!confirm(`Remove ${slug}? Clients of /api/mcp/${slug} will get 404.`)) e.preventDefault();
          }}
        >
          <input type="hidden" name="upstreamId" value={upstreamId} />
          <Button type="submit" size="sm" variant="danger" disabled={removing} aria-label={`Remove ${slug}`}>
            Remove
          </Button>
        </form>
      </div>
      <details>
        <summary className="cursor-pointer text-xs underline">Replace credentials</summary>
        <form action={replace} className="mt-2 space-y-2" aria-label={`Replace the credentials of ${slug}`}>
          <input type="hidden" name="upstreamId" value={upstreamId} />
          <label htmlFor={`cred-${upstreamId}`} className="block text-xs">
            {transport === 'http' ? 'Header-Name: value, one per line' : 'NAME=value, one per line'} (empty removes them)
          </label>
          <textarea id={`cred-${upstreamId}`} name={transport === 'http' ? 'secretHeaders' : 'secretEnv'} rows={2} className={AREA} autoComplete="off" />
          <Button type="submit" size="sm" variant="secondary" disabled={replacing}>
            Replace
          </Button>
          <FormMessage state={credState} />
        </form>
      </details>
      <RelaySettingsForm upstreamId={upstreamId} slug={slug} settings={settings} />
      <FormMessage state={refreshState.status !== 'idle' ? refreshState : removeState} />
    </div>
  );
}

const BOX = 'mt-0.5 size-4 shrink-0';

/** How client sessions meet the server, and which server-to-client requests reach them. */
function RelaySettingsForm({ upstreamId, slug, settings }: { upstreamId: string; slug: string; settings: RelaySettings }) {
  const [state, save, saving] = useActionState(updateUpstreamSettingsAction, idle);
  const id = (field: string) => `relay-${field}-${upstreamId}`;
  return (
    <details>
      <summary className="cursor-pointer text-xs underline">Relay settings</summary>
      <form action={save} className="mt-2 max-w-sm space-y-2 text-xs" aria-label={`Relay settings of ${slug}`}>
        <input type="hidden" name="upstreamId" value={upstreamId} />
        <label htmlFor={id('shared')} className="flex gap-2">
          <input type="checkbox" id={id('shared')} name="shared" defaultChecked={settings.shared} className={BOX} />
          <span>
            <span className="font-medium">Shared</span>: every client of this server uses one upstream session: state one client sets is seen by all;
            server-to-client requests are refused. Off: each client session gets its own upstream session (a process of its own, for stdio).
          </span>
        </label>
        <label htmlFor={id('sampling')} className="flex gap-2">
          <input type="checkbox" id={id('sampling')} name="allowSampling" defaultChecked={settings.allowSampling} className={BOX} />
          <span>
            <span className="font-medium">Allow sampling</span>: the server may ask the client&apos;s model to write text (sampling/createMessage). Clear: the
            gateway refuses those requests and does not offer sampling to the server.
          </span>
        </label>
        <label htmlFor={id('elicitation')} className="flex gap-2">
          <input type="checkbox" id={id('elicitation')} name="allowElicitation" defaultChecked={settings.allowElicitation} className={BOX} />
          <span>
            <span className="font-medium">Allow elicitation</span>: the server may ask the client&apos;s user for input (elicitation/create). Clear: the
            gateway refuses those requests and does not offer elicitation to the server.
          </span>
        </label>
        <p className="text-slate-500">While the server is shared, both requests are refused whatever these two say. Saving closes a shared session; its clients initialize again.</p>
        <Button type="submit" size="sm" variant="secondary" disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </Button>
        <FormMessage state={state} />
      </form>
    </details>
  );
}
