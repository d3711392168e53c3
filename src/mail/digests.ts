import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import { caseloadOverview } from '../caseloads/service';
import type { DigestKind, Database } from '../db/schema';
import { createFormatters } from '../lib/format';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import type { MailBlock } from '../platform/mail';
import { coachDay, type DayRow } from '../today/service';
import type { MailDeps } from './deps';
import { claimDigest, listDigestRecipients, releaseDigest, type DigestRecipient } from './queries';
import { unsubscribeUrl } from './tokens';

// The digests: a coach's day on weekday mornings, a team leader's team on Monday mornings. Both
// read what the pages read (today/service.ts's coachDay, caseloads/service.ts's caseloadOverview),
// so a mail never says something the page would not. A digest names participants by first name and
// initial, with the reason and a link; never a summary, a reference or a phone number.

/** Local time (organisation zone) from which the digests of the day go out. */
export const DIGEST_AT = '07:30';
const DIGEST_AT_MINUTES = 7 * 60 + 30;

export type DigestTiming = { kind: 'due'; day: string } | { kind: 'notToday'; day: string } | { kind: 'tooEarly'; day: string };

/** Whether the `kind` digest goes out at `now`: weekdays (daily) or Mondays (weekly), from 07:30 on. */
export function digestTiming(kind: DigestKind, now: DateTime, timeZone: string): DigestTiming {
  const local = now.setZone(timeZone);
  const day = local.toISODate()!;
  const onItsDay = kind === 'daily' ? local.weekday <= 5 : local.weekday === 1;
  if (!onItsDay) return { kind: 'notToday', day };
  if (local.hour * 60 + local.minute < DIGEST_AT_MINUTES) return { kind: 'tooEarly', day };
  return { kind: 'due', day };
}

/** "Mohamed O.": as much of a name as a mail carries. */
export function firstNameAndInitial(firstName: string, lastName: string): string {
  // The initial of the family name proper: "van der Berg" → "B." ("v." would tell nobody anything).
  const words = lastName
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  const main = words.find((word) => word[0] === word[0]?.toUpperCase() && /\p{Lu}/u.test(word[0] ?? '')) ?? words.at(-1);
  const initial = main ? `${[...main][0]!.toUpperCase()}.` : '';
  return `${firstName.trim()} ${initial}`.trim();
}

type DigestSection = 'overdue' | 'dueToday' | 'retry' | 'firstContact';
const DIGEST_SECTIONS: readonly DigestSection[] = ['overdue', 'dueToday', 'retry', 'firstContact'];

/** The digest's section of a day row, or null for one the digest leaves out (active, contacted, no plan). */
function digestSectionOf(row: DayRow): DigestSection | null {
  switch (row.reason.kind) {
    case 'overdue':
      return 'overdue';
    case 'callNow':
    case 'dueToday':
      return 'dueToday';
    case 'retry':
      return 'retry';
    case 'firstContact':
      return 'firstContact';
    case 'noNextContact':
      return null;
  }
}

interface DailyLine {
  participantId: number;
  section: DigestSection;
  text: string;
  href: string;
}

