import { diffLines } from 'diff';

/** Two texts line by line, additions and removals marked for sighted and screen-reader users. */
export function TextDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = diffLines(before.endsWith('\n') ? before : `${before}\n`, after.endsWith('\n') ? after : `${after}\n`);
  return (
    <pre className="overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-950" aria-label={label}>
      {parts.map((part, i) =>
        part.value
          .replace(/\n$/, '')
          .split('\n')
          .map((line, j) => (
            <div
              key={`${i}-${j}`}
              className={part.added ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100' : part.removed ? 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-100' : ''}
            >
              <span aria-hidden="true">{part.added ? '+ ' : part.removed ? '- ' : '  '}</span>
              <span className="sr-only">{part.added ? 'added: ' : part.removed ? 'removed: ' : ''}</span>
              {line}
            </div>
          )),
      )}
    </pre>
  );
}
