import type { Executor } from './executor';

// The SQL of the mail transport (mail.ts): the record of failed sends.

/** How many failures are kept: enough to see a pattern on /admin/settings, never a growing table. */
export const KEPT_MAIL_FAILURES = 100;

export interface MailFailureRow {
  id: number;
  occurredAt: Date;
  kind: string;
  userId: number | null;
  userName: string | null;
  error: string;
}

/** Stores a failure and forgets all but the newest KEPT_MAIL_FAILURES. */
export async function insertMailFailure(
  db: Executor,
  failure: { occurredAt: Date; kind: string; userId: number | null; error: string },
): Promise<void> {
  await db
    .insertInto('mail_failures')
    .values({ occurred_at: failure.occurredAt, kind: failure.kind, user_id: failure.userId, error: failure.error })
    .execute();
  await db
    .deleteFrom('mail_failures')
    .where('id', 'not in', db.selectFrom('mail_failures').select('id').orderBy('id', 'desc').limit(KEPT_MAIL_FAILURES))
    .execute();
}

/** The newest failures first, with the name of the person the mail was for. */
export async function listMailFailures(db: Executor, limit: number): Promise<MailFailureRow[]> {
  const rows = await db
    .selectFrom('mail_failures')
    .leftJoin('users', 'users.id', 'mail_failures.user_id')
    .select([
      'mail_failures.id',
      'mail_failures.occurred_at as occurredAt',
      'mail_failures.kind',
      'mail_failures.user_id as userId',
      'users.display_name as userName',
      'mail_failures.error',
    ])
    .orderBy('mail_failures.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
