import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { claimToken, findResultPath, setResultPath } from './queries';

/** A fresh one-time token for a create form. */
export function newSubmissionToken(): string {
  return randomUUID();
}

export type SubmissionOutcome<T> = { kind: 'created'; value: T; path: string } | { kind: 'duplicate'; path: string };

/**
 * Runs a create in one transaction guarded by the form's one-time token: the first submit
 * stores the record and remembers where it lives; any later submit of the same form stores
 * nothing and is sent to that record.
 */
export async function createOnce<T>(
  db: Kysely<Database>,
  token: string,
  userId: number,
  now: Date,
  create: (trx: Transaction<Database>) => Promise<{ value: T; path: string }>,
): Promise<SubmissionOutcome<T>> {
  return db.transaction().execute(async (trx) => {
    if (!(await claimToken(trx, token, userId, now))) {
      const path = await findResultPath(trx, token, userId);
      // A token of another user, or one whose first submit failed validation in the service, is
      // treated like an expired form: send the person back to start again.
      return { kind: 'duplicate', path: path ?? '' };
    }
    const { value, path } = await create(trx);
    await setResultPath(trx, token, path);
    return { kind: 'created', value, path };
  });
}
