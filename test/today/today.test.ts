import type { Insertable } from 'kysely';
import type TestAgent from 'supertest/lib/agent';
import type { Database } from '../../src/db/schema';
import { FixedClock } from '../../src/lib/clock';
import { coachDay, summaryPreview } from '../../src/today/service';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContactMoment, insertParticipant, insertStandin } from '../helpers/fixtures';
import { QueryCounter } from '../helpers/query-counter';
import { readable } from '../helpers/readable';

const START = '2026-11-23T09:00:00+01:00';
const clock = new FixedClock(START);

let t: TestApp;
let manager: UserFixture;
let admin: UserFixture;

beforeAll(async () => {
  t = await startTestApp({ clock });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mila Manager' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

const SECTIONS = ['callNow', 'overdue', 'dueToday', 'firstContact', 'retry', 'unplanned'] as const;
type SectionKey = (typeof SECTIONS)[number];

/** Each test gets its own coach, so caseloads never mix between tests. */
function newCoach(displayName: string, fields: { team?: string; locale?: 'nl' | 'en' } = {}) {
  return createTestUser(t.database, { role: 'coach', team: fields.team ?? 'Team Noord', displayName, locale: fields.locale });
}

function addParticipant(
  coach: UserFixture,
  firstName: string,
  lastName: string,
  fields: Partial<Insertable<Database['participants']>> = {},
) {
  return insertParticipant(t.database.db, {
    first_name: firstName,
    last_name: lastName,
    coach_id: coach.id,
    status: 'active',
    phone: '06 1234 5678',
    ...fields,
  });
}

/** A contact moment; reached with a summary unless stated otherwise. */
function addContact(
  coach: UserFixture,
  participantId: number,
  occurredAt: string,
  fields: Partial<Insertable<Database['contact_moments']>> = {},
) {
  const unreached = fields.outcome === 'not_reached' || fields.outcome === 'voicemail';
  return insertContactMoment(t.database.db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: occurredAt,
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: unreached ? 0 : 15,
    summary: unreached ? null : 'Goed gesprek over de week.',
    ...fields,
  });
}

/** Signs in afresh at the clock's current moment (a moved clock also ages a session). */
async function openDay(user: UserFixture, at?: string) {
  if (at) clock.set(at);
  const agent = await signedInAgent(t.app, user);
  const response = await agent.get('/today');
  return { agent, response, html: response.text };
}

function sectionHtml(html: string, key: SectionKey): string {
  const match = new RegExp(`<section[^>]*id="section-${key}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  if (!match) throw new Error(`no section ${key} on the page`);
  return match[1]!;
}

function idsIn(html: string, key: SectionKey): number[] {
  return [...sectionHtml(html, key).matchAll(/<li class="today-item[^"]*" id="participant-(\d+)"/g)].map((m) => Number(m[1]));
}

/** A day's sections as sectionsOf reads them: the ones not given are empty. */
function day(sections: Partial<Record<SectionKey, number[]>>): Record<SectionKey, number[]> {
  return { ...(Object.fromEntries(SECTIONS.map((key) => [key, []])) as unknown as Record<SectionKey, number[]>), ...sections };
}

function sectionsOf(html: string): Record<SectionKey, number[]> {
  return Object.fromEntries(SECTIONS.map((key) => [key, idsIn(html, key)])) as Record<SectionKey, number[]>;
}

function rowHtml(html: string, participantId: number): string {
  const match = new RegExp(
    `<li class="today-item[^"]*" id="participant-${participantId}"[^>]*>([\\s\\S]*?)</form>\\s*</li>`,
  ).exec(html);
  if (!match) throw new Error(`participant ${participantId} is not on the page`);
  return match[1]!;
}

/** What a reader sees of some HTML: the text without its tags. */
function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, '');
}

/** The reason line of a row, as the coach reads it. */
function reasonOf(html: string, participantId: number): string {
  const match = /<p class="today-item__reason[^"]*">([\s\S]*?)<\/p>/.exec(rowHtml(html, participantId));
  return textOf(match![1]!);
}

