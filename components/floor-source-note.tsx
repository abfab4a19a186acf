import type { FloorSource } from '@/gateway/policy/decide';

/**
 * Why a floor applies, and which suggested labels do not: the Tools page and the simulator
 * both show decide()'s own answer through this, so they can never tell two stories.
 */
export function FloorSourceNote({ source }: { source: FloorSource }) {
  return (
    <>
      <span className="block text-xs text-slate-500 dark:text-slate-400">from {source.rule}</span>
      {source.unconfirmed?.map((u) => (
        <span key={u.label} className="block text-xs text-amber-800 dark:text-amber-300">
          {u.label}? is only suggested: no floor until confirmed (then {u.floor})
        </span>
      ))}
    </>
  );
}
