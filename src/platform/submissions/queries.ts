import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';

/**
 * Claims a form token. Returns false when the token was used before: a concurrent second submit
 * waits on the primary key until the first transaction ends, then finds the token taken.
 */
export async function claimToken(trx: Transaction<Database>, token: string, userId: number, now: Date): Promise<boolean> {
  const inserted = await trx
    .insertInto('form_submissions')
    .values({ token, user_id: userId, result_path: '', created_at: now })
    .onConflict((oc) => oc.column('token').doNothing())
    .returning('token')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function setResultPath(trx: Transaction<Database>, token: string, resultPath: string): Promise<void> {
  await trx.updateTable('form_submissions').set({ result_path: resultPath }).where('token', '=', token).execute();
}

export async function findResultPath(trx: Transaction<Database>, token: string, userId: number): Promise<string | undefined> {
  const row = await trx
    .selectFrom('form_submissions')
    .select('result_path')
    .where('token', '=', token)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.result_path || undefined;
}
