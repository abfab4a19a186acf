import { Badge } from '@/components/ui/badge';

const DECISION_TONE: Record<string, 'good' | 'bad' | 'warn' | 'neutral'> = { ok: 'good', allow: 'good', refused: 'bad', deny: 'bad', monitor: 'warn', error: 'bad' };

/** An event's decision, coloured by outcome. */
export function DecisionBadge({ decision }: { decision: string | null }) {
  return decision ? <Badge tone={DECISION_TONE[decision] ?? 'neutral'}>{decision}</Badge> : <>—</>;
}
