import { z } from 'zod';
import { appendAuditEvent, type AuditEntry } from '../audit/append-audit-event';
import { currentUser } from '../auth/current-user';
import { assertPermission, type SessionUser } from '../auth/permission';
import type { Permission } from '../auth/roles';
import { AppError } from '../errors';

import { echoValues, type ActionState } from './safe-action-state';

export type { ActionState } from './safe-action-state';

interface ActionDefinition<S extends z.ZodType, T> {
  /** The audit action name, e.g. `users.create`. */
  name: string;
  permission: Permission;
  schema: S;
  /** Runs after the session, role and input checks pass. */
  run: (input: z.infer<S>, user: SessionUser) => Promise<{ message: string; data?: T; audit: Omit<AuditEntry, 'actorType' | 'actorId' | 'action'> }>;
}

/**
 * The one wrapper every console mutation goes through (STYLE.md rule 5): loads the session,
 * checks the role on the server, validates input with the shared zod schema, writes the audit
 * event, and turns failures into a message for the form. Accepts FormData (forms) or a plain object.
 */
export function defineAction<S extends z.ZodType, T = undefined>(definition: ActionDefinition<S, T>) {
  return async (_previous: ActionState<T> | undefined, input: FormData | z.input<S>): Promise<ActionState<T>> => {
    let user: SessionUser | undefined;
    let raw: unknown = input;
    try {
      const current = await currentUser();
      user = current ?? undefined;
      assertPermission(current, definition.permission);
      raw = input instanceof FormData ? formDataToObject(input) : input;
      const parsed = definition.schema.safeParse(raw);
      if (!parsed.success) {
        const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
        return { status: 'error', code: 'invalid_input', message: 'Some fields need attention.', fieldErrors, values: echoValues(raw) };
      }
      const result = await definition.run(parsed.data, current);
      await appendAuditEvent({ actorType: 'user', actorId: current.id, action: definition.name, decision: 'ok', ...result.audit });
      return { status: 'success', message: result.message, data: result.data };
    } catch (error) {
      if (error instanceof AppError) {
        if (error.code === 'forbidden' || error.code === 'unauthenticated') {
          // A refused attempt at an admin action is itself worth auditing.
          await appendAuditEvent({
            actorType: user ? 'user' : 'system',
            actorId: user?.id ?? 'signed-out',
            action: definition.name,
            decision: 'refused',
            details: { reason: error.code },
          }).catch((e) => console.error(e));
        }
        return { status: 'error', code: error.code, message: error.message, fieldErrors: error.fieldErrors, values: echoValues(raw) };
      }
      console.error(error);
      return { status: 'error', code: 'internal', message: 'Something went wrong on the server; nothing was changed. The error is in the server log.', values: echoValues(raw) };
    }
  };
}

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith('$ACTION')) continue;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}
