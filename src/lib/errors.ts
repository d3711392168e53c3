/**
 * The one error type routes throw on purpose. `code` names an i18n message (errors.<code>);
 * the error middleware renders views/errors/error.ejs with the status.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
    this.name = 'AppError';
  }
}

export const notFound = (): AppError => new AppError(404, 'notFound');

/**
 * A rule the form schema cannot check alone (a coach outside the team, an outcome that closing
 * needs). Routes render the form again with 422 and these messages, keeping every typed value.
 */
export class FormRejection extends Error {
  constructor(readonly errors: Record<string, string>) {
    super('form rejected');
    this.name = 'FormRejection';
  }
}

/** What an error says, for a log line: its message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
}