describe('the coach’s day', () => {
  test('places every open participant in the first section that applies, in a useful order', async () => {
    const coach = await newCoach('Daan Dag');
    const p = {
      overdueOldest: await addParticipant(coach, 'Olga', 'Oud'),
      overdueTimed: await addParticipant(coach, 'Tim', 'Tijd'),
      overdueUnreached: await addParticipant(coach, 'Uma', 'Onbereikt'),
      dueLate: await addParticipant(coach, 'Lotte', 'Laat'),
      dueEarly: await addParticipant(coach, 'Eva', 'Vroeg'),
      dueUntimed: await addParticipant(coach, 'Ugo', 'Zondertijd'),
      retryTwo: await addParticipant(coach, 'Rik', 'Tweemaal'),
      retryTie: await addParticipant(coach, 'Gijs', 'Gelijk'),
      retryPlannedLater: await addParticipant(coach, 'Fien', 'Later'),
      retryPaused: await addParticipant(coach, 'Pim', 'Gepauzeerd', { status: 'paused' }),
      reachedAfterwards: await addParticipant(coach, 'Bas', 'Bereikt'),
      employerAfterwards: await addParticipant(coach, 'Wout', 'Werkgever'),
      neverContacted: await addParticipant(coach, 'Nina', 'Nieuw'),
      planReplaced: await addParticipant(coach, 'Vera', 'Vervangen'),
      plannedLater: await addParticipant(coach, 'Kees', 'Komtnog'),
      pausedWithoutPlan: await addParticipant(coach, 'Paul', 'Pauze', { status: 'paused' }),
      intakeWithoutPlan: await addParticipant(coach, 'Ilse', 'Intake', { status: 'intake' }),
      closed: await addParticipant(coach, 'Carl', 'Gesloten', { status: 'closed', closed_on: '2026-11-01' }),
    };
    await addContact(coach, p.overdueOldest, '2026-11-10T10:00:00+01:00', { next_contact_date: '2026-11-18' });
    await addContact(coach, p.overdueTimed, '2026-11-20T10:00:00+01:00', {
      next_contact_date: '2026-11-22',
      next_contact_time: '14:00',
    });
    await addContact(coach, p.overdueUnreached, '2026-11-19T10:00:00+01:00', {
      outcome: 'not_reached',
      next_contact_date: '2026-11-20',
    });
    await addContact(coach, p.dueLate, '2026-11-16T10:00:00+01:00', {
      next_contact_date: '2026-11-23',
      next_contact_time: '14:30',
    });
    await addContact(coach, p.dueEarly, '2026-11-16T11:00:00+01:00', {
      next_contact_date: '2026-11-23',
      next_contact_time: '09:15',
    });
    await addContact(coach, p.dueUntimed, '2026-11-16T12:00:00+01:00', { next_contact_date: '2026-11-23' });
    await addContact(coach, p.retryTwo, '2026-11-05T10:00:00+01:00');
    // 00:30 on 12 November in Amsterdam, still the 11th in UTC.
    await addContact(coach, p.retryTwo, '2026-11-11T23:30:00Z', { outcome: 'not_reached' });
    await addContact(coach, p.retryTwo, '2026-11-20T16:00:00+01:00', { outcome: 'voicemail' });
    // Two contacts at the same moment: the one stored last is the latest.
    await addContact(coach, p.retryTie, '2026-11-20T10:00:00+01:00', { next_contact_date: '2026-11-30' });
    await addContact(coach, p.retryTie, '2026-11-20T10:00:00+01:00', { outcome: 'not_reached' });
    await addContact(coach, p.retryPlannedLater, '2026-11-21T10:00:00+01:00', {
      outcome: 'not_reached',
      next_contact_date: '2026-11-30',
    });
    await addContact(coach, p.retryPaused, '2026-11-22T10:00:00+01:00', { outcome: 'voicemail' });
    await addContact(coach, p.reachedAfterwards, '2026-11-18T10:00:00+01:00', { outcome: 'not_reached' });
    await addContact(coach, p.reachedAfterwards, '2026-11-20T09:00:00+01:00');
    await addContact(coach, p.employerAfterwards, '2026-11-18T10:00:00+01:00', { outcome: 'not_reached' });
    await addContact(coach, p.employerAfterwards, '2026-11-19T10:00:00+01:00', {
      channel: 'workplace_visit',
      counterpart: 'employer',
      summary: 'Leidinggevende tevreden.',
    });
    await addContact(coach, p.planReplaced, '2026-11-10T10:00:00+01:00', { next_contact_date: '2026-11-15' });
    await addContact(coach, p.planReplaced, '2026-11-20T11:00:00+01:00');
    await addContact(coach, p.plannedLater, '2026-11-20T10:00:00+01:00', { next_contact_date: '2026-11-30' });
    await addContact(coach, p.intakeWithoutPlan, '2026-11-20T10:00:00+01:00');
    await addContact(coach, p.closed, '2026-10-20T10:00:00+01:00', { next_contact_date: '2026-10-27' });

    const { response, html } = await openDay(coach);
    expect(response.status).toBe(200);
    expect(sectionsOf(html)).toEqual(
      day({
        overdue: [p.overdueOldest, p.overdueUnreached, p.overdueTimed],
        dueToday: [p.dueEarly, p.dueLate, p.dueUntimed],
        // Never reached themself, the longest registered first: news from the employer does not
        // count, and failed first attempts keep them here (decisions.md).
        firstContact: [p.retryPlannedLater, p.employerAfterwards, p.neverContacted],
        retry: [p.retryTwo, p.retryTie, p.retryPaused],
        unplanned: [p.reachedAfterwards, p.planReplaced],
      }),
    );
    const listed = Object.values(sectionsOf(html)).flat();
    expect(new Set(listed).size).toBe(listed.length);
    for (const absent of [p.plannedLater, p.pausedWithoutPlan, p.intakeWithoutPlan, p.closed]) {
      expect(listed).not.toContain(absent);
    }
    expect(html).not.toContain('Gesloten');

    expect(reasonOf(html, p.overdueOldest)).toBe('gepland op 18-11-2026, 5 dagen te laat');
    expect(reasonOf(html, p.overdueTimed)).toBe('gepland op 22-11-2026 om 14:00, 1 dag te laat');
    expect(reasonOf(html, p.dueLate)).toBe('gepland om 14:30');
    expect(reasonOf(html, p.dueUntimed)).toBe('vandaag gepland, geen tijd afgesproken');
    expect(reasonOf(html, p.retryTwo)).toBe('2 pogingen niet bereikt sinds 12-11-2026');
    expect(reasonOf(html, p.retryPlannedLater)).toMatch(/^aangemeld op \d\d-\d\d-\d{4}, 1 poging niet bereikt$/);
    expect(reasonOf(html, p.reachedAfterwards)).toBe('geen vervolgcontact gepland');
    expect(reasonOf(html, p.neverContacted)).toMatch(/^aangemeld op \d\d-\d\d-\d{4}, nog geen poging$/);

    const retryRow = rowHtml(html, p.retryTwo);
    expect(retryRow).toContain('href="/participants/' + p.retryTwo + '">Rik Tweemaal</a>');
    expect(retryRow).toContain('href="tel:0612345678"');
    expect(textOf(retryRow)).toContain('Laatste contact: 20-11-2026, telefoon, voicemail ingesproken');
    expect(textOf(retryRow)).toContain('Laatst gesproken 05-11-2026: Goed gesprek over de week.');
    // Dates never break at their hyphens.
    expect(retryRow).toContain('<span class="date-nowrap">12-11-2026</span>');
    // The employer was reached at a workplace visit; the participant has not been since the failed call.
    expect(textOf(rowHtml(html, p.employerAfterwards))).toContain(
      'Laatste contact: 19-11-2026, werkplekbezoek met de werkgever, bereikt',
    );
    expect(rowHtml(html, p.employerAfterwards)).not.toContain('Laatst gesproken');
    expect(rowHtml(html, p.neverContacted)).not.toContain('Laatste contact');
    expect(rowHtml(html, p.neverContacted)).not.toContain('badge');

    // Headings carry the counts, and the participants who need nothing today are accounted for.
    expect(sectionHtml(html, 'overdue')).toContain('Te laat <span class="today-count">3</span>');
    expect(sectionHtml(html, 'retry')).toContain('Opnieuw proberen <span class="today-count">3</span>');
    expect(sectionHtml(html, 'firstContact')).toContain('Eerste contact <span class="today-count">3</span>');
    expect(html).toContain('Nog 3 deelnemers hebben vandaag geen actie nodig');
  });

  test('empty sections say what good looks like; an empty caseload says there is nothing yet', async () => {
    const coach = await newCoach('Eline Leeg');
    const empty = await openDay(coach);
    expect(empty.html).toContain('Nog niets te doen vandaag');
    expect(empty.html).toContain('Eline Leeg');

    const settled = await addParticipant(coach, 'Sam', 'Gepland');
    await addContact(coach, settled, '2026-11-20T10:00:00+01:00', { next_contact_date: '2026-11-27' });
    const { html } = await openDay(coach);
    expect(html).not.toContain('Nog niets te doen vandaag');
    expect(readable(sectionHtml(html, 'overdue'))).toContain('Niemand te laat — zo hoort het.');
    expect(sectionHtml(html, 'overdue')).toContain('<span class="today-count">0</span>');
    expect(sectionHtml(html, 'dueToday')).toContain('Voor vandaag staat niets gepland.');
    expect(sectionHtml(html, 'retry')).toContain('heb je ook gesproken');
    expect(sectionHtml(html, 'unplanned')).toContain('Bij iedere actieve deelnemer staat een volgend contact gepland');
    expect(html).toContain('Nog 1 deelnemer heeft vandaag geen actie nodig');
  });

  test('a follow-up planned for tomorrow becomes due at midnight in Amsterdam, not in UTC', async () => {
    const coach = await newCoach('Mats Middernacht');
    const tomorrow = await addParticipant(coach, 'Tom', 'Morgen');
    const today = await addParticipant(coach, 'Vic', 'Vandaag');
    await addContact(coach, tomorrow, '2026-11-17T10:00:00+01:00', { next_contact_date: '2026-11-24' });
    await addContact(coach, today, '2026-11-17T11:00:00+01:00', { next_contact_date: '2026-11-23', next_contact_time: '08:00' });

    // 23:59 on 23 November in Amsterdam.
    const before = await openDay(coach, '2026-11-23T22:59:00Z');
    expect(before.html).toContain('23-11-2026');
    // The planned time has long come: 15 hours 59 minutes late.
    expect(sectionsOf(before.html)).toEqual(day({ callNow: [today] }));
    expect(reasonOf(before.html, today)).toBe('gepland om 08:00, 959 minuten te laat');

    // 00:01 on 24 November in Amsterdam, still the 23rd in UTC.
    const after = await openDay(coach, '2026-11-23T23:01:00Z');
    expect(after.html).toContain('24-11-2026');
    expect(sectionsOf(after.html)).toEqual(day({ overdue: [today], dueToday: [tomorrow] }));
    expect(reasonOf(after.html, today)).toBe('gepland op 23-11-2026 om 08:00, 1 dag te laat');
    expect(reasonOf(after.html, tomorrow)).toBe('vandaag gepland, geen tijd afgesproken');
  });

  test('the day turns at local midnight across the switch to summer time (29 March 2026)', async () => {
    const coach = await newCoach('Sara Zomertijd');
    const p28 = await addParticipant(coach, 'Anton', 'Achtentwintig');
    const p29 = await addParticipant(coach, 'Bert', 'Negenentwintig');
    const p30 = await addParticipant(coach, 'Cor', 'Dertig');
    await addContact(coach, p28, '2026-03-21T10:00:00+01:00', { next_contact_date: '2026-03-28' });
    await addContact(coach, p29, '2026-03-22T10:00:00+01:00', { next_contact_date: '2026-03-29', next_contact_time: '09:00' });
    await addContact(coach, p30, '2026-03-23T10:00:00+01:00', { next_contact_date: '2026-03-30' });

    const on29 = day({ overdue: [p28], dueToday: [p29] });
    // 01:59 winter time, then 03:01 summer time two minutes later: the same day.
    expect(sectionsOf((await openDay(coach, '2026-03-29T00:59:00Z')).html)).toEqual(on29);
    expect(sectionsOf((await openDay(coach, '2026-03-29T01:01:00Z')).html)).toEqual(on29);
    // 23:59 summer time (UTC+2) is still the 29th; the call of 09:00 is due by now.
    const lateOn29 = await openDay(coach, '2026-03-29T21:59:00Z');
    expect(sectionsOf(lateOn29.html)).toEqual(day({ overdue: [p28], callNow: [p29] }));
    expect(reasonOf(lateOn29.html, p28)).toBe('gepland op 28-03-2026, 1 dag te laat');

    // 00:01 summer time on the 30th; at UTC+1 it would still be the 29th.
    const on30 = await openDay(coach, '2026-03-29T22:01:00Z');
    expect(sectionsOf(on30.html)).toEqual(day({ overdue: [p28, p29], dueToday: [p30] }));
    // The 29th had 23 hours, and is still one day.
    expect(reasonOf(on30.html, p28)).toBe('gepland op 28-03-2026, 2 dagen te laat');
    expect(reasonOf(on30.html, p29)).toBe('gepland op 29-03-2026 om 09:00, 1 dag te laat');
  });

  test('the day turns at local midnight across the switch to winter time (25 October 2026)', async () => {
    const coach = await newCoach('Wim Wintertijd');
    const p24 = await addParticipant(coach, 'Dirk', 'Vierentwintig');
    const p25 = await addParticipant(coach, 'Eef', 'Vijfentwintig');
    const p26 = await addParticipant(coach, 'Frits', 'Zesentwintig');
    await addContact(coach, p24, '2026-10-17T10:00:00+02:00', { next_contact_date: '2026-10-24' });
    await addContact(coach, p25, '2026-10-18T10:00:00+02:00', { next_contact_date: '2026-10-25', next_contact_time: '02:30' });
    await addContact(coach, p26, '2026-10-19T10:00:00+02:00', { next_contact_date: '2026-10-26' });

    // The hour repeats: the call of 02:30 is taken as 02:30 winter time (01:30 UTC, as luxon reads
    // it), so it is not due at 02:59 summer time nor at 02:01 winter time two minutes later.
    const on25 = day({ overdue: [p24], dueToday: [p25] });
    expect(sectionsOf((await openDay(coach, '2026-10-25T00:59:00Z')).html)).toEqual(on25);
    const afterSwitch = await openDay(coach, '2026-10-25T01:01:00Z');
    expect(sectionsOf(afterSwitch.html)).toEqual(on25);
    expect(reasonOf(afterSwitch.html, p25)).toBe('gepland om 02:30');
    // 02:31 winter time: due, 1 minute late.
    const due = await openDay(coach, '2026-10-25T01:31:00Z');
    expect(sectionsOf(due.html)).toEqual(day({ overdue: [p24], callNow: [p25] }));
    expect(reasonOf(due.html, p25)).toBe('gepland om 02:30, 1 minuut te laat');
    // 23:59 winter time (UTC+1); at UTC+2 it would already be the 26th.
    expect(sectionsOf((await openDay(coach, '2026-10-25T22:59:00Z')).html)).toEqual(day({ overdue: [p24], callNow: [p25] }));

    const on26 = await openDay(coach, '2026-10-25T23:01:00Z');
    expect(sectionsOf(on26.html)).toEqual(day({ overdue: [p24, p25], dueToday: [p26] }));
    // The 25th had 25 hours, and is still one day.
    expect(reasonOf(on26.html, p24)).toBe('gepland op 24-10-2026, 2 dagen te laat');
  });

  test('a stand-in sees the absent coach’s caseload, marked, only during the stand-in period', async () => {
    const coach = await newCoach('Bram Waarnemer');
    const absent = await newCoach('Anna Afwezig');
    const cancelledFor = await newCoach('Cees Geannuleerd');
    const own = await addParticipant(coach, 'Olaf', 'Eigen');
    const covered = await addParticipant(absent, 'Wil', 'Waarneming');
    const coveredOverdue = await addParticipant(absent, 'Xander', 'Overgenomen');
    await addContact(absent, coveredOverdue, '2026-11-10T10:00:00+01:00', { next_contact_date: '2026-11-20' });
    const notCovered = await addParticipant(cancelledFor, 'Yara', 'Nietvoorjou');
    await insertStandin(t.database.db, {
      absent_coach_id: absent.id,
      standin_coach_id: coach.id,
      starts_on: '2026-11-23',
      ends_on: '2026-11-25',
      created_by: manager.id,
    });
    await insertStandin(t.database.db, {
      absent_coach_id: cancelledFor.id,
      standin_coach_id: coach.id,
      starts_on: '2026-11-20',
      ends_on: '2026-11-30',
      created_by: manager.id,
      cancelled_at: new Date('2026-11-21T10:00:00+01:00'),
    });

    const before = await openDay(coach, '2026-11-22T18:00:00+01:00');
    expect(sectionsOf(before.html)).toEqual(day({ firstContact: [own] }));
    expect(before.html).not.toContain('Wil Waarneming');
    expect(before.html).not.toContain('waarneming voor');

    const during = await openDay(coach, '2026-11-23T09:00:00+01:00');
    expect(sectionsOf(during.html)).toEqual(day({ overdue: [coveredOverdue], firstContact: [own, covered] }));
    expect(rowHtml(during.html, covered)).toContain('waarneming voor Anna Afwezig');
    expect(rowHtml(during.html, coveredOverdue)).toContain('waarneming voor Anna Afwezig');
    expect(rowHtml(during.html, own)).not.toContain('waarneming voor');
    expect(during.html).not.toContain('Nietvoorjou');
    expect(during.html).not.toContain(`participant-${notCovered}"`);

    // The last day counts up to local midnight.
    const lastMinute = await openDay(coach, '2026-11-25T22:59:00Z');
    expect(idsIn(lastMinute.html, 'firstContact')).toEqual([own, covered]);
    const afterwards = await openDay(coach, '2026-11-25T23:01:00Z');
    expect(sectionsOf(afterwards.html)).toEqual(day({ firstContact: [own] }));
    expect(afterwards.html).not.toContain('Afwezig');
  });

  test('another coach’s participants never appear, in or outside the team', async () => {
    const coach = await newCoach('Hanna Hier');
    const colleague = await newCoach('Iris Collega');
    const otherTeam = await newCoach('Jan Zuid', { team: 'Team Zuid' });
    const own = await addParticipant(coach, 'Karel', 'Eigen');
    for (const other of [colleague, otherTeam]) {
      const id = await addParticipant(other, 'Vreemd', `Van ${other.displayName}`);
      await addContact(other, id, '2026-11-10T10:00:00+01:00', { next_contact_date: '2026-11-20' });
      const retry = await addParticipant(other, 'Ander', `Van ${other.displayName}`);
      await addContact(other, retry, '2026-11-20T10:00:00+01:00', { outcome: 'not_reached' });
    }
    const { html } = await openDay(coach);
    expect(sectionsOf(html)).toEqual(day({ firstContact: [own] }));
    expect(html).not.toContain('Vreemd');
    expect(html).not.toContain('Ander');
  });

  test('managers and administrators get a 404', async () => {
    for (const user of [manager, admin]) {
      const agent = await signedInAgent(t.app, user);
      const response = await agent.get('/today');
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('today-item');
    }
  });

  test('every row carries a complete quick-log form for the contact form, labelled and token per row', async () => {
    const coach = await newCoach('Quinten Snel');
    const first = await addParticipant(coach, 'Anouk', 'Eerst');
    const second = await addParticipant(coach, 'Bo', 'Tweede', { phone: null });
    const { html } = await openDay(coach);
    const csrf = csrfTokenFrom(html);
    const tokens: string[] = [];
    for (const id of [first, second]) {
      const row = rowHtml(html, id);
      expect(row).toContain(`<form method="post" action="/participants/${id}/contacts/new" class="today-log">`);
      expect(row).toContain(`name="_csrf" value="${csrf}"`);
      const token = /name="submissionToken" value="([0-9a-f-]{36})"/.exec(row)![1]!;
      tokens.push(token);
      expect(row).toContain('name="returnTo" value="/today"');
      expect(row).toContain('name="channel" value="phone"');
      expect(row).toContain('name="counterpart" value="participant"');
      expect(row).toMatch(/<textarea id="summary-\d+" name="summary"/);
      // Empty: 10 minutes when reached, 0 for a call-back request or an attempt that reached nobody.
      expect(row).toMatch(/name="durationMinutes" value="" placeholder="10"/);
      const options = [
        .../<select id="next-\d+" name="nextShortcut">([\s\S]*?)<\/select>/.exec(row)![1]!.matchAll(/value="([^"]*)"/g),
      ];
      expect(options.map((m) => m[1])).toEqual(['', 'in10min', 'in30min', 'in1hour', 'tomorrow', 'in1week', 'in2weeks']);
      // Call back in one click: buttons of the same form (one form, one token per row); the
      // server makes a call-back request of it with the chosen next call.
      expect(row.match(/<form /g)).toHaveLength(1);
      expect(row.match(/name="submissionToken"/g)).toHaveLength(1);
      const callBacks = [...row.matchAll(/<button type="submit" name="callBack" value="([a-z0-9]+)"/g)].map((m) => m[1]);
      expect(callBacks).toEqual(['in10min', 'in30min', 'in1hour', 'tomorrow']);
      const outcomes = [...row.matchAll(/<button type="submit" name="outcome" value="([a-z_]+)"/g)].map((m) => m[1]);
      expect(outcomes).toEqual(['reached', 'not_reached', 'voicemail']);
      // Every visible control has a label, and the group names the participant.
      for (const control of row.matchAll(/<(?:textarea|input|select) [^>]*id="([^"]+)"/g)) {
        expect(row).toContain(`<label for="${control[1]}"`);
      }
      expect(row).toMatch(/<legend class="visually-hidden">Contact met [^<]+ vastleggen<\/legend>/);
      expect(row).not.toContain('<script');
    }
    expect(new Set(tokens).size).toBe(2);
    expect(rowHtml(html, second)).toContain('geen telefoonnummer');
    // The live updates come from a served script; nothing inline (the CSP would refuse it).
    expect(html).toContain('<script src="/assets/js/today-live.js" defer></script>');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });

  test('a quick-log post from /today returns to /today and moves the participant', async () => {
    const coach = await newCoach('Roos Retour');
    const id = await addParticipant(coach, 'Jelle', 'Terugbellen');
    await addContact(coach, id, '2026-11-16T10:00:00+01:00', { next_contact_date: '2026-11-23' });
    const { agent, html } = await openDay(coach);
    expect(idsIn(html, 'dueToday')).toEqual([id]);

    const post = async (page: string, fields: Record<string, string>) => {
      const row = rowHtml(page, id);
      return agent
        .post(`/participants/${id}/contacts/new`)
        .type('form')
        .send({
          _csrf: csrfTokenFrom(page),
          submissionToken: /name="submissionToken" value="([^"]+)"/.exec(row)![1]!,
          returnTo: '/today',
          channel: 'phone',
          counterpart: 'participant',
          durationMinutes: '10',
          summary: '',
          nextShortcut: '',
          ...fields,
        });
    };
    const failed = await post(html, { outcome: 'not_reached' });
    expect(failed.status).toBe(303);
    expect(failed.headers.location).toMatch(/^\/today\?logged=\d+#today-status$/);
    const afterFailed = await openDayWith(agent);
    expect(idsIn(afterFailed, 'retry')).toEqual([id]);
    expect(reasonOf(afterFailed, id)).toBe('1 poging niet bereikt sinds 23-11-2026');

    const reached = await post(afterFailed, { outcome: 'reached', summary: 'Teruggebeld, gaat goed.', nextShortcut: 'in1week' });
    expect(reached.status).toBe(303);
    expect(reached.headers.location).toMatch(/^\/today\?logged=\d+#today-status$/);
    const afterReached = await openDayWith(agent);
    expect(sectionsOf(afterReached)).toEqual(day({}));

    const stored = await t.database.db
      .selectFrom('contact_moments')
      .select(['outcome', 'duration_minutes', 'summary', 'next_contact_date'])
      .where('participant_id', '=', id)
      .orderBy('id')
      .execute();
    expect(stored.slice(1)).toEqual([
      { outcome: 'not_reached', duration_minutes: 0, summary: null, next_contact_date: null },
      { outcome: 'reached', duration_minutes: 10, summary: 'Teruggebeld, gaat goed.', next_contact_date: '2026-11-30' },
    ]);
  });

  test('names and summaries are escaped', async () => {
    const coach = await newCoach('Xavier Escape');
    const id = await addParticipant(coach, '<script>alert("naam")</script>', "O'Brien & <b>Zn</b>", { phone: '"><script>' });
    await addContact(coach, id, '2026-11-20T10:00:00+01:00', {
      summary: '<script>alert(1)</script> & <img src=x onerror=alert(2)>',
    });
    const { html } = await openDay(coach);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Zn</b>');
    const row = rowHtml(html, id);
    expect(row).toContain('&lt;script&gt;alert(&#34;naam&#34;)&lt;/script&gt; O&#39;Brien &amp; &lt;b&gt;Zn&lt;/b&gt;</a>');
    expect(row).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;');
    expect(row).toContain('Contact met &lt;script&gt;');
  });

  test('the page speaks English to an English-speaking coach', async () => {
    const coach = await newCoach('Emma English', { locale: 'en' });
    const id = await addParticipant(coach, 'Liam', 'Late');
    await addContact(coach, id, '2026-11-10T10:00:00+01:00', { next_contact_date: '2026-11-18' });
    await addParticipant(coach, 'Nora', 'New');
    const { html } = await openDay(coach);
    expect(html).toContain('Overdue <span class="today-count">1</span>');
    expect(reasonOf(html, id)).toBe('planned for 18/11/2026, 5 days overdue');
    expect(textOf(html)).toContain('Last contact: 10/11/2026, phone, reached');
    expect(html).toMatch(/registered on <span class="date-nowrap">[^<]+<\/span>, not tried yet/);
    expect(html).toContain('First contact <span class="today-count">1</span>');
    expect(html).toContain('>Not reached</button>');
    expect(html).toContain('<legend>Call back<span class="visually-hidden">');
  });
});

