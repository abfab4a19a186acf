/** A timestamp in UTC, machine-readable in `dateTime`; a dash when never. */
export function Time({ value }: { value: Date | null | undefined }) {
  if (!value) return <span className="text-slate-400">never</span>;
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap tabular-nums">
      {iso.slice(0, 16).replace('T', ' ')} UTC
    </time>
  );
}
