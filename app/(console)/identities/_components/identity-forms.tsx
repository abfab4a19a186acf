'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { generateBrowserIdentity } from '@/gateway/crypto/browser-identity';
import { enrollIdentityKeyAction } from '@/lib/actions/identities/enroll-identity-key-action';
import { issueApiTokenAction } from '@/lib/actions/identities/issue-api-token-action';
import { revokeApiTokenAction } from '@/lib/actions/identities/revoke-api-token-action';
import { setIdentityStatusAction } from '@/lib/actions/identities/set-identity-status-action';
import { idle, lastValue } from '@/lib/actions/safe-action-state';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

/**
 * Paste box for a public key made by `pqgate keygen` (printed by `pqgate pubkey`), or a key
 * generated right here with noble: the secret is downloaded as an identity file and never
 * leaves the browser; only the public key is submitted.
 */
export function EnrollKeyForm({ identityId, identityName }: { identityId: string; identityName: string }) {
  const [state, action, pending] = useActionState(enrollIdentityKeyAction, idle);
  const [generated, setGenerated] = useState<string | null>(null);
  // Key generation needs JavaScript: the button stays disabled until the page is interactive,
  // so a click before hydration is not silently lost.
  const [interactive, setInteractive] = useState(false);
  useEffect(() => setInteractive(true), []);
  const publicKeyRef = useRef<HTMLTextAreaElement>(null);
  const algorithmRef = useRef<HTMLSelectElement>(null);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;

  function generate() {
    const algorithm = (algorithmRef.current?.value ?? 'ML-DSA-65') as 'ML-DSA-65' | 'ML-DSA-87' | 'Ed25519';
    const identity = generateBrowserIdentity(algorithm);
    const url = URL.createObjectURL(new Blob([identity.file], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${identityName}.pqgate-identity.json`;
    link.click();
    URL.revokeObjectURL(url);
    if (publicKeyRef.current) publicKeyRef.current.value = identity.publicKey;
    setGenerated(identity.keyId);
  }

  return (
    <form action={action} className="space-y-4" aria-label="Enroll a public key">
      <input type="hidden" name="identityId" value={identityId} />
      <Field id="key-algorithm" label="Algorithm" errors={errors?.algorithm}>
        <Select id="key-algorithm" name="algorithm" defaultValue="ML-DSA-65" className="max-w-xs" ref={algorithmRef}>
          <option value="ML-DSA-65">ML-DSA-65 (default of pqgate keygen)</option>
          <option value="ML-DSA-87">ML-DSA-87 (CNSA 2.0)</option>
          <option value="Ed25519">Ed25519 (classical)</option>
        </Select>
      </Field>
      <Field id="key-public" label="Public key" hint="Run `pqgate pubkey --identity id.json` and paste what it prints, or generate a key in this browser. The secret key never leaves the client." errors={errors?.publicKey}>
        <textarea
          id="key-public"
          name="publicKey"
          ref={publicKeyRef}
          rows={4}
          required
          defaultValue={lastValue(state, 'publicKey')}
          aria-invalid={Boolean(errors?.publicKey) || undefined}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
        />
      </Field>
      {generated ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
          Key {generated.slice(0, 16)}… generated in this browser; its secret was downloaded as <code>{identityName}.pqgate-identity.json</code> (keep it private:
          <code> pqgate connect --identity</code> uses it). Enroll the public key to finish.
        </p>
      ) : null}
      <FormMessage state={state} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Enrolling…' : 'Enroll key'}
        </Button>
        <Button type="button" variant="secondary" onClick={generate} disabled={!interactive}>
          Generate in this browser
        </Button>
      </div>
    </form>
  );
}

export function IssueTokenForm({ identityId }: { identityId: string }) {
  const [state, action, pending] = useActionState(issueApiTokenAction, idle);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" aria-label="Issue an API token">
      <input type="hidden" name="identityId" value={identityId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="token-name" label="Token name" errors={errors?.name}>
          <Input id="token-name" name="name" required defaultValue={lastValue(state, 'name')} invalid={Boolean(errors?.name)} />
        </Field>
        <Field id="token-days" label="Expires in (days)" errors={errors?.expiresInDays}>
          <Input id="token-days" name="expiresInDays" type="number" min={1} max={365} defaultValue={lastValue(state, 'expiresInDays') ?? '90'} invalid={Boolean(errors?.expiresInDays)} />
        </Field>
      </div>
      <FormMessage state={state} />
      {state.status === 'success' && state.data ? (
        <div className="space-y-1">
          <label htmlFor="issued-token" className="block text-sm font-medium">
            New token (shown once)
          </label>
          <input id="issued-token" readOnly value={state.data.token} className="block w-full rounded-md border border-amber-400 bg-amber-50 px-3 py-2 font-mono text-xs dark:bg-amber-950/40" onFocus={(e) => e.currentTarget.select()} />
          <p className="text-xs text-slate-500">Classical clients send it as <code>Authorization: Bearer …</code>. Tools with a post-quantum floor refuse it.</p>
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Issuing…' : 'Issue token'}
      </Button>
    </form>
  );
}

export function RevokeTokenButton({ identityId, tokenId, prefix }: { identityId: string; tokenId: string; prefix: string }) {
  const [state, action, pending] = useActionState(revokeApiTokenAction, idle);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="identityId" value={identityId} />
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" variant="danger" size="sm" disabled={pending} aria-label={`Revoke token ${prefix}`}>
        Revoke
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function IdentityStatusButtons({ identityId, status }: { identityId: string; status: 'active' | 'suspended' | 'revoked' }) {
  const [state, action, pending] = useActionState(setIdentityStatusAction, idle);
  if (status === 'revoked') return <p className="text-sm text-slate-600">Revoked: final. Create a new identity if needed.</p>;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <form action={action}>
          <input type="hidden" name="identityId" value={identityId} />
          <input type="hidden" name="status" value={status === 'active' ? 'suspended' : 'active'} />
          <Button type="submit" variant="secondary" size="sm" disabled={pending}>
            {status === 'active' ? 'Suspend' : 'Reinstate'}
          </Button>
        </form>
        <form action={action}>
          <input type="hidden" name="identityId" value={identityId} />
          <input type="hidden" name="status" value="revoked" />
          <Button type="submit" variant="danger" size="sm" disabled={pending}>
            Revoke identity
          </Button>
        </form>
      </div>
      <FormMessage state={state} />
    </div>
  );
}
