'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

interface Problem {
  kind: string;
  message: string;
  seq?: number;
  range?: [number, number];
}
interface Verification {
  valid: boolean;
  eventCount: number;
  checkpointCount: number;
  verifiedSize: number;
  firstBad?: Problem;
}

/** "Verify now": asks the server to recompute the tree from the stored events and check every checkpoint. */
export function VerifyNow() {
  const [state, setState] = useState<{ status: 'idle' | 'running' } | { status: 'done'; result: Verification } | { status: 'failed'; message: string }>({ status: 'idle' });
  async function verify() {
    setState({ status: 'running' });
    try {
      const response = await fetch('/api/audit/verify', { method: 'POST' });
      const body = await response.json();
      if (!response.ok) setState({ status: 'failed', message: body?.error?.message ?? 'The check could not run.' });
      else setState({ status: 'done', result: body as Verification });
    } catch {
      setState({ status: 'failed', message: 'The server did not answer; try again.' });
    }
  }
  return (
    <div className="space-y-2">
      <Button variant="secondary" size="sm" onClick={verify} disabled={state.status === 'running'}>
        {state.status === 'running' ? 'Verifying…' : 'Verify now'}
      </Button>
      <div role="status" aria-label="Verification result" className="text-sm">
        {state.status === 'done' && state.result.valid ? (
          <p className="text-emerald-700 dark:text-emerald-300">
            Log intact: {state.result.eventCount} events recomputed, {state.result.checkpointCount} signed checkpoints verified (events 0–{state.result.verifiedSize - 1} signed).
          </p>
        ) : null}
        {state.status === 'done' && !state.result.valid ? (
          <p className="text-red-700 dark:text-red-300">
            Tampered: first bad entry{' '}
            {state.result.firstBad?.range ? `in #${state.result.firstBad.range[0]}–#${state.result.firstBad.range[1] - 1}` : state.result.firstBad?.seq !== undefined ? `#${state.result.firstBad.seq}` : ''} [{state.result.firstBad?.kind}]: {state.result.firstBad?.message}
          </p>
        ) : null}
        {state.status === 'failed' ? <p className="text-red-700 dark:text-red-300">{state.message}</p> : null}
      </div>
    </div>
  );
}
