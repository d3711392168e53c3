import { createHash } from 'node:crypto';
import ical, { type CalendarResponse, type TimeZoneDef, type VEvent, type VTimeZone } from 'node-ical';
import { DateTime } from 'luxon';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { FEED_FETCHES_PER_HOUR } from '../../src/calendar/service';
import { csrfToken, createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContactMoment, insertParticipant, insertStandin } from '../helpers/fixtures';

// The calendar feed as a coach's calendar app sees it: created on /account, fetched without a
// session at /calendar/<token>.ics, parsed with a real iCalendar parser (node-ical). The clock
// stands two weeks before summer time starts (28-03-2027), so the 30 days hold both offsets.

const ZONE = 'Europe/Amsterdam';
const clock = new FixedClock('2027-03-15T09:00:00+01:00');
const PUBLIC_URL = 'https://inbeeld.example.org';
let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let standIn: UserFixture;
let manager: UserFixture;
let admin: UserFixture;
let englishCoach: UserFixture;
const ids: Record<string, number> = {};

/** A participant whose latest contact moment plans the next one (or whose plan a later contact replaced). */
async function participantWithPlan(
  coachId: number,
  names: [string, string],
  plan: { date: string; time?: string } | null,
  extra: { status?: 'closed'; reference?: string; replacedBy?: 'laterContactWithoutPlan' } = {},
): Promise<number> {
  const db = t.database.db;
  const participant = await insertParticipant(db, {
    first_name: names[0],
    last_name: names[1],
    coach_id: coachId,
    status: extra.status ?? 'active',
    external_reference: extra.reference ?? null,
    ...(extra.status === 'closed' ? { closed_on: '2027-03-01' } : {}),
  });
  await insertContactMoment(db, {
    participant_id: participant,
    author_id: coachId,
    occurred_at: '2027-03-12T10:00:00+01:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 20,
    summary: 'Vertrouwelijk: schulden, ruzie met de buren; huisarts gebeld',
    next_contact_date: plan?.date ?? null,
    next_contact_time: plan?.time ?? null,
  });
  if (extra.replacedBy) {
    await insertContactMoment(db, {
      participant_id: participant,
      author_id: coachId,
      occurred_at: '2027-03-14T10:00:00+01:00',
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 5,
      summary: 'Kort gebeld',
    });
  }
  return participant;
}

