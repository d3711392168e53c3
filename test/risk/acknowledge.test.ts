import { DateTime } from 'luxon';
import { FixedClock } from '../../src/lib/clock';
import type { Viewer } from '../../src/lib/viewer';
import { riskForParticipants } from '../../src/risk/service';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { renderPanel, textOf } from './acknowledge-helpers';
import { RiskScenario, ZONE } from './helpers';
import { QueryCounter } from '../helpers/query-counter';

// Acknowledging a risk flag: the form, its rules, access, audit, and when the flag comes back.

const START = '2026-11-23T09:00:00+01:00';
const TODAY = '2026-11-23';
const clock = new FixedClock(START);

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;
let otherManager: UserFixture;
let s: RiskScenario;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { SESSION_ABSOLUTE_HOURS: '168' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Carla Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Otto Ander' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mila Manager' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid', displayName: 'Zeno Zuid' });
  s = new RiskScenario(t.database.db, coach.id, TODAY);
  await s.setUp();
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

const viewerOf = (user: UserFixture, role: Viewer['role'] = 'coach'): Viewer => ({
  userId: user.id,
  role,
  teamId: null,
  today: clock.now().setZone(ZONE).toISODate()!,
  timeZone: ZONE,
});

async function acknowledgementCount(participantId: number): Promise<number> {
  const row = await t.database.db
    .selectFrom('risk_acknowledgements')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function postAcknowledge(user: UserFixture, participantId: number, fields: Record<string, string>) {
  const agent = await signedInAgent(t.app, user);
  const page = await agent.get(`/participants/${participantId}/risk/acknowledge`);
  const token = page.status === 200 ? csrfTokenFrom(page.text) : csrfTokenFrom((await agent.get('/account')).text);
  return agent
    .post(`/participants/${participantId}/risk/acknowledge`)
    .type('form')
    .send({ _csrf: token, ...fields });
}

/** Amber on "no active placement" only, reached yesterday: stays amber for days when the clock moves. */
const amberWithoutPlacement = () => s.participant({ placement: false });

describe('acknowledging a flag', () => {
  test('the form page shows the reasons; acknowledging hides the flag as acknowledged with who, when and the note', async () => {
    const id = await s.participant({ reachedDaysAgo: 20 });
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(`/participants/${id}/risk/acknowledge`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain('Niveau: Oranje');
    expect(textOf(page.text)).toContain('laatst bereikt 20 dagen geleden (03-11-2026)');

    const before = await renderPanel(t, viewerOf(coach), id);
    expect(textOf(before)).toContain('Niveau: Oranje');
    expect(before).toContain(`href="/participants/${id}/risk/acknowledge"`);
    expect(textOf(before)).toContain('Berekend op');

    const response = await agent
      .post(`/participants/${id}/risk/acknowledge`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), note: 'Met de moeder gebeld: op vakantie.', snoozeUntil: '' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${id}?done=riskAcknowledged#risk`);

    const after = textOf(await renderPanel(t, viewerOf(coach), id));
    expect(after).toContain('Niveau: Oranje');
    expect(after).toContain('Gezien door Carla Coach op 23-11-2026');
    expect(after).toContain('Met de moeder gebeld: op vakantie.');
    expect(after).not.toContain('Signaal afhandelen');

    const stored = await t.database.db
      .selectFrom('risk_acknowledgements')
      .selectAll()
      .where('participant_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      acknowledged_by: coach.id,
      level: 'amber',
      flagged: ['last_reached:amber'],
      snooze_until: null,
    });
  });

  test('the acknowledgement is audited with the participant, in English too', async () => {
    const id = await amberWithoutPlacement();
    const response = await postAcknowledge(coach, id, { note: 'Zoekt zelf een nieuwe plek.', snoozeUntil: '30-11-2026' });
    expect(response.status).toBe(303);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'risk_acknowledgement')
      .where('participant_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: coach.id, action: 'create' });
    expect(audit[0]!.details).toMatchObject({
      level: 'amber',
      flagged: ['no_active_placement:amber'],
      snoozeUntil: '2026-11-30',
    });
    const english = textOf(await renderPanel(t, viewerOf(coach), id, 'en'));
    expect(english).toContain('Acknowledged by Carla Coach');
    expect(english).toContain('Snoozed until 30/11/2026 inclusive.');
  });

  test('the note is escaped wherever it is shown', async () => {
    const id = await amberWithoutPlacement();
    expect((await postAcknowledge(coach, id, { note: '<script>alert("x")</script> & meer' })).status).toBe(303);
    const html = await renderPanel(t, viewerOf(coach), id);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; meer');
  });

  test('a participant without a flag has nothing to acknowledge and nothing is stored', async () => {
    const id = await s.participant();
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(`/participants/${id}/risk/acknowledge`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('er is niets af te handelen');
    expect(page.text).not.toContain('name="note"');
    const response = await agent
      .post(`/participants/${id}/risk/acknowledge`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), note: 'Toch maar.' });
    expect(response.status).toBe(422);
    expect(await acknowledgementCount(id)).toBe(0);
    expect(textOf(await renderPanel(t, viewerOf(coach), id))).toContain('Er zijn nu geen signalen');
  });

  test('a participant who is not scored shows so in the panel', async () => {
    const id = await t.database.db
      .insertInto('participants')
      .values({ first_name: 'Zonder', last_name: 'Traject', coach_id: coach.id, status: 'intake' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(textOf(await renderPanel(t, viewerOf(coach), id.id))).toContain('geen lopend traject');
  });
});

describe('validation', () => {
  test.each([
    ['an empty note', { note: '   ' }, 'note', 'Vul dit veld in.'],
    ['a note of 2001 characters', { note: 'x'.repeat(2001) }, 'note', 'Dit is te lang.'],
    ['a snooze that is no date', { note: 'Gebeld.', snoozeUntil: 'morgen' }, 'snoozeUntil', null],
    ['a snooze before today', { note: 'Gebeld.', snoozeUntil: '22-11-2026' }, 'snoozeUntil', 'Kies vandaag of een latere datum.'],
    [
      'a snooze 91 days ahead',
      { note: 'Gebeld.', snoozeUntil: '22-02-2027' },
      'snoozeUntil',
      'Snoozen kan hoogstens 90 dagen vooruit.',
    ],
  ])('%s is refused with 422, the values kept and nothing stored', async (_what, fields, field, message) => {
    const id = await amberWithoutPlacement();
    const response = await postAcknowledge(coach, id, fields);
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain(`id="${field}-error"`);
    if (message) expect(response.text).toContain(message);
    // A readable date comes back as a date field holds it (ISO); anything else as typed.
    if ('snoozeUntil' in fields) {
      const typed = fields.snoozeUntil;
      const readable = /^(\d\d)-(\d\d)-(\d{4})$/.exec(typed);
      expect(response.text).toContain(`value="${readable ? `${readable[3]}-${readable[2]}-${readable[1]}` : typed}"`);
    }
    if (fields.note.trim()) expect(response.text).toContain(fields.note.length > 100 ? fields.note.slice(0, 100) : fields.note);
    expect(await acknowledgementCount(id)).toBe(0);
  });

  test('today and exactly 90 days ahead are accepted', async () => {
    const first = await amberWithoutPlacement();
    expect((await postAcknowledge(coach, first, { note: 'Vandaag.', snoozeUntil: '23-11-2026' })).status).toBe(303);
    const second = await amberWithoutPlacement();
    expect((await postAcknowledge(coach, second, { note: 'Ver weg.', snoozeUntil: '2027-02-21' })).status).toBe(303);
  });

  test('fields the form does not show are ignored', async () => {
    const id = await amberWithoutPlacement();
    const response = await postAcknowledge(coach, id, { note: 'Gebeld.', level: 'red', acknowledged_by: String(otherCoach.id) });
    expect(response.status).toBe(303);
    const stored = await t.database.db
      .selectFrom('risk_acknowledgements')
      .selectAll()
      .where('participant_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ acknowledged_by: coach.id, level: 'amber' });
  });
});

describe('access', () => {
  test.each([
    ['another coach', () => otherCoach],
    ['a manager of another team', () => otherManager],
  ])('%s gets 404 on the form and the post, and nothing is stored', async (_who, user) => {
    const id = await amberWithoutPlacement();
    const agent = await signedInAgent(t.app, user());
    expect((await agent.get(`/participants/${id}/risk/acknowledge`)).status).toBe(404);
    const response = await postAcknowledge(user(), id, { note: 'Niet mijn deelnemer.' });
    expect(response.status).toBe(404);
    expect(await acknowledgementCount(id)).toBe(0);
    expect(await renderPanel(t, viewerOf(user(), user() === otherManager ? 'manager' : 'coach'), id)).toContain(
      'geen lopend traject',
    );
  });

  test('the coach’s team manager may acknowledge', async () => {
    const id = await amberWithoutPlacement();
    expect((await postAcknowledge(manager, id, { note: 'Besproken in het teamoverleg.' })).status).toBe(303);
    expect(await acknowledgementCount(id)).toBe(1);
  });

  test('a malformed id is 404', async () => {
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get('/participants/abc/risk/acknowledge')).status).toBe(404);
  });
});

describe('when the flag comes back', () => {
  const risk = async (id: number, now: DateTime) => (await riskForParticipants(t.database.db, [id], now, ZONE)).get(id)!;

  test('a new signal brings it back', async () => {
    const id = await amberWithoutPlacement();
    expect((await postAcknowledge(coach, id, { note: 'Gebeld.' })).status).toBe(303);
    expect((await risk(id, clock.now())).acknowledgement?.active).toBe(true);
    await s.contact(id, 0, 'not_reached', { hour: 7 });
    await s.contact(id, 0, 'voicemail', { hour: 8 });
    const now = await risk(id, clock.now());
    expect(now.assessment.reasons.map((reason) => reason.signal)).toEqual(['unreached_in_a_row', 'no_active_placement']);
    expect(now.acknowledgement).toMatchObject({ by: 'Carla Coach', active: false });
    const panel = textOf(await renderPanel(t, viewerOf(coach), id));
    expect(panel).toContain('Signaal afhandelen');
    expect(panel).toContain('Eerder gezien door Carla Coach');
  });

  test('a higher level brings it back; a lower one does not', async () => {
    const id = await s.participant({ reachedDaysAgo: 20 });
    expect((await postAcknowledge(coach, id, { note: 'Gebeld met werkgever.' })).status).toBe(303);
    const at = (days: number) => clock.now().plus({ days });
    expect((await risk(id, at(7))).assessment.level).toBe('amber');
    expect((await risk(id, at(7))).acknowledgement?.active).toBe(true);
    expect((await risk(id, at(8))).assessment.level).toBe('red');
    expect((await risk(id, at(8))).acknowledgement?.active).toBe(false);

    const red = await s.participant({ reachedDaysAgo: 30 });
    expect((await postAcknowledge(coach, red, { note: 'Rood gezien.' })).status).toBe(303);
    // A reach 15 days ago after the acknowledgement: last reached eases from red to amber.
    await s.contact(red, 15, 'reached', { hour: 11 });
    const eased = await risk(red, clock.now());
    expect(eased.assessment.level).toBe('amber');
    expect(eased.acknowledgement?.active).toBe(true);
  });

  test('the end of the snooze brings it back (on the day after the snooze date)', async () => {
    const id = await amberWithoutPlacement();
    expect((await postAcknowledge(coach, id, { note: 'Even afwachten.', snoozeUntil: '26-11-2026' })).status).toBe(303);
    clock.set('2026-11-26T23:30:00+01:00');
    expect(textOf(await renderPanel(t, viewerOf(coach), id))).toContain('Gesnoozed tot en met 26-11-2026.');
    clock.set('2026-11-27T00:30:00+01:00');
    const panel = textOf(await renderPanel(t, viewerOf(coach), id));
    expect(panel).not.toContain('Gezien door');
    expect(panel).toContain('Signaal afhandelen');
    // The form works again once the flag is back.
    expect((await postAcknowledge(coach, id, { note: 'Opnieuw gebeld.' })).status).toBe(303);
    expect(textOf(await renderPanel(t, viewerOf(coach), id))).toContain('Opnieuw gebeld.');
  });
});

describe('riskForParticipants', () => {
  test('runs a fixed number of queries whatever the number of participants', async () => {
    const counter = new QueryCounter();
    const db = t.database.db.withPlugin(counter);
    const one = await amberWithoutPlacement();
    await postAcknowledge(coach, one, { note: 'Een.' });
    await riskForParticipants(db, [one], clock.now(), ZONE);
    counter.count = 0;
    await riskForParticipants(db, [one], clock.now(), ZONE);
    const forOne = counter.count;
    const many = [one];
    for (let index = 0; index < 12; index += 1) {
      const id = await amberWithoutPlacement();
      if (index % 2) await postAcknowledge(coach, id, { note: `Nummer ${index}.` });
      many.push(id);
    }
    counter.count = 0;
    const result = await riskForParticipants(db, many, clock.now(), ZONE);
    expect(result.size).toBe(13);
    expect(counter.count).toBe(forOne);
    expect(forOne).toBeLessThanOrEqual(4);
  });
});
