import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Counts one hit for `key` in a fixed window that starts with the first hit. One statement, so
 * concurrent requests in several app processes never lose a count.
 */
export async function incrementRateLimitHits(
  db: Kysely<Database>,
  key: string,
  now: Date,
  windowMs: number,
): Promise<{ hits: number; resetAt: Date }> {
  const resetAt = new Date(now.getTime() + windowMs);
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key, hits: 1, reset_at: resetAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limit_hits.reset_at <= ${now} then 1 else rate_limit_hits.hits + 1 end`,
        reset_at: sql<Date>`case when rate_limit_hits.reset_at <= ${now} then excluded.reset_at else rate_limit_hits.reset_at end`,
      }),
    )
    .returning(['hits', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, resetAt: new Date(row.reset_at) };
}

export async function decrementRateLimitHits(db: Kysely<Database>, key: string): Promise<void> {
  await db
    .updateTable('rate_limit_hits')
    .set({ hits: sql<number>`greatest(hits - 1, 0)` })
    .where('key', '=', key)
    .execute();
}

export async function deleteRateLimitKey(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('key', '=', key).execute();
}

/** Old windows are of no use; removed now and then so the table stays small. */
export async function deleteExpiredRateLimits(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('reset_at', '<=', now).execute();
}