function dailyLines(rows: DayRow[], deps: MailDeps, recipient: DigestRecipient): DailyLine[] {
  const t = deps.translatorFor(recipient.locale ?? deps.defaultLocale);
  const fmt = createFormatters(recipient.locale ?? deps.defaultLocale, deps.timeZone);
  const lines: DailyLine[] = [];
  for (const row of rows) {
    const section = digestSectionOf(row);
    if (section === null) continue;
    const { reason } = row;
    let why: string;
    switch (reason.kind) {
      case 'overdue':
        why = reason.plannedTime
          ? t('mail.daily.reason.overdueAt', {
              count: reason.daysLate,
              date: fmt.date(reason.plannedDate),
              time: reason.plannedTime,
            })
          : t('mail.daily.reason.overdue', { count: reason.daysLate, date: fmt.date(reason.plannedDate) });
        break;
      case 'callNow':
        why = t('mail.daily.reason.dueTodayAt', { time: reason.plannedTime });
        break;
      case 'dueToday':
        why = reason.plannedTime
          ? t('mail.daily.reason.dueTodayAt', { time: reason.plannedTime })
          : t('mail.daily.reason.dueToday');
        break;
      case 'retry':
        why = t('mail.daily.reason.retry', { count: reason.attempts, date: fmt.date(reason.since) });
        break;
      default:
        why = t('mail.daily.reason.firstContact');
    }
    const standIn = row.standInFor ? ` (${t('mail.daily.standIn', { coach: row.standInFor })})` : '';
    lines.push({
      participantId: row.id,
      section,
      text: `${firstNameAndInitial(row.firstName, row.lastName)}: ${why}${standIn}`,
      href: `${deps.publicUrl}/participants/${row.id}`,
    });
  }
  return lines;
}

function dailyBlocks(lines: DailyLine[], deps: MailDeps, recipient: DigestRecipient): MailBlock[] {
  const t = deps.translatorFor(recipient.locale ?? deps.defaultLocale);
  const blocks: MailBlock[] = [{ kind: 'paragraph', text: t('mail.daily.intro', { name: recipient.displayName }) }];
  for (const section of DIGEST_SECTIONS) {
    const inSection = lines.filter((line) => line.section === section);
    if (inSection.length === 0) continue;
    blocks.push({ kind: 'heading', text: `${t(`mail.daily.sections.${section}`)} (${inSection.length})` });
    blocks.push({ kind: 'list', items: inSection.map(({ text, href }) => ({ text, href })) });
  }
  blocks.push({ kind: 'button', text: t('mail.daily.open'), href: `${deps.publicUrl}/today` });
  return blocks;
}

export interface DigestRunReport {
  day: string;
  timing: DigestTiming['kind'];
  sent: number;
  nothingToSend: number;
  failed: number;
  /** Claimed by another process meanwhile. */
  skipped: number;
  stopped: boolean;
}

/** What one recipient's digest is: its blocks and how many items, or null when there is nothing to say. */
type Composer = (
  recipient: DigestRecipient,
  now: DateTime,
  day: string,
) => Promise<{ blocks: MailBlock[]; items: number; participantIds: number[] } | null>;

/**
 * Sends the `kind` digest of today to everyone still to get it. Once across processes: a
 * recipient's row is claimed (mail_digest_sends' primary key) before the mail goes out, and given
 * back when it fails; a recipient with nothing to say gets a row with 0 items, so later runs of the
 * day skip them. At most once: a process that dies between claim and send leaves that digest unsent.
 */
async function sendDigests(
  db: Kysely<Database>,
  deps: MailDeps,
  kind: DigestKind,
  now: DateTime,
  signal: AbortSignal,
  compose: Composer,
): Promise<DigestRunReport> {
  const timing = digestTiming(kind, now, deps.timeZone);
  const report: DigestRunReport = {
    day: timing.day,
    timing: timing.kind,
    sent: 0,
    nothingToSend: 0,
    failed: 0,
    skipped: 0,
    stopped: false,
  };
  if (timing.kind !== 'due' || !deps.mailer.configured) return report;
  const recipients = await listDigestRecipients(db, kind, timing.day);
  for (const recipient of recipients) {
    if (signal.aborted) {
      report.stopped = true;
      break;
    }
    const composed = await compose(recipient, now, timing.day);
    const claim = { userId: recipient.id, kind, day: timing.day, at: now.toJSDate(), items: composed?.items ?? 0 };
    if (!(await claimDigest(db, claim))) {
      report.skipped += 1;
      continue;
    }
    if (!composed) {
      report.nothingToSend += 1;
      continue;
    }
    const t = deps.translatorFor(recipient.locale ?? deps.defaultLocale);
    const fmt = createFormatters(recipient.locale ?? deps.defaultLocale, deps.timeZone);
    const subject =
      kind === 'daily'
        ? t('mail.daily.subject', { date: fmt.date(timing.day) })
        : t('mail.weekly.subject', { week: now.setZone(deps.timeZone).weekNumber });
    const outcome = await deps.mailer.send({
      to: recipient.email,
      locale: recipient.locale ?? deps.defaultLocale,
      kind,
      recipientUserId: recipient.id,
      content: {
        subject,
        blocks: composed.blocks,
        footer: t(`mail.${kind}.footer`),
        unsubscribe: { text: t(`mail.${kind}.unsubscribe`), href: unsubscribeUrl(deps, recipient.id, kind) },
      },
    });
    if (outcome.kind === 'sent') {
      report.sent += 1;
      // Names left the app: the audit log says whom they went to, and whose.
      await recordAuditEvent(db, {
        actorUserId: null,
        action: 'mail_digest',
        entityType: 'user',
        entityId: recipient.id,
        details: { kind, day: timing.day, items: composed.items, participantIds: composed.participantIds },
      });
    } else {
      report.failed += 1;
      await releaseDigest(db, claim);
    }
  }
  return report;
}

