import type { Locale } from '../config';
import { chosenLocale } from '../db/locale';
import { sql } from 'kysely';
import { participantVisibleToCoach } from '../db/access';
import type { Role } from '../db/schema';
import type { Executor } from '../platform/executor';

export interface FeedStatusRow {
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function findFeedOf(db: Executor, userId: number): Promise<FeedStatusRow | undefined> {
  return db
    .selectFrom('calendar_feeds')
    .select(['created_at as createdAt', 'last_used_at as lastUsedAt'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The person's feed with this token hash, replacing the one they had (so its old address stops working). */
export async function upsertFeed(db: Executor, userId: number, tokenHash: string, now: Date): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values({ user_id: userId, token_hash: tokenHash, created_at: now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        token_hash: tokenHash,
        created_at: now,
        last_used_at: null,
        window_started_at: null,
        window_fetches: 0,
      }),
    )
    .execute();
}

/** Removes the person's feed; whether there was one. */
export async function deleteFeedOf(db: Executor, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface FeedOwnerRow {
  userId: number;
  role: Role;
  /** Their own language choice, else their team's default; null: the organisation's. */
  locale: Locale | null;
  /** Fetches in the current window, this one included. */
  windowFetches: number;
  windowStartedAt: Date;
}

/**
 * One fetch of a feed address, in one statement: finds the active person whose feed has this token
 * hash, records the fetch as its last use and counts it in the current window (a new window starts
 * when the last one is `windowMs` old). Nothing for an unknown hash or a deactivated person.
 */
export async function recordFeedFetch(
  db: Executor,
  tokenHash: string,
  now: Date,
  windowMs: number,
): Promise<FeedOwnerRow | undefined> {
  const windowOver = sql<boolean>`calendar_feeds.window_started_at is null or calendar_feeds.window_started_at <= ${new Date(now.getTime() - windowMs)}`;
  return db
    .updateTable('calendar_feeds')
    .from('users')
    .set({
      last_used_at: now,
      window_fetches: sql<number>`case when ${windowOver} then 1 else calendar_feeds.window_fetches + 1 end`,
      window_started_at: sql<Date>`case when ${windowOver} then ${now}::timestamptz else calendar_feeds.window_started_at end`,
    })
    .whereRef('users.id', '=', 'calendar_feeds.user_id')
    .where('users.active', '=', true)
    .where('calendar_feeds.token_hash', '=', tokenHash)
    .returning([
      'calendar_feeds.user_id as userId',
      'users.role',
      chosenLocale,
      'calendar_feeds.window_fetches as windowFetches',
      sql<Date>`calendar_feeds.window_started_at`.as('windowStartedAt'),
    ])
    .executeTakeFirst();
}

export interface PlannedContactRow {
  participantId: number;
  firstName: string;
  lastName: string;
  /** The participant's own coach: someone else than the feed's owner for a stand-in's events. */
  coachId: number;
  /** The contact moment that holds the plan: its id names the event. */
  contactId: number;
  contactVersion: number;
  contactUpdatedAt: Date;
  nextContactDate: string;
  /** 'HH:MM:SS' in the organisation's zone, or null for "some time that day". */
  nextContactTime: string | null;
}

/**
 * The planned next contacts on the days [from, until) of the participants the person coaches, as
 * /today reads them: the plan on each open participant's latest contact moment (a later contact
 * without a plan replaces an earlier plan), latest by when it happened, then when it was recorded,
 * then id. The person's own participants, and those of a coach they stand in for on the planned
 * day (the access rule of db/access.ts, taken on each planned contact's day instead of today).
 */
export async function listPlannedContacts(
  db: Executor,
  userId: number,
  from: string,
  until: string,
): Promise<PlannedContactRow[]> {
  return (
    db
      .selectFrom('participants')
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('contact_moments as latest')
            .select(['latest.id', 'latest.version', 'latest.updated_at', 'latest.next_contact_date', 'latest.next_contact_time'])
            .whereRef('latest.participant_id', '=', 'participants.id')
            .orderBy('latest.occurred_at', 'desc')
            .orderBy('latest.created_at', 'desc')
            .orderBy('latest.id', 'desc')
            .limit(1)
            .as('latest'),
        (join) => join.onTrue(),
      )
      .select([
        'participants.id as participantId',
        'participants.first_name as firstName',
        'participants.last_name as lastName',
        'participants.coach_id as coachId',
        'latest.id as contactId',
        'latest.version as contactVersion',
        'latest.updated_at as contactUpdatedAt',
        // Not null: the WHERE below keeps only planned ones.
        sql<string>`latest.next_contact_date`.as('nextContactDate'),
        'latest.next_contact_time as nextContactTime',
      ])
      // The coach rule of db/access.ts twice: over the period, which the coach index serves, then on
      // each planned contact's own day, since a stand-in covers its days only.
      .where(participantVisibleToCoach({ userId, from, until }))
      .where(participantVisibleToCoach({ userId, today: sql<string>`latest.next_contact_date` }))
      .where('participants.status', '<>', 'closed')
      .where('latest.next_contact_date', '>=', from)
      .where('latest.next_contact_date', '<', until)
      .orderBy('latest.next_contact_date')
      .orderBy(sql`latest.next_contact_time nulls first`)
      .orderBy('participants.id')
      .execute()
  );
}
