/** What every action returns to its form: a message to show, and field errors when input was bad. */
export type ActionState<T = undefined> =
  | { status: 'idle' }
  | { status: 'success'; message: string; data?: T }
  | {
      status: 'error';
      code: string;
      message: string;
      fieldErrors?: Record<string, string[]>;
      /** The submitted non-secret fields, so the form can show them again (React resets forms after an action). */
      values?: Record<string, string>;
    };

/** The value a field had when the form was last submitted with an error. */
export function lastValue(state: ActionState<unknown>, field: string): string | undefined {
  return state.status === 'error' ? state.values?.[field] : undefined;
}

/** Text fields of a submission minus anything secret, to send back with an error. */
export function echoValues(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([k, v]) => typeof v === 'string' && !/password|secret|token|key/i.test(k)) as [string, string][],
  );
}

/** The state before a form was submitted (client components import this, not the server wrapper). */
export const idle: ActionState<never> = { status: 'idle' };
