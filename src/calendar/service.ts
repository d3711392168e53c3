import type { Locale } from '../config';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database, Role } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { deleteFeedOf, findFeedOf, listPlannedContacts, recordFeedFetch, upsertFeed } from './queries';

// A person's calendar feed: a secret address a calendar app subscribes to, with the planned
// contacts of the next FEED_DAYS days of the participants they coach. The address is the only
// key (a calendar app cannot sign in), so it is long and random, shown once, stored only as a
// SHA-256 (as set-password links are), replaced or revoked on /account and revoked when the
// person is deactivated. A fetch records the feed's last use, not an audit event (decisions.md):
// the feed carries no more than a first name, an initial, a time and a link.

/** 32 random bytes in base64url: 43 characters, 256 bits that no one guesses. */
const TOKEN_BYTES = 32;
export const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The feed holds the planned contacts from today up to (not including) today + FEED_DAYS. */
export const FEED_DAYS = 30;

/**
 * Fetches of one address allowed per hour. Calendar apps poll every 5 minutes to every day, and
 * the feed asks for an hour (REFRESH-INTERVAL); anyone reading an address far more often than that
 * (a leaked address in a script) gets 429 until the hour is over. Counted per address rather than
 * per client address: Google's and Microsoft's calendar servers fetch every subscriber's feed from
 * the same few addresses, and one address is 256 random bits that counting guesses would not protect.
 */
export const FEED_FETCHES_PER_HOUR = 60;
const FEED_WINDOW_MS = 3_600_000;

function tokenHashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface CalendarFeedStatus {
  createdAt: Date;
  /** The last fetch by a calendar app, or null when none has fetched it yet. */
  lastUsedAt: Date | null;
}

export async function calendarFeedOf(db: Kysely<Database>, userId: number): Promise<CalendarFeedStatus | null> {
  return (await findFeedOf(db, userId)) ?? null;
}

/**
 * A new feed address for the person, replacing the one they had (its address stops working at
 * once). The token is returned this once, to be shown; only its hash is stored. Audited.
 */
export async function issueCalendarFeed(
  db: Kysely<Database>,
  userId: number,
  now: Date,
): Promise<{ token: string; replaced: boolean }> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const replaced = await db.transaction().execute(async (trx) => {
    const existing = await findFeedOf(trx, userId);
    await upsertFeed(trx, userId, tokenHashOf(token), now);
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: existing ? 'regenerate_calendar_feed' : 'create_calendar_feed',
      entityType: 'user',
      entityId: userId,
    });
    return existing !== undefined;
  });
  return { token, replaced };
}

/** The person's feed address stops working; false when they had none. Audited. */
export async function revokeCalendarFeed(db: Kysely<Database>, userId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await deleteFeedOf(trx, userId))) return false;
    await recordAuditEvent(trx, { actorUserId: userId, action: 'revoke_calendar_feed', entityType: 'user', entityId: userId });
    return true;
  });
}

/**
 * Revokes a person's feed inside the caller's transaction, which audits why (a deactivation).
 * Whether there was one.
 */
export async function revokeCalendarFeedOf(trx: Executor, userId: number): Promise<boolean> {
  return deleteFeedOf(trx, userId);
}

/**
 * "Mohamed O.": the first name and the initial of the last name, the most a feed may carry. A
 * Dutch last name's lower-case particles are passed over ("van Dijk" → "D.", as it is sorted);
 * a last name without a capital gives its first letter.
 */
export function firstNameAndInitial(firstName: string, lastName: string): string {
  const words = lastName.trim().split(/\s+/).filter(Boolean);
  const word = words.find((candidate) => /^\p{Lu}/u.test(candidate)) ?? words[0];
  const initial = word ? Array.from(word).find((character) => /[\p{L}\p{N}]/u.test(character)) : undefined;
  const first = firstName.trim();
  return initial ? `${first} ${initial.toLocaleUpperCase('nl')}.` : first;
}

/** One planned contact as the feed shows it: nothing of the participant beyond first name and initial. */
export interface PlannedContact {
  participantId: number;
  /** First name and initial ("Mohamed O."). */
  name: string;
  /** Planned for a participant of a coach the feed's owner stands in for. */
  standIn: boolean;
  /** The contact moment holding the plan: names the event, so it keeps its UID across fetches. */
  contactId: number;
  /** Changes whenever that contact moment is edited. */
  version: number;
  updatedAt: Date;
  /** The planned day (ISO) in the organisation's zone. */
  date: string;
  /** 'HH:MM' in the organisation's zone, or null for "some time that day". */
  time: string | null;
}

export type FeedFetch =
  | { kind: 'unknown' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | {
      kind: 'feed';
      owner: { userId: number; role: Role; locale: Locale | null };
      /** The days covered: [from, until), ISO dates in the organisation's zone. */
      from: string;
      until: string;
      contacts: PlannedContact[];
    };

/**
 * A calendar app fetches an address. Unknown (never issued, replaced, revoked, or its person
 * deactivated) and malformed tokens are the same `unknown`, without a trace of which. Each fetch is
 * recorded as the feed's last use and counted against FEED_FETCHES_PER_HOUR.
 */
export async function fetchCalendarFeed(db: Kysely<Database>, token: string, now: Date, timeZone: string): Promise<FeedFetch> {
  if (!FEED_TOKEN.test(token)) return { kind: 'unknown' };
  const owner = await recordFeedFetch(db, tokenHashOf(token), now, FEED_WINDOW_MS);
  if (!owner) return { kind: 'unknown' };
  if (owner.windowFetches > FEED_FETCHES_PER_HOUR) {
    const windowEnds = new Date(owner.windowStartedAt).getTime() + FEED_WINDOW_MS;
    return { kind: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)) };
  }
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  const from = today.toISODate()!;
  const until = today.plus({ days: FEED_DAYS }).toISODate()!;
  const rows = await listPlannedContacts(db, owner.userId, from, until);
  const contacts = rows.map((row) => ({
    participantId: row.participantId,
    name: firstNameAndInitial(row.firstName, row.lastName),
    standIn: row.coachId !== owner.userId,
    contactId: row.contactId,
    version: row.contactVersion,
    updatedAt: row.contactUpdatedAt,
    date: row.nextContactDate,
    time: row.nextContactTime === null ? null : row.nextContactTime.slice(0, 5),
  }));
  return { kind: 'feed', owner: { userId: owner.userId, role: owner.role, locale: owner.locale }, from, until, contacts };
}
