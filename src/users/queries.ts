import type { Locale } from '../config';
import { sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import { participantVisibleToCoach } from '../db/access';
import { compiledOnce } from '../db/compiled-once';
import { PREPARED_STATEMENT_MARK } from '../db/database';
import type { NewUser, Role, SetPasswordPurpose } from '../db/schema';
import type { Executor } from '../platform/executor';

export interface SignedInUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  /** Their own language choice, or null (none). */
  ownLocale: Locale | null;
  /** Their team's default language, or null (none). */
  teamLocale: Locale | null;
  /** A coach's navigation counts: review feedback given since they last opened it, answers to their support questions not yet seen. */
  unreadFeedback: number;
  unreadAnswers: number;
}

/** `today`: the organisation's date, for the navigation's counts (which participants the coach sees). */
export async function findUserForSession(db: Executor, id: number, today: string): Promise<SignedInUser | undefined> {
  return signedInUsers(db, today).where('users.id', '=', id).executeTakeFirst();
}

/**
 * A session's stored data and, in the same statement, its signed-in user (undefined when nobody is
 * signed in or the account is no longer active): what every signed-in request reads first. One
 * round trip instead of two, the session's and then passport's (src/web/session-store.ts).
 * Undefined when the session does not exist or has expired.
 */
export async function findSessionWithUser(
  db: Executor,
  sid: string,
  notExpiredAt: Date,
  today: string,
): Promise<{ sess: unknown; user: SignedInUser | undefined } | undefined> {
  const [row] = await sessionWithUserStatement.execute(
    db,
    {},
    { sid, notExpiredAtSeconds: notExpiredAt.getTime() / 1000, today },
  );
  return row && { sess: row.sess, user: row.user ?? undefined };
}

/** The statement of findSessionWithUser: every signed-in request sends it, so it is compiled once. */
export const sessionWithUserStatement = compiledOnce(
  (db, _shape: Record<string, never>, values: { sid: string; notExpiredAtSeconds: number; today: string }) =>
    db
      .selectFrom('sessions')
      // Planned once per connection too (its subqueries took longer to plan than to run).
      .modifyFront(sql.raw(PREPARED_STATEMENT_MARK))
      .select((eb) => [
        'sessions.sess',
        jsonObjectFrom(signedInUsers(db, values.today).where('users.id', '=', eb.ref('sessions.user_id'))).as('user'),
      ])
      .where('sessions.sid', '=', values.sid)
      // As connect-pg-simple compares (expire is a timestamp without zone, written through
      // to_timestamp): a JavaScript Date would be sent with the Node process's offset, which the
      // cast to a zoneless timestamp drops.
      .where('sessions.expire', '>=', sql<Date>`to_timestamp(${values.notExpiredAtSeconds})`),
);

/** Active users as a signed-in request sees itself; `today` (the organisation's date) for the counts. */
function signedInUsers(db: Executor, today: string) {
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .select((eb) => [
      'users.id',
      'users.email',
      'users.display_name as displayName',
      'users.role',
      'users.team_id as teamId',
      'teams.name as teamName',
      'users.locale as ownLocale',
      'teams.default_locale as teamLocale',
      // Folded into the one query every request makes for its user (no query of its own per page),
      // for coaches only, each an index range of this one coach: review_samples_coach then the
      // sample's items; support_requests_coach_unread (partial: unread answers only).
      sql<number>`case when users.role = 'coach' then (
        select count(*)::int from review_samples
        join review_items on review_items.sample_id = review_samples.id
        where review_samples.coach_id = users.id
          and review_items.reviewed_at > coalesce(users.feedback_read_at, '-infinity'::timestamptz)
      ) else 0 end`.as('unreadFeedback'),
      // Only answers about participants the coach sees today, as /support lists them: an answer
      // about a participant moved to another coach, or covered by a stand-in that has ended,
      // would otherwise keep the count up with nothing on /support to read and clear it.
      sql<number>`case when users.role = 'coach' then (${eb
        .selectFrom('support_requests')
        .innerJoin('participants', 'participants.id', 'support_requests.participant_id')
        .select(sql<number>`count(*)::int`.as('count'))
        .whereRef('support_requests.coach_id', '=', 'users.id')
        .where('support_requests.answered_at', 'is not', null)
        .where('support_requests.answer_read_at', 'is', null)
        .where(participantVisibleToCoach({ userId: eb.ref('users.id'), today }))}) else 0 end`.as('unreadAnswers'),
    ])
    .where('users.active', '=', true);
}