describe('the day’s rules', () => {
  test('the page runs one query whatever the caseload size', async () => {
    const coach = await newCoach('Vera Veel');
    const counter = new QueryCounter();
    const db = t.database.db.withPlugin(counter);
    const viewer = { userId: coach.id, role: 'coach' as const, teamId: null, today: '2026-11-23', timeZone: 'Europe/Amsterdam' };

    const first = await addParticipant(coach, 'Een', 'Enkel');
    await addContact(coach, first, '2026-11-20T10:00:00+01:00', { outcome: 'not_reached' });
    counter.count = 0;
    const small = await coachDay(db, viewer, clock.now());
    const queriesForOne = counter.count;

    for (let index = 0; index < 30; index += 1) {
      const id = await addParticipant(coach, `Deelnemer${index}`, 'Veel');
      await addContact(coach, id, '2026-11-01T10:00:00+01:00');
      await addContact(coach, id, '2026-11-10T10:00:00+01:00', {
        outcome: index % 2 ? 'voicemail' : 'reached',
        next_contact_date: '2026-11-20',
      });
    }
    counter.count = 0;
    const large = await coachDay(db, viewer, clock.now());
    expect(small.caseloadSize).toBe(1);
    expect(large.caseloadSize).toBe(31);
    expect(large.sections.overdue).toHaveLength(30);
    expect(queriesForOne).toBe(1);
    expect(counter.count).toBe(queriesForOne);
  });

  test('summaries are shortened to one line at a word boundary', () => {
    expect(summaryPreview(null)).toBeNull();
    expect(summaryPreview('  \n ')).toBeNull();
    expect(summaryPreview('Eerste regel\nTweede   regel')).toBe('Eerste regel Tweede regel');
    const long = `${'woord '.repeat(40)}einde`;
    const preview = summaryPreview(long)!;
    expect(preview.length).toBeLessThanOrEqual(161);
    expect(preview.endsWith('woord…')).toBe(true);
  });
});

async function openDayWith(agent: TestAgent): Promise<string> {
  const response = await agent.get('/today');
  expect(response.status).toBe(200);
  return response.text;
}
