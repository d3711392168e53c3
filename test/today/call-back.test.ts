import { FixedClock } from '../../src/lib/clock';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContactMoment, insertParticipant } from '../helpers/fixtures';

// Issue 16 on /today: a planned call whose time has come is due now; a call back in one click; a
// quick log confirms what it saved, sends the focus to the next row, and a refused one stays on
// /today with its messages beside its row; the live page's updates.

const START = '2026-11-23T10:15:00+01:00';
const clock = new FixedClock(START);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

let coachCount = 0;
function newCoach(): Promise<UserFixture> {
  coachCount += 1;
  return createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: `Coach Terugbel ${coachCount}` });
}

async function participantOf(coach: UserFixture, firstName: string, lastName: string): Promise<number> {
  const id = await insertParticipant(t.database.db, {
    first_name: firstName,
    last_name: lastName,
    coach_id: coach.id,
    status: 'active',
    phone: '06 2000 0000',
  });
  // Reached last week, nothing planned since: on /today under "no contact planned".
  await insertContactMoment(t.database.db, {
    participant_id: id,
    author_id: coach.id,
    occurred_at: '2026-11-16T10:00:00+01:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 15,
    summary: 'Goed gesprek.',
  });
  return id;
}

function sectionIds(html: string, key: string): number[] {
  const section = new RegExp(`<section[^>]*id="section-${key}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  return [...section.matchAll(/<li class="today-item[^"]*" id="participant-(\d+)"/g)].map((m) => Number(m[1]));
}

function reasonOf(html: string, id: number): string {
  const row = new RegExp(`id="participant-${id}"[\\s\\S]*?<p class="today-item__reason[^"]*">([\\s\\S]*?)</p>`).exec(html)![1]!;
  return row.replace(/<[^>]+>/g, '').trim();
}

async function postQuickLog(
  agent: Awaited<ReturnType<typeof signedInAgent>>,
  page: string,
  id: number,
  fields: Record<string, string>,
) {
  const token = new RegExp(`id="participant-${id}"[\\s\\S]*?name="submissionToken" value="([^"]+)"`).exec(page)![1]!;
  return agent
    .post(`/participants/${id}/contacts/new`)
    .type('form')
    .send({
      _csrf: csrfTokenFrom(page),
      submissionToken: token,
      returnTo: '/today',
      quickLog: '1',
      channel: 'phone',
      counterpart: 'participant',
      ...fields,
    });
}

