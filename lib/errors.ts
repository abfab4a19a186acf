/** The closed set of console error codes (STYLE.md rule 7). */
export type AppErrorCode = 'unauthenticated' | 'forbidden' | 'not_found' | 'invalid_input' | 'too_large' | 'conflict' | 'internal';

const STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  too_large: 413,
  conflict: 409,
  internal: 500,
};

/** An error whose message is safe to show and says what to do. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** A JSON error response for route handlers; unknown errors become a generic 500 (logged, not shown). */
export function errorResponse(error: unknown): Response {
  const e = error instanceof AppError ? error : new AppError('internal', 'Something went wrong on the server; the error is in its log.');
  if (!(error instanceof AppError)) console.error(error);
  return Response.json({ error: { code: e.code, message: e.message, fieldErrors: e.fieldErrors } }, { status: e.status });
}
