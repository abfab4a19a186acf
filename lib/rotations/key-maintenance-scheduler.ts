import { runKeyMaintenance } from './run-key-maintenance';

const holder = globalThis as typeof globalThis & { __pqgateKeySchedule?: NodeJS.Timeout };

/**
 * Runs the key schedule every `intervalMs` in this process (once per process: Next.js may
 * evaluate modules twice). Every replica may run it; each step is idempotent across replicas.
 */
export function startKeyMaintenance(intervalMs: number, log: (line: string) => void = console.error): void {
  if (holder.__pqgateKeySchedule) return;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runKeyMaintenance()
      .catch((error) => log(`pqgate: key schedule failed (retried in ${intervalMs / 1000}s): ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (running = false));
  };
  holder.__pqgateKeySchedule = setInterval(tick, intervalMs);
  holder.__pqgateKeySchedule.unref();
  tick();
}

export function stopKeyMaintenance(): void {
  clearInterval(holder.__pqgateKeySchedule);
  holder.__pqgateKeySchedule = undefined;
}