beforeAll(async () => {
  t = await startTestApp({ clock, env: { PUBLIC_URL, APP_TIMEZONE: ZONE } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Carla Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  standIn = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team A' });
  admin = await createTestUser(t.database, { role: 'admin' });
  englishCoach = await createTestUser(t.database, { role: 'coach', team: 'Team A', locale: 'en' });

  ids.mohamed = await participantWithPlan(
    coach.id,
    ['Mohamed', 'Ouali'],
    { date: '2027-03-30', time: '10:00' },
    { reference: 'UWV-4471-REF' },
  );
  ids.sanne = await participantWithPlan(coach.id, ['Sanne', 'van Dijk'], { date: '2027-03-16' });
  ids.piet = await participantWithPlan(coach.id, ['Piet', 'Puk'], { date: '2027-03-20', time: '14:30' });
  ids.today = await participantWithPlan(coach.id, ['Tess', 'Vandaag'], { date: '2027-03-15', time: '08:00' });
  ids.odd = await participantWithPlan(coach.id, ['Zoë;Anne,Marie\\Ångström-Ørsted-Łukasiewicz-Ñúñez', 'élan'], {
    date: '2027-04-02',
    time: '09:15',
  });
  ids.later = await participantWithPlan(coach.id, ['Lotte', 'Later'], { date: '2027-04-20', time: '10:00' });
  ids.overdue = await participantWithPlan(coach.id, ['Olga', 'Overtijd'], { date: '2027-03-10', time: '10:00' });
  ids.closed = await participantWithPlan(coach.id, ['Carl', 'Closed'], { date: '2027-03-18' }, { status: 'closed' });
  ids.replaced = await participantWithPlan(
    coach.id,
    ['Rik', 'Replaced'],
    { date: '2027-03-19' },
    { replacedBy: 'laterContactWithoutPlan' },
  );
  // The other coach's participants: one planned while the stand-in covers, one after.
  ids.bram = await participantWithPlan(otherCoach.id, ['Bram', 'Bos'], { date: '2027-03-22', time: '09:00' });
  ids.cor = await participantWithPlan(otherCoach.id, ['Cor', 'Claes'], { date: '2027-03-27', time: '11:00' });
  ids.eve = await participantWithPlan(englishCoach.id, ['Eve', 'Evans'], { date: '2027-03-17', time: '13:00' });
  await insertStandin(t.database.db, {
    absent_coach_id: otherCoach.id,
    standin_coach_id: standIn.id,
    starts_on: '2027-03-20',
    ends_on: '2027-03-25',
    created_by: manager.id,
  });
  await insertStandin(t.database.db, {
    absent_coach_id: otherCoach.id,
    standin_coach_id: standIn.id,
    starts_on: '2027-03-26',
    ends_on: '2027-03-31',
    created_by: manager.id,
    cancelled_at: new Date('2027-03-14T12:00:00Z'),
  });
});
afterAll(() => t.close());

/** Creates (or replaces) the person's feed through /account, as they would; the address shown. */
async function createFeed(agent: TestAgent): Promise<string> {
  const token = await csrfToken(agent, '/account');
  const response = await agent.post('/account/calendar-feed').type('form').send({ _csrf: token });
  expect(response.status).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  const address = /id="calendar-address"[^>]*>([^<]+)<\/textarea>/.exec(response.text)?.[1];
  if (!address) throw new Error('no address on the page');
  return address;
}

/** The path of an address, for supertest (the host is PUBLIC_URL's). */
function pathOf(address: string): string {
  return new URL(address).pathname;
}

async function fetchFeed(address: string) {
  return request(t.app).get(pathOf(address));
}

function urlOf(event: VEvent): string | undefined {
  const url = event.url as unknown;
  return typeof url === 'object' && url !== null ? (url as { val: string }).val : (url as string | undefined);
}

function eventsOf(calendar: CalendarResponse): VEvent[] {
  return Object.values(calendar).filter((component): component is VEvent => component?.type === 'VEVENT');
}

function summaryOf(event: VEvent): string {
  return typeof event.summary === 'string' ? event.summary : event.summary.val;
}

function descriptionOf(event: VEvent): string {
  const description = event.description;
  return typeof description === 'string' ? description : (description?.val ?? '');
}

async function auditCount(): Promise<number> {
  const row = await t.database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe("a coach's calendar feed", () => {
  let agent: TestAgent;
  let address: string;
  let body: string;
  let calendar: CalendarResponse;

  beforeAll(async () => {
    agent = await signedInAgent(t.app, coach);
    address = await createFeed(agent);
    const response = await fetchFeed(address);
    expect(response.status).toBe(200);
    body = response.text;
    calendar = ical.sync.parseICS(body);
  });

  test('the address is shown once, on PUBLIC_URL, and only its SHA-256 is stored', async () => {
    expect(address).toMatch(/^https:\/\/inbeeld\.example\.org\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const token = /\/calendar\/([^/]+)\.ics$/.exec(address)![1]!;
    const row = await t.database.db
      .selectFrom('calendar_feeds')
      .selectAll()
      .where('user_id', '=', coach.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
    const account = await agent.get('/account');
    expect(account.text).toContain('Agenda-koppeling');
    expect(account.text).not.toContain(token);
    expect(account.text).toContain('Nieuw adres maken');
  });

  test('is text/calendar, never cached, with CRLF lines of at most 75 octets', async () => {
    const response = await fetchFeed(address);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(body.endsWith('\r\n')).toBe(true);
    const lines = body.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // Folded somewhere (the long name below), and unfolding gives back whole content lines.
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
  });

  test('holds the planned contacts of the next 30 days of their own participants, and nothing else', () => {
    const summaries = eventsOf(calendar).map(summaryOf).sort();
    expect(summaries).toEqual(
      [
        'Contact met Mohamed O.',
        'Contact met Piet P.',
        'Contact met Sanne D.',
        'Contact met Tess V.',
        'Contact met Zoë;Anne,Marie\\Ångström-Ørsted-Łukasiewicz-Ñúñez É.',
      ].sort(),
    );
    // Not: planned after 30 days, overdue, closed, a plan a later contact replaced, other coaches' participants.
    for (const absent of ['Lotte', 'Olga', 'Carl', 'Rik', 'Bram', 'Cor', 'Eve']) expect(body).not.toContain(absent);
  });

  test('carries no reference, no summary, no full last name', () => {
    for (const secret of ['UWV-4471-REF', 'Vertrouwelijk', 'schulden', 'Kort gebeld', 'Ouali', 'van Dijk', 'Carla Coach']) {
      expect(body).not.toContain(secret);
    }
  });

  test('a timed plan is a 15-minute event in the organisation zone, on either side of the change to summer time', () => {
    const events = eventsOf(calendar);
    const mohamed = events.find((event) => summaryOf(event).includes('Mohamed'))!;
    expect(mohamed.datetype).toBe('date-time');
    expect(mohamed.start.toISOString()).toBe('2027-03-30T08:00:00.000Z'); // 10:00 CEST
    expect(mohamed.end!.toISOString()).toBe('2027-03-30T08:15:00.000Z');
    const piet = events.find((event) => summaryOf(event).includes('Piet'))!;
    expect(piet.start.toISOString()).toBe('2027-03-20T13:30:00.000Z'); // 14:30 CET
    expect(body).toContain('DTSTART;TZID=Europe/Amsterdam:20270330T100000');
    expect(body).toContain('DTEND;TZID=Europe/Amsterdam:20270330T101500');
    expect(body).toContain('DTSTART;TZID=Europe/Amsterdam:20270320T143000');
  });

  test('a plan without a time is an all-day event that does not block the day', () => {
    const sanne = eventsOf(calendar).find((event) => summaryOf(event).includes('Sanne'))!;
    expect(sanne.datetype).toBe('date');
    expect(body).toContain('DTSTART;VALUE=DATE:20270316');
    expect(body).toContain('DTEND;VALUE=DATE:20270317');
    expect(sanne.transparency).toBe('TRANSPARENT');
  });

  test('each event links to the participant page (URL and description), with a stable UID and a UTC DTSTAMP', async () => {
    const mohamed = eventsOf(calendar).find((event) => summaryOf(event).includes('Mohamed'))!;
    const page = `${PUBLIC_URL}/participants/${ids.mohamed}`;
    expect(urlOf(mohamed)).toBe(page);
    expect(descriptionOf(mohamed)).toBe(`Openen in InBeeld: ${page}`);
    expect(mohamed.uid).toMatch(/^planned-contact-\d+@inbeeld\.example\.org$/);
    const again = ical.sync.parseICS((await fetchFeed(address)).text);
    expect(
      eventsOf(again)
        .map((event) => event.uid)
        .sort(),
    ).toEqual(
      eventsOf(calendar)
        .map((event) => event.uid)
        .sort(),
    );
    for (const line of body.split('\r\n').filter((candidate) => candidate.startsWith('DTSTAMP'))) {
      expect(line).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    }
  });

  test('text is escaped and folded so a parser reads it back as it was', () => {
    expect(body).toContain('Zoë\\;Anne\\,Marie\\\\');
    const odd = eventsOf(calendar).find((event) => summaryOf(event).startsWith('Contact met Zoë'))!;
    expect(summaryOf(odd)).toBe('Contact met Zoë;Anne,Marie\\Ångström-Ørsted-Łukasiewicz-Ñúñez É.');
  });

  test('has a VTIMEZONE whose observances give the offset of every event', () => {
    expect(body).toContain('X-WR-TIMEZONE:Europe/Amsterdam');
    const zone = Object.values(calendar).find((component): component is VTimeZone => component?.type === 'VTIMEZONE');
    expect(zone?.tzid).toBe(ZONE);
    const observances = Object.values(zone!).filter(
      (value): value is TimeZoneDef =>
        typeof value === 'object' && value !== null && (value.type === 'STANDARD' || value.type === 'DAYLIGHT'),
    );
    expect(observances.map((observance) => observance.type).sort()).toEqual(['DAYLIGHT', 'STANDARD']);
    // node-ical reads an observance's DTSTART as a wall-clock time in the test process's zone.
    const wallClock = (date: Date) =>
      DateTime.fromObject({
        year: date.getFullYear(),
        month: date.getMonth() + 1,
        day: date.getDate(),
        hour: date.getHours(),
        minute: date.getMinutes(),
      });
    for (const event of eventsOf(calendar).filter((candidate) => candidate.datetype === 'date-time')) {
      const local = DateTime.fromJSDate(event.start, { zone: ZONE });
      const inForce = observances
        .filter((observance) => wallClock(observance.start) <= local.setZone('local', { keepLocalTime: true }))
        .sort((a, b) => a.start.getTime() - b.start.getTime())
        .at(-1)!;
      const offset = local.offset;
      const expected = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
      expect(inForce.tzoffsetto).toBe(expected);
    }
  });

  test("the request log has the feed's path without its secret", () => {
    const token = /\/calendar\/([^/]+)\.ics$/.exec(address)![1]!;
    const lines = t.logLines.join('');
    expect(lines).not.toContain(token);
    expect(lines).toContain('"path":"/calendar/[secret]"');
  });

  test('a fetch updates "last used" on /account and writes no audit event', async () => {
    const before = await auditCount();
    clock.advance({ minutes: 7 });
    expect((await fetchFeed(address)).status).toBe(200);
    expect(await auditCount()).toBe(before);
    const account = await agent.get('/account');
    expect(account.text).toContain('Laatst opgehaald door een agenda: 15-03-2027 09:07');
  });
});

describe('whose participants a feed holds', () => {
  test('a stand-in gets the covered caseload on the days of an active stand-in only', async () => {
    const address = await createFeed(await signedInAgent(t.app, standIn));
    const calendar = ical.sync.parseICS((await fetchFeed(address)).text);
    expect(eventsOf(calendar).map(summaryOf)).toEqual(['Contact met Bram B. (waarneming)']);
  });

  test('a split stand-in gets only the chosen participants, on its days', async () => {
    // Over both of the other coach's planned days (Bram on 22, Cor on 27 March), but only Cor was chosen.
    const chosenOnly = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
    const wholePeriod = await insertStandin(t.database.db, {
      absent_coach_id: otherCoach.id,
      standin_coach_id: chosenOnly.id,
      starts_on: '2027-03-20',
      ends_on: '2027-03-31',
      created_by: manager.id,
      covers: 'participants',
    });
    await t.database.db
      .insertInto('coach_standin_participants')
      .values({ standin_id: wholePeriod, participant_id: ids.cor! })
      .execute();
    const chosen = await createFeed(await signedInAgent(t.app, chosenOnly));
    expect(eventsOf(ical.sync.parseICS((await fetchFeed(chosen)).text)).map(summaryOf)).toEqual([
      'Contact met Cor C. (waarneming)',
    ]);

    // Both chosen, but the stand-in ends on 25 March: Cor's call on the 27th is not this coach's.
    const untilWednesday = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
    const shorter = await insertStandin(t.database.db, {
      absent_coach_id: otherCoach.id,
      standin_coach_id: untilWednesday.id,
      starts_on: '2027-03-20',
      ends_on: '2027-03-25',
      created_by: manager.id,
      covers: 'participants',
    });
    await t.database.db
      .insertInto('coach_standin_participants')
      .values([
        { standin_id: shorter, participant_id: ids.bram! },
        { standin_id: shorter, participant_id: ids.cor! },
      ])
      .execute();
    const onItsDays = await createFeed(await signedInAgent(t.app, untilWednesday));
    expect(eventsOf(ical.sync.parseICS((await fetchFeed(onItsDays)).text)).map(summaryOf)).toEqual([
      'Contact met Bram B. (waarneming)',
    ]);
  });

  test("the absent coach keeps their own participants; another coach's are not in it", async () => {
    const address = await createFeed(await signedInAgent(t.app, otherCoach));
    const summaries = eventsOf(ical.sync.parseICS((await fetchFeed(address)).text)).map(summaryOf);
    expect(summaries.sort()).toEqual(['Contact met Bram B.', 'Contact met Cor C.']);
  });

  test.each([
    ['manager', () => manager],
    ['admin', () => admin],
  ])('a %s without a caseload gets a valid, empty calendar', async (_role, who) => {
    const agent = await signedInAgent(t.app, who());
    expect((await agent.get('/account')).text).toContain('Je hebt zelf geen deelnemers');
    const response = await fetchFeed(await createFeed(agent));
    expect(response.status).toBe(200);
    const calendar = ical.sync.parseICS(response.text);
    expect(eventsOf(calendar)).toEqual([]);
    expect(response.text).toContain('BEGIN:VTIMEZONE');
  });

  test("the feed speaks its owner's language", async () => {
    const agent = await signedInAgent(t.app, englishCoach);
    expect((await agent.get('/account')).text).toContain('Calendar feed');
    const response = await fetchFeed(await createFeed(agent));
    const [eve] = eventsOf(ical.sync.parseICS(response.text));
    expect(summaryOf(eve!)).toBe('Contact with Eve E.');
    expect(descriptionOf(eve!)).toBe(`Open in InBeeld: ${PUBLIC_URL}/participants/${ids.eve}`);
    expect(response.text).toContain('X-WR-CALNAME:InBeeld: planned contacts');
  });
});

describe('regenerating and revoking', () => {
  test('a new address asks first, then replaces the old one', async () => {
    const agent = await signedInAgent(t.app, coach);
    const old = await createFeed(agent);
    const confirm = await agent.get('/account/calendar-feed/regenerate');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Een nieuw agenda-adres maken?');
    const token = await csrfToken(agent, '/account/calendar-feed/regenerate');
    const response = await agent.post('/account/calendar-feed').type('form').send({ _csrf: token });
    expect(response.text).toContain('Je oude adres werkt niet meer.');
    const fresh = /id="calendar-address"[^>]*>([^<]+)<\/textarea>/.exec(response.text)![1]!;
    expect(fresh).not.toBe(old);
    expect((await fetchFeed(old)).status).toBe(404);
    expect((await fetchFeed(fresh)).status).toBe(200);
    const actions = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(coach.id))
      .where('action', 'like', '%calendar_feed')
      .execute();
    expect(actions.map((row) => row.action)).toEqual(
      expect.arrayContaining(['create_calendar_feed', 'regenerate_calendar_feed']),
    );
  });

  test('revoking asks first; the address then answers 404 and /account offers a new one', async () => {
    const agent = await signedInAgent(t.app, coach);
    const address = await createFeed(agent);
    const confirm = await agent.get('/account/calendar-feed/revoke');
    expect(confirm.text).toContain('Je agenda-adres intrekken?');
    const token = await csrfToken(agent, '/account/calendar-feed/revoke');
    const response = await agent.post('/account/calendar-feed/revoke').type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/account?done=calendarRevoked#calendar');
    const gone = await fetchFeed(address);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('Pagina niet gevonden\n');
    const account = await agent.get(response.headers.location as string);
    expect(account.text).toContain('Je agenda-adres is ingetrokken.');
    expect(account.text).toContain('Agenda-adres maken');
    // Nothing left to revoke or regenerate: the confirmations lead back to /account.
    expect((await agent.get('/account/calendar-feed/revoke')).headers.location).toBe('/account#calendar');
    expect((await agent.get('/account/calendar-feed/regenerate')).headers.location).toBe('/account#calendar');
    const again = await agent.post('/account/calendar-feed/revoke').type('form').send({ _csrf: token });
    expect(again.headers.location).toBe('/account?done=calendarNothingToRevoke#calendar');
  });

  test('unknown and malformed addresses are the same bare 404', async () => {
    for (const path of [
      `/calendar/${'A'.repeat(43)}.ics`,
      '/calendar/nothing.ics',
      `/calendar/${'A'.repeat(43)}`,
      '/calendar/%00',
    ]) {
      const response = await request(t.app).get(path);
      expect(response.status).toBe(404);
      expect(response.text).toBe('Pagina niet gevonden\n');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  test('a feed read too often in an hour answers 429 until the hour is over', async () => {
    const agent = await signedInAgent(t.app, otherCoach);
    const address = await createFeed(agent);
    for (let fetch = 1; fetch <= FEED_FETCHES_PER_HOUR; fetch += 1) expect((await fetchFeed(address)).status).toBe(200);
    const refused = await fetchFeed(address);
    expect(refused.status).toBe(429);
    expect(refused.text).toBe('Dit agenda-adres is het afgelopen uur te vaak opgehaald. Probeer het later opnieuw.\n');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    clock.advance({ hours: 1 });
    expect((await fetchFeed(address)).status).toBe(200);
  });

  test('deactivating a person revokes their feed (and reactivating does not bring it back)', async () => {
    const person = await createTestUser(t.database, { role: 'manager', team: 'Team A' });
    const address = await createFeed(await signedInAgent(t.app, person));
    expect((await fetchFeed(address)).status).toBe(200);
    const adminAgent = await signedInAgent(t.app, admin);
    const token = await csrfToken(adminAgent, `/admin/users/${person.id}/deactivate`);
    expect((await adminAgent.post(`/admin/users/${person.id}/deactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await fetchFeed(address)).status).toBe(404);
    const feeds = await t.database.db.selectFrom('calendar_feeds').select('user_id').where('user_id', '=', person.id).execute();
    expect(feeds).toEqual([]);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'deactivate')
      .where('entity_id', '=', String(person.id))
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ endedSessions: 1, calendarFeedRevoked: true });
    expect((await adminAgent.post(`/admin/users/${person.id}/reactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await fetchFeed(address)).status).toBe(404);
  });
});
