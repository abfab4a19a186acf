import { TextDiff } from '@/components/ui/text-diff';

/** Old (approved) and new (pending) tool definitions as pretty JSON, diffed. */
export function DefinitionDiff({ approved, pending }: { approved: unknown; pending: unknown }) {
  return <TextDiff before={JSON.stringify(approved, null, 2)} after={JSON.stringify(pending, null, 2)} label="Definition changes" />;
}