/** The coach's day as /today has it, as of the digest's day (their stand-ins' caseloads included). */
function composeDaily(db: Kysely<Database>, deps: MailDeps): Composer {
  return async (recipient, now, day) => {
    const viewer: Viewer = { userId: recipient.id, role: 'coach', teamId: recipient.teamId, today: day, timeZone: deps.timeZone };
    const coachsDay = await coachDay(db, viewer, now);
    const rows = Object.values(coachsDay.sections).flat();
    const lines = dailyLines(rows, deps, recipient);
    if (lines.length === 0) return null;
    return {
      blocks: dailyBlocks(lines, deps, recipient),
      items: lines.length,
      // In the order the mail names them: section by section.
      participantIds: DIGEST_SECTIONS.flatMap((section) =>
        lines.filter((line) => line.section === section).map((line) => line.participantId),
      ),
    };
  };
}

/** The team leader's coaches as /dashboard/caseloads shows them: red and amber of each. */
function composeWeekly(db: Kysely<Database>, deps: MailDeps): Composer {
  return async (recipient, now, day) => {
    const viewer: Viewer = {
      userId: recipient.id,
      role: 'manager',
      teamId: recipient.teamId,
      today: day,
      timeZone: deps.timeZone,
    };
    // A team is far smaller than this page; the sort puts the most red first.
    const overview = await caseloadOverview(
      db,
      viewer,
      { sort: 'red', dir: 'desc' },
      { number: 1, limit: 1000, offset: 0 },
      now,
      deps.timeZone,
    );
    const coaches = overview.teams.flatMap((team) => team.coaches);
    if (coaches.length === 0) return null;
    const t = deps.translatorFor(recipient.locale ?? deps.defaultLocale);
    const blocks: MailBlock[] = [
      { kind: 'paragraph', text: t('mail.weekly.intro', { name: recipient.displayName }) },
      {
        kind: 'list',
        items: coaches.map((coach) => ({
          text: t('mail.weekly.coachLine', { coach: coach.coach, red: coach.red, amber: coach.amber, active: coach.active }),
        })),
      },
      { kind: 'button', text: t('mail.weekly.open'), href: `${deps.publicUrl}/dashboard/caseloads` },
    ];
    return { blocks, items: coaches.length, participantIds: [] };
  };
}

export function sendDailyDigests(
  db: Kysely<Database>,
  deps: MailDeps,
  now: DateTime,
  signal: AbortSignal,
): Promise<DigestRunReport> {
  return sendDigests(db, deps, 'daily', now, signal, composeDaily(db, deps));
}

export function sendWeeklyDigests(
  db: Kysely<Database>,
  deps: MailDeps,
  now: DateTime,
  signal: AbortSignal,
): Promise<DigestRunReport> {
  return sendDigests(db, deps, 'weekly', now, signal, composeWeekly(db, deps));
}