test('call back in 10 minutes: one click, no summary, 0 minutes; due at its time, then late by the minute', async () => {
  const coach = await newCoach();
  const id = await participantOf(coach, 'Mohamed', 'Ouali');
  const agent = await signedInAgent(t.app, coach);
  const page = (await agent.get('/today')).text;

  // What the row's "over 10 min" button sends: the quick log's fields as they are, and its choice.
  const saved = await postQuickLog(agent, page, id, { summary: '', durationMinutes: '', nextShortcut: '', callBack: 'in10min' });
  expect(saved.status).toBe(303);
  const stored = await t.database.db
    .selectFrom('contact_moments')
    .select(['outcome', 'duration_minutes', 'summary', 'next_contact_date', 'next_contact_time'])
    .where('participant_id', '=', id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({
    outcome: 'callback_requested',
    duration_minutes: 0,
    summary: null,
    next_contact_date: '2026-11-23',
    next_contact_time: '10:25:00',
  });

  const before = (await agent.get('/today')).text;
  expect(sectionIds(before, 'dueToday')).toEqual([id]);
  expect(reasonOf(before, id)).toBe('gepland om 10:25');

  clock.set('2026-11-23T10:25:00+01:00');
  const due = (await agent.get('/today')).text;
  expect(sectionIds(due, 'callNow')).toEqual([id]);
  expect(sectionIds(due, 'dueToday')).toEqual([]);
  expect(reasonOf(due, id)).toBe('gepland om 10:25, nu');
  // "Call now" is the page's first section.
  expect(due.indexOf('id="section-callNow"')).toBeLessThan(due.indexOf('id="section-overdue"'));

  clock.set('2026-11-23T10:27:30+01:00');
  expect(reasonOf((await agent.get('/today')).text, id)).toBe('gepland om 10:25, 2 minuten te laat');
});

test('every call-back choice plans from now; a typed duration still counts', async () => {
  const coach = await newCoach();
  const ids = [
    await participantOf(coach, 'Anna', 'Dertig'),
    await participantOf(coach, 'Bas', 'Uur'),
    await participantOf(coach, 'Cas', 'Morgen'),
  ];
  const agent = await signedInAgent(t.app, coach);
  const choices = ['in30min', 'in1hour', 'tomorrow'];
  for (const [index, id] of ids.entries()) {
    const page = (await agent.get('/today')).text;
    const fields: Record<string, string> = { outcome: 'callback_requested', nextShortcut: choices[index]! };
    if (index === 0) fields.durationMinutes = '5';
    expect((await postQuickLog(agent, page, id, fields)).status).toBe(303);
  }
  const rows = await t.database.db
    .selectFrom('contact_moments')
    .select(['participant_id', 'duration_minutes', 'next_contact_date', 'next_contact_time'])
    .where('participant_id', 'in', ids)
    .where('outcome', '=', 'callback_requested')
    .orderBy('participant_id')
    .execute();
  expect(rows.map(({ participant_id: _id, ...row }) => row)).toEqual([
    { duration_minutes: 5, next_contact_date: '2026-11-23', next_contact_time: '10:45:00' },
    { duration_minutes: 0, next_contact_date: '2026-11-23', next_contact_time: '11:15:00' },
    { duration_minutes: 0, next_contact_date: '2026-11-24', next_contact_time: null },
  ]);
});

test('a call-back button keeps what was typed in the row, and refuses a choice it does not offer', async () => {
  const coach = await newCoach();
  const id = await participantOf(coach, 'Dirk', 'Druk');
  const agent = await signedInAgent(t.app, coach);
  const page = (await agent.get('/today')).text;
  const refused = await postQuickLog(agent, page, id, {
    summary: 'Zit in een gesprek, belt terug.',
    durationMinutes: '2',
    nextShortcut: '',
    callBack: 'in3years',
  });
  expect(refused.status).toBe(422);
  expect(refused.text).toMatch(new RegExp(`today-item--error[^"]*" id="participant-${id}"`));
  expect(refused.text).toContain('Zit in een gesprek, belt terug.');

  const saved = await postQuickLog(agent, page, id, {
    summary: 'Zit in een gesprek, belt terug.',
    durationMinutes: '2',
    nextShortcut: 'in2weeks',
    callBack: 'in30min',
  });
  expect(saved.status).toBe(303);
  const stored = await t.database.db
    .selectFrom('contact_moments')
    .select(['outcome', 'duration_minutes', 'summary', 'next_contact_date', 'next_contact_time'])
    .where('participant_id', '=', id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  // The button's choice wins over the row's "next" select.
  expect(stored).toEqual({
    outcome: 'callback_requested',
    duration_minutes: 2,
    summary: 'Zit in een gesprek, belt terug.',
    next_contact_date: '2026-11-23',
    next_contact_time: '10:45:00',
  });
});

test('a saved quick log says what it saved, and sends the focus to the next row', async () => {
  const coach = await newCoach();
  const first = await participantOf(coach, 'Eva', 'Eerste');
  const second = await participantOf(coach, 'Finn', 'Tweede');
  // Both planned for today at a later time, so both are on the page in this order.
  for (const [id, time] of [
    [first, '11:00'],
    [second, '11:30'],
  ] as const) {
    await insertContactMoment(t.database.db, {
      participant_id: id,
      author_id: coach.id,
      occurred_at: '2026-11-20T10:00:00+01:00',
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 10,
      summary: 'Afspraak gemaakt.',
      next_contact_date: '2026-11-23',
      next_contact_time: time,
    });
  }
  const agent = await signedInAgent(t.app, coach);
  const page = (await agent.get('/today')).text;
  expect(sectionIds(page, 'dueToday')).toEqual([first, second]);
  expect(page).toContain(`name="nextRow" value="${second}"`);

  const saved = await postQuickLog(agent, page, first, {
    outcome: 'not_reached',
    nextShortcut: 'in1hour',
    nextRow: String(second),
  });
  expect(saved.status).toBe(303);
  expect(saved.headers.location).toMatch(new RegExp(`^/today\\?logged=\\d+#participant-${second}$`));

  const confirmed = (await agent.get(saved.headers.location!.split('#')[0]!)).text;
  const status = /<div id="today-status"[^>]*role="status"[^>]*>([\s\S]*?)<\/div>/.exec(confirmed)![1]!;
  expect(status.replace(/<[^>]+>/g, '').trim()).toBe(
    'Opgeslagen voor Eva Eerste: niet bereikt, 0 min. Volgend contact 23-11-2026 om 11:15.',
  );
  // Rows take the focus, so the browser (and today-live.js) can land on the next one.
  expect(confirmed).toMatch(new RegExp(`id="participant-${second}" tabindex="-1"`));
  // After the last row the focus goes to the message itself.
  const last = await postQuickLog(agent, confirmed, second, { outcome: 'voicemail', nextRow: '' });
  expect(last.headers.location).toMatch(/^\/today\?logged=\d+#today-status$/);

  // A contact of another coach's participant confirms nothing.
  const other = await newCoach();
  const othersId = await participantOf(other, 'Gijs', 'Geheim');
  const othersContact = await t.database.db
    .selectFrom('contact_moments')
    .select('id')
    .where('participant_id', '=', othersId)
    .executeTakeFirstOrThrow();
  const probed = (await agent.get(`/today?logged=${othersContact.id}`)).text;
  expect(probed).not.toContain('Gijs');
  expect(probed).not.toContain('Opgeslagen voor');
  expect((await agent.get('/today?logged=abc')).status).toBe(200);
});

test('a reached call without a summary stays on /today: the message beside that row, the typed values kept', async () => {
  const coach = await newCoach();
  const id = await participantOf(coach, 'Hanna', 'Haast');
  const otherRow = await participantOf(coach, 'Ivo', 'Ander');
  for (const participant of [id, otherRow]) {
    await insertContactMoment(t.database.db, {
      participant_id: participant,
      author_id: coach.id,
      occurred_at: '2026-11-20T10:00:00+01:00',
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 10,
      summary: 'Afspraak.',
      next_contact_date: '2026-11-23',
    });
  }
  const agent = await signedInAgent(t.app, coach);
  const page = (await agent.get('/today')).text;
  const refused = await postQuickLog(agent, page, id, {
    outcome: 'reached',
    summary: '   ',
    durationMinutes: '25',
    nextShortcut: 'in1week',
  });
  expect(refused.status).toBe(422);
  const html = refused.text;
  // Still the day page, with every row.
  expect(html).toContain('<title>Vandaag');
  expect(sectionIds(html, 'dueToday')).toEqual([otherRow, id]);
  const row = new RegExp(
    `<li class="today-item today-item--error[^"]*" id="participant-${id}"[\\s\\S]*?</li>\\s*</ul>[\\s\\S]*?</form>`,
  ).exec(html)![0];
  expect(row).toContain('Niet opgeslagen voor Hanna Haast:');
  expect(row).toContain('Schrijf kort op wat er besproken is.');
  expect(row).toMatch(/name="durationMinutes" value="25"/);
  expect(row).toMatch(/<option value="in1week" selected>/);
  expect(row).toMatch(/<textarea[^>]*aria-invalid="true"[^>]*autofocus/);
  // The other row is untouched.
  expect(html).not.toMatch(new RegExp(`today-item--error[^"]*" id="participant-${otherRow}"`));
  // Nothing was stored.
  const count = await t.database.db
    .selectFrom('contact_moments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('participant_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(Number(count.n)).toBe(2);
});

test('/today/updates: a new signature once a planned call falls due, with first name and time only', async () => {
  const coach = await newCoach();
  const id = await participantOf(coach, 'Jamal', 'Jansen');
  await insertContactMoment(t.database.db, {
    participant_id: id,
    author_id: coach.id,
    occurred_at: '2026-11-23T10:00:00+01:00',
    channel: 'phone',
    outcome: 'callback_requested',
    duration_minutes: 0,
    next_contact_date: '2026-11-23',
    next_contact_time: '10:20',
  });
  const agent = await signedInAgent(t.app, coach);
  const early = await agent.get('/today/updates');
  expect(early.status).toBe(200);
  expect(early.headers['cache-control']).toBe('no-store');
  expect(early.body.dueNow).toEqual([]);
  const page = (await agent.get('/today')).text;
  expect(page).toContain(`data-signature="${early.body.signature}"`);

  clock.set('2026-11-23T10:20:00+01:00');
  const due = await agent.get('/today/updates');
  expect(due.body.signature).not.toBe(early.body.signature);
  expect(due.body.dueNow).toEqual([{ id, firstName: 'Jamal', plannedTime: '10:20' }]);
  expect(JSON.stringify(due.body)).not.toContain('Jansen');
  // A minute later only the lateness changed: the same signature, so an open page is left alone.
  clock.set('2026-11-23T10:21:00+01:00');
  expect((await agent.get('/today/updates')).body.signature).toBe(due.body.signature);
});
