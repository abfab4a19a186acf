'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * Keeps a server page current at the cost of one small request per interval: it polls `watch`
 * (a route answering `{ version }`) and re-renders the page only when the version moves. It
 * stops while the tab is hidden and checks once as soon as it is shown again.
 *
 * `version` is the one the server rendered the page at, so a change between rendering and
 * the first check is not missed.
 */
export function LiveRefresh({ watch, version, everyMs }: { watch: string; version: string; everyMs: number }) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    seen.current = version;
  }, [version]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | undefined;
    let stopped = false;

    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && document.visibilityState === 'visible') timer = setTimeout(() => void check(), everyMs);
    };
    const check = async () => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      try {
        const res = await fetch(watch, { cache: 'no-store', signal: controller.signal });
        if (res.ok) {
          const { version } = (await res.json()) as { version?: unknown };
          if (typeof version === 'string') {
            if (version !== seen.current) {
              seen.current = version;
              router.refresh();
            }
          }
        }
      } catch {
        // A missed check (aborted, offline, server restarting) is retried on the next tick.
      } finally {
        // Only the latest check schedules the next, so there is never more than one timer.
        if (inFlight === controller) {
          inFlight = undefined;
          schedule();
        }
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void check();
      else {
        clearTimeout(timer);
        inFlight?.abort();
      }
    };

    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [router, watch, everyMs]);
  return null;
}
