import type { Request } from 'express';
import { DateTime } from 'luxon';
import type { Formatters } from '../lib/format';
import { renderCalendar, type IcsEvent } from '../lib/icalendar';
import type { Viewer } from '../lib/viewer';
import type { Translate } from '../platform/i18n';
import { noticeFrom } from '../web/post-form';
import type { CalendarFeedStatus, FeedFetch, PlannedContact } from './service';

/** A planned call with a time fills this much of the calendar: most calls are shorter, a visit longer. */
export const TIMED_CONTACT_MINUTES = 15;
/** What the feed asks calendar apps for: fetch again after an hour. */
const REFRESH_MINUTES = 60;

/** The feed's address: PUBLIC_URL, as every link that leaves the app. */
export function feedAddress(publicUrl: string, token: string): string {
  return `${publicUrl}/calendar/${token}.ics`;
}

/** The same address for the "open in calendar app" link (webcal:// is the subscribe scheme). */
export function webcalAddress(address: string): string {
  return address.replace(/^https?:\/\//, 'webcal://');
}

/** The notices of the feed's section, sent with ?done= (see withNotice). */
const CALENDAR_NOTICES = {
  calendarRevoked: 'calendar.section.revoked',
  calendarNothingToRevoke: 'calendar.section.nothingToRevoke',
} as const;

/** The feed's section of /account (views/calendar/account-section.ejs). */
export interface CalendarSectionView {
  exists: boolean;
  createdAt: string | null;
  lastUsedAt: string | null;
  /** The section's own notice (the page's other notices are /account's). */
  notice: string | null;
  /** Managers and administrators have no caseload of their own as a rule: their feed stays empty. */
  coachesNobody: boolean;
}

export function calendarSectionView(
  status: CalendarFeedStatus | null,
  req: Request,
  { fmt, viewer }: { fmt: Formatters; viewer: Viewer },
): CalendarSectionView {
  return {
    exists: status !== null,
    createdAt: status ? fmt.dateTime(status.createdAt) : null,
    lastUsedAt: status?.lastUsedAt ? fmt.dateTime(status.lastUsedAt) : null,
    notice: noticeFrom(req, CALENDAR_NOTICES),
    coachesNobody: viewer.role !== 'coach',
  };
}

interface FeedContext {
  t: Translate;
  publicUrl: string;
  timeZone: string;
}

function plannedContactEvent(contact: PlannedContact, { t, publicUrl, timeZone }: FeedContext, host: string): IcsEvent {
  const url = `${publicUrl}/participants/${contact.participantId}`;
  const summaryKey = contact.standIn ? 'calendar.feed.summaryStandIn' : 'calendar.feed.summary';
  const common = {
    uid: `planned-contact-${contact.contactId}@${host}`,
    stamp: contact.updatedAt,
    sequence: contact.version,
    summary: t(summaryKey, { name: contact.name }),
    description: t('calendar.feed.description', { url }),
    url,
  };
  if (contact.time === null) {
    const day = DateTime.fromISO(contact.date, { zone: timeZone });
    return {
      ...common,
      start: { kind: 'date', date: contact.date },
      end: { kind: 'date', date: day.plus({ days: 1 }).toISODate()! },
      transparent: true,
    };
  }
  // A time that does not exist on the day (the hour skipped when summer time starts) moves on, as luxon reads it.
  const start = DateTime.fromISO(`${contact.date}T${contact.time}`, { zone: timeZone });
  return {
    ...common,
    start: { kind: 'time', at: start },
    end: { kind: 'time', at: start.plus({ minutes: TIMED_CONTACT_MINUTES }) },
    transparent: false,
  };
}

/** The feed as text/calendar, in the owner's language and the organisation's zone. */
export function feedCalendar(feed: Extract<FeedFetch, { kind: 'feed' }>, context: FeedContext): string {
  const host = new URL(context.publicUrl).hostname;
  const from = DateTime.fromISO(feed.from, { zone: context.timeZone });
  const until = DateTime.fromISO(feed.until, { zone: context.timeZone });
  return renderCalendar({
    productId: '-//InBeeld//Calendar feed//EN',
    name: context.t('calendar.feed.name'),
    timeZone: context.timeZone,
    refreshMinutes: REFRESH_MINUTES,
    covers: { from, until },
    events: feed.contacts.map((contact) => plannedContactEvent(contact, context, host)),
  });
}
