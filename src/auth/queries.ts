import { sql } from 'kysely';
import type { Executor } from '../platform/executor';

/**
 * Counts one hit for `key` in a fixed window that starts with the first hit. One statement, so
 * concurrent requests in several app processes never lose a count.
 */
export async function incrementRateLimitHits(
  db: Executor,
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

/** The hits of each key whose window is still open at `now`; a key without any is left out. */
export async function currentRateLimitHits(db: Executor, keys: readonly string[], now: Date): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('rate_limit_hits')
    .select(['key', 'hits'])
    .where('key', 'in', keys)
    .where('reset_at', '>', now)
    .execute();
  return new Map(rows.map((row) => [row.key, row.hits]));
}

/** Takes back one hit (an attempt that turned out not to be a failure). */
export async function decrementRateLimitHits(db: Executor, key: string): Promise<void> {
  await db
    .updateTable('rate_limit_hits')
    .set({ hits: sql<number>`greatest(hits - 1, 0)` })
    .where('key', '=', key)
    .execute();
}

export async function deleteRateLimitKey(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('key', '=', key).execute();
}

/** Old windows are of no use; removed now and then so the table stays small. */
export async function deleteExpiredRateLimits(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('reset_at', '<=', now).execute();
}

export interface OwnSessionRow {
  handle: string;
  /** Whether this is the session of the request asking. */
  current: boolean;
  /** From the session: when the person signed in (ms since epoch, as text), and where from. */
  signedInAt: string | null;
  userAgent: string | null;
  address: string | null;
  lastSeenAt: Date;
}

/**
 * The user's unexpired sessions, most recently used first, found through the indexed `user_id`.
 * `expire` is written by express-session from the real time (as connect-pg-simple compares it), so
 * it is compared with the database's `now()`, not with the app's clock.
 */
export async function listSessionsOfUser(db: Executor, userId: number, currentSid: string): Promise<OwnSessionRow[]> {
  return db
    .selectFrom('sessions')
    .select([
      'handle',
      sql<boolean>`sid = ${currentSid}`.as('current'),
      sql<string | null>`sess ->> 'signedInAt'`.as('signedInAt'),
      sql<string | null>`sess -> 'client' ->> 'userAgent'`.as('userAgent'),
      sql<string | null>`sess -> 'client' ->> 'address'`.as('address'),
      'last_seen_at as lastSeenAt',
    ])
    .where('user_id', '=', userId)
    .where('expire', '>', sql<Date>`now()`)
    .orderBy('last_seen_at', 'desc')
    .orderBy('handle')
    .execute();
}

/** Ends one of the user's sessions by its handle, never the one asking; the number ended (0 or 1). */
export async function deleteSessionByHandle(db: Executor, userId: number, handle: string, keepSid: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('handle', '=', handle)
    .where('sid', '<>', keepSid)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
