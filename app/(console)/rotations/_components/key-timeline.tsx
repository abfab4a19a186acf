import Link from 'next/link';
import { Time } from '@/components/ui/time';

/** A key's history, oldest first: versions created, activated, retiring, retired, and the requests and decisions between them. */
export function KeyTimeline({ entries }: { entries: { at: Date; what: string; detail?: string; href?: string }[] }) {
  return (
    <ol aria-label="Key history" className="space-y-3 border-l border-slate-200 pl-4 dark:border-slate-800">
      {entries.map((e, i) => (
        <li key={i} className="text-sm">
          <p className="text-xs text-slate-500">
            <Time value={e.at} />
          </p>
          <p className="font-medium">{e.href ? <Link className="underline" href={e.href}>{e.what}</Link> : e.what}</p>
          {e.detail ? <p className="text-slate-600 dark:text-slate-400">{e.detail}</p> : null}
        </li>
      ))}
    </ol>
  );
}