export async function findCredentialsByEmail(db: Executor, email: string) {
  return db.selectFrom('users').select(['id', 'password_hash', 'active']).where('email', '=', email).executeTakeFirst();
}

export async function insertUser(db: Executor, user: NewUser): Promise<number> {
  const row = await db.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserLocale(db: Executor, id: number, locale: Locale | null, now: Date): Promise<void> {
  await db.updateTable('users').set({ locale, updated_at: now }).where('id', '=', id).execute();
}

/**
 * Switches an account on or off; switching off notes when (the anonymisation period of
 * src/retention counts from it). An anonymised account is never switched on again: it has no name
 * or email left.
 */
export async function updateUserActive(db: Executor, id: number, active: boolean, now: Date): Promise<number> {
  const result = await db
    .updateTable('users')
    .set({ active, deactivated_at: active ? null : now, updated_at: now })
    .where('id', '=', id)
    .$if(active, (query) => query.where('anonymised_at', 'is', null))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends every session of the user (found through `sessions.user_id`, which a trigger keeps). */
export async function deleteSessionsOfUser(db: Executor, id: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listUserEmails(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('users').select('email').execute();
  return rows.map((row) => row.email);
}

export async function findTeamByName(db: Executor, name: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function insertTeam(db: Executor, name: string): Promise<number> {
  const row = await db.insertInto('teams').values({ name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findPasswordHash(db: Executor, id: number): Promise<string | null | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash;
}

export async function updatePasswordHash(db: Executor, id: number, passwordHash: string, now: Date): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
}

/** Who a password is for: what the policy compares it with. */
export async function findPasswordOwner(db: Executor, id: number) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name as displayName', 'email', 'password_hash as currentHash', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertSetPasswordLink(
  db: Executor,
  link: { userId: number; tokenHash: string; purpose: SetPasswordPurpose; createdBy: number | null; expiresAt: Date; now: Date },
): Promise<void> {
  await db
    .insertInto('set_password_links')
    .values({
      user_id: link.userId,
      token_hash: link.tokenHash,
      purpose: link.purpose,
      created_by: link.createdBy,
      created_at: link.now,
      expires_at: link.expiresAt,
    })
    .execute();
}

/** A new link replaces the older ones: at most one usable link per person. */
export async function expireSetPasswordLinksOf(db: Executor, userId: number, now: Date): Promise<void> {
  await db
    .updateTable('set_password_links')
    .set({ expires_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

/** The link of a token, whatever its state (the page says why an old one no longer works). */
export async function findSetPasswordLink(db: Executor, tokenHash: string) {
  return db
    .selectFrom('set_password_links')
    .innerJoin('users', 'users.id', 'set_password_links.user_id')
    .select([
      'set_password_links.id',
      'set_password_links.user_id as userId',
      'set_password_links.purpose',
      'set_password_links.expires_at as expiresAt',
      'set_password_links.used_at as usedAt',
      'users.active',
      'users.display_name as displayName',
      'users.email',
    ])
    .where('set_password_links.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks a link used, only if it still was usable: of two submits at once, one wins. */
export async function useSetPasswordLink(db: Executor, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('set_password_links')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends the user's other sessions (other browsers, a forgotten shared computer). */
export async function deleteOtherSessionsOfUser(db: Executor, id: number, keepSid: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', id).where('sid', '<>', keepSid).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One more failed sign-in on the account with this email, if there is one: its id and the new count. */
export async function incrementFailedSignIns(
  db: Executor,
  email: string,
  now: Date,
): Promise<{ id: number; failedSignIns: number } | undefined> {
  return db
    .updateTable('users')
    .set({ failed_sign_ins: sql<number>`failed_sign_ins + 1`, last_failed_sign_in_at: now })
    .where('email', '=', email)
    .returning(['id', 'failed_sign_ins as failedSignIns'])
    .executeTakeFirst();
}

/** After a successful sign-in: no failed ones since. Returns how many there were. */
export async function clearFailedSignIns(db: Executor, id: number): Promise<number> {
  const before = await db.selectFrom('users').select('failed_sign_ins').where('id', '=', id).executeTakeFirst();
  if (!before || before.failed_sign_ins === 0) return 0;
  await db.updateTable('users').set({ failed_sign_ins: 0, last_failed_sign_in_at: null }).where('id', '=', id).execute();
  return before.failed_sign_ins;
}
