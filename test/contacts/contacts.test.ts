import { randomUUID } from 'node:crypto';
import path from 'node:path';
import ejs from 'ejs';
import { sql } from 'kysely';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import type { Viewer } from '../../src/lib/viewer';
import { nextContactFromShortcut, timelineForProfile, type ContactTimeline } from '../../src/contacts/service';
import { hoursUsedOf } from '../../src/trajectories/service';
import { DateTime } from 'luxon';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  auditEventsOf,
  insertCommissioner,
  insertContact,
  insertContactMoment,
  insertEmployer,
  insertParticipant,
  insertStandin,
  insertTrajectory,
  openForm,
} from '../helpers/fixtures';
import { readable } from '../helpers/readable';

const START = '2026-11-23T10:00:00+01:00';
const clock = new FixedClock(START);
let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let standInCoach: UserFixture;
let manager: UserFixture;
let otherTeamManager: UserFixture;
let admin: UserFixture;
let agents: Record<'coach' | 'otherCoach' | 'standIn' | 'manager' | 'otherManager' | 'admin', TestAgent>;
let commissioner: number;

const SCRIPT = `<script>alert("x")</script> & 'quotes'`;
const SCRIPT_ESCAPED = '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;';

beforeAll(async () => {
  // Tests move the clock up to a day ahead: sessions must outlive that.
  t = await startTestApp({ clock, env: { SESSION_ABSOLUTE_HOURS: '168' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Olga Coach' });
  standInCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Sanne Waarnemer' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mila Manager' });
  otherTeamManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  agents = {
    coach: await signedInAgent(t.app, coach),
    otherCoach: await signedInAgent(t.app, otherCoach),
    standIn: await signedInAgent(t.app, standInCoach),
    manager: await signedInAgent(t.app, manager),
    otherManager: await signedInAgent(t.app, otherTeamManager),
    admin: await signedInAgent(t.app, admin),
  };
  commissioner = await insertCommissioner(t.database.db, { name: 'UWV Utrecht', kind: 'uwv' });
  await insertStandin(t.database.db, {
    absent_coach_id: coach.id,
    standin_coach_id: standInCoach.id,
    starts_on: '2026-11-01',
    ends_on: '2027-12-31',
    created_by: manager.id,
  });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

let participantCounter = 0;
function addParticipant(status: 'active' | 'closed' = 'active', coachId = coach.id): Promise<number> {
  participantCounter += 1;
  return insertParticipant(t.database.db, {
    first_name: 'Sem',
    last_name: `Contact${participantCounter}`,
    coach_id: coachId,
    status,
    closed_on: status === 'closed' ? '2026-10-01' : null,
  });
}

async function contactsOf(participantId: number) {
  return t.database.db
    .selectFrom('contact_moments')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

const newPath = (participantId: number) => `/participants/${participantId}/contacts/new`;

/** Opens the log form and posts it with these fields (the hidden tokens come from the page). */
async function logContact(agent: TestAgent, participantId: number, fields: Record<string, string>) {
  const form = await openForm(agent, newPath(participantId));
  return agent
    .post(newPath(participantId))
    .type('form')
    .send({ ...form, ...fields });
}

/** Posts a raw urlencoded body, for fields repeated the way browsers send checkboxes. */
async function postRaw(agent: TestAgent, url: string, pairs: Array<[string, string]>) {
  return agent.post(url).type('form').send(new URLSearchParams(pairs).toString());
}

async function loggedOne(agent: TestAgent, participantId: number, fields: Record<string, string>) {
  const response = await logContact(agent, participantId, fields);
  expect(response.status).toBe(303);
  const rows = await contactsOf(participantId);
  return rows[rows.length - 1]!;
}

describe('the log form', () => {
  test('opens with now, phone, the participant, reached and 10 minutes, and words for every wellbeing point', async () => {
    const participantId = await addParticipant();
    const page = await agents.coach.get(newPath(participantId));
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="occurredDate" value="2026-11-23"');
    expect(page.text).toContain('name="occurredTime" value="10:00"');
    expect(page.text).toMatch(/<option value="phone" selected>/);
    expect(page.text).toMatch(/<option value="participant" selected>/);
    expect(page.text).toMatch(/name="outcome" value="reached" checked/);
    // Empty: 10 minutes when reached, 0 for a call-back request (the hint says so).
    expect(page.text).toContain('name="durationMinutes" value=""');
    expect(page.text).toContain('name="submissionToken"');
    for (const word of ['Somber', 'Opgewekt', 'Geen ritme', 'Vast ritme', 'Geïsoleerd', 'Veel steun', 'Niets', 'Volle dagen']) {
      expect(page.text).toContain(word);
    }
    expect(page.text).toContain('telt niet als coachingstijd');

    const english = await agents.admin.get(newPath(participantId));
    for (const word of [
      'Low',
      'Cheerful',
      'No rhythm',
      'Regular rhythm',
      'Isolated',
      'Lots of support',
      'Nothing',
      'Full days',
    ]) {
      expect(english.text).toContain(word);
    }
  });

  test('keeps a local returnTo (as /today links to it) and drops any other', async () => {
    const participantId = await addParticipant();
    const local = await agents.coach.get(`${newPath(participantId)}?returnTo=%2Ftoday`);
    expect(local.text).toContain('<input type="hidden" name="returnTo" value="/today">');
    expect(local.text).toContain('<a href="/today">Annuleren</a>');
    const foreign = await agents.coach.get(`${newPath(participantId)}?returnTo=%2F%2Fevil.example`);
    // (The header's language switch carries the current page; the form itself carries no return address.)
    expect(foreign.text).not.toContain('<input type="hidden" name="returnTo" value="//evil.example">');
    expect(foreign.text).toContain(`<a href="/participants/${participantId}#timeline">Annuleren</a>`);
  });
});

describe('logging a contact moment', () => {
  test.each([
    ['reached', { summary: 'Goed gesprek over het rooster.', durationMinutes: '25' }, 25, 'Goed gesprek over het rooster.'],
    // A call-back request is no coaching time unless the coach says so (product.md): empty is 0.
    ['callback_requested', { summary: 'Belt na 16:00 terug.', durationMinutes: '' }, 0, 'Belt na 16:00 terug.'],
    ['callback_requested', { summary: '', durationMinutes: '5' }, 5, null],
    ['reached', { summary: 'Kort.', durationMinutes: '' }, 10, 'Kort.'],
    ['not_reached', { summary: '', durationMinutes: '10' }, 0, null],
    ['voicemail', { summary: '', durationMinutes: '' }, 0, null],
  ] as const)(
    'outcome %s is stored with its duration and summary, and audited without the summary',
    async (outcome, fields, minutes, summary) => {
      const participantId = await addParticipant();
      const response = await logContact(agents.coach, participantId, { outcome, ...fields });
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/participants/${participantId}?done=contactLogged#timeline`);
      const [row] = await contactsOf(participantId);
      expect(row).toMatchObject({
        outcome,
        channel: 'phone',
        counterpart: 'participant',
        duration_minutes: minutes,
        summary,
        author_id: coach.id,
        next_contact_date: null,
        version: 1,
      });
      expect(row!.occurred_at.toISOString()).toBe('2026-11-23T09:00:00.000Z');
      const audit = await auditEventsOf(t.database.db, 'contact_moment', row!.id);
      expect(audit).toEqual([
        {
          action: 'create',
          actor_user_id: coach.id,
          participant_id: participantId,
          details: expect.objectContaining({ outcome, durationMinutes: minutes, channel: 'phone' }),
        },
      ]);
      expect(JSON.stringify(audit)).not.toContain('rooster');
    },
  );

  test('a summary is required when someone was reached; every typed value is kept', async () => {
    const participantId = await addParticipant();
    for (const outcome of ['reached']) {
      const form = await openForm(agents.coach, newPath(participantId));
      const response = await agents.coach
        .post(newPath(participantId))
        .type('form')
        .send({
          ...form,
          outcome,
          summary: '  ',
          durationMinutes: '35',
          returnTo: '/today',
          channel: 'video',
          wellbeingMood: '4',
        });
      expect(response.status).toBe(422);
      expect(response.text).toContain('class="error-summary"');
      expect(response.text).toContain('id="summary-error"');
      expect(response.text).toContain('Schrijf kort op wat er besproken is.');
      expect(response.text).toContain('name="durationMinutes" value="35"');
      expect(response.text).toContain('name="returnTo" value="/today"');
      expect(response.text).toContain(`name="submissionToken" value="${form.submissionToken}"`);
      expect(response.text).toMatch(/<option value="video" selected>/);
      expect(response.text).toMatch(/name="wellbeingMood" value="4" checked/);
    }
    expect(await contactsOf(participantId)).toHaveLength(0);
  });

  test.each([
    ['601', 422],
    ['-1', 422],
    ['tien', 422],
    ['12.5', 422],
    ['0', 303],
    ['600', 303],
  ])('duration %s answers %i', async (durationMinutes, status) => {
    const participantId = await addParticipant();
    const response = await logContact(agents.coach, participantId, { outcome: 'reached', summary: 'Gesprek', durationMinutes });
    expect(response.status).toBe(status);
    if (status === 422) {
      expect(response.text).toContain('Vul een duur in van 0 tot 600 minuten');
      expect(await contactsOf(participantId)).toHaveLength(0);
    } else {
      expect((await contactsOf(participantId))[0]!.duration_minutes).toBe(Number(durationMinutes));
    }
  });

  test('wellbeing answers must be 1 to 5; valid ones are stored and shown as words', async () => {
    const participantId = await addParticipant();
    for (const wrong of ['0', '6', 'goed']) {
      const response = await logContact(agents.coach, participantId, {
        outcome: 'reached',
        summary: 'x',
        wellbeingSocial: wrong,
      });
      expect(response.status).toBe(422);
      expect(response.text).toContain('Kies een waarde van 1 tot 5.');
    }
    expect(await contactsOf(participantId)).toHaveLength(0);
    const row = await loggedOne(agents.coach, participantId, {
      outcome: 'reached',
      summary: 'Welzijnscheck gedaan',
      wellbeingMood: '1',
      wellbeingRhythm: '5',
      wellbeingSocial: '2',
      wellbeingActivity: '',
    });
    expect(row).toMatchObject({ wellbeing_mood: 1, wellbeing_rhythm: 5, wellbeing_social: 2, wellbeing_activity: null });
    const detail = await agents.coach.get(`/participants/${participantId}/contacts/${row.id}`);
    expect(readable(detail.text)).toContain('1 – Somber');
    expect(readable(detail.text)).toContain('5 – Vast ritme');
    expect(readable(detail.text)).toContain('2 – Weinig contact');
    expect(detail.text).not.toContain('Dagbesteding');
  });

  test('a contact in the past is stored at that local time; a moment in the future is refused', async () => {
    const participantId = await addParticipant();
    const row = await loggedOne(agents.coach, participantId, {
      outcome: 'reached',
      summary: 'Gisteren gebeld',
      occurredDate: '22-11-2026',
      occurredTime: '16:45',
    });
    expect(row.occurred_at.toISOString()).toBe('2026-11-22T15:45:00.000Z');
    const future = await logContact(agents.coach, participantId, { outcome: 'reached', summary: 'x', occurredTime: '11:30' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('Dit moment ligt in de toekomst.');
    const noTime = await logContact(agents.coach, participantId, {
      outcome: 'reached',
      summary: 'x',
      occurredDate: '22-11-2026',
      occurredTime: '',
    });
    expect(noTime.status).toBe(422);
    expect(noTime.text).toContain('Vul ook de tijd van het contact in.');
    expect(await contactsOf(participantId)).toHaveLength(1);
  });
});

describe('the next contact', () => {
  const base = { outcome: 'reached', summary: 'Afspraak gemaakt', occurredDate: '20-11-2026', occurredTime: '10:00' };

  test('may not be before the contact itself', async () => {
    const participantId = await addParticipant();
    const earlier: Array<Record<string, string>> = [
      { nextContactDate: '19-11-2026' },
      { nextContactDate: '20-11-2026', nextContactTime: '09:59' },
    ];
    for (const fields of earlier) {
      const response = await logContact(agents.coach, participantId, { ...base, ...fields });
      expect(response.status).toBe(422);
      expect(response.text).toContain('Het volgende contact kan niet vóór dit contact liggen.');
      expect(response.text).toContain('id="nextContactDate-error"');
    }
    const timeOnly = await logContact(agents.coach, participantId, { ...base, nextContactTime: '14:00' });
    expect(timeOnly.status).toBe(422);
    expect(timeOnly.text).toContain('Vul ook de datum van het volgende contact in.');
    const both = await logContact(agents.coach, participantId, {
      ...base,
      nextShortcut: 'tomorrow',
      nextContactDate: '01-12-2026',
    });
    expect(both.status).toBe(422);
    expect(both.text).toContain('Kies een snelkeuze óf vul een datum in, niet allebei.');
    const badTime = await logContact(agents.coach, participantId, {
      ...base,
      nextContactDate: '01-12-2026',
      nextContactTime: '25:00',
    });
    expect(badTime.status).toBe(422);
    expect(badTime.text).toContain('Vul een tijd in als uu:mm');
    expect(await contactsOf(participantId)).toHaveLength(0);

    const sameDay = await loggedOne(agents.coach, participantId, { ...base, nextContactDate: '20-11-2026' });
    expect(sameDay).toMatchObject({ next_contact_date: '2026-11-20', next_contact_time: null });
    const withTime = await loggedOne(agents.coach, participantId, {
      ...base,
      nextContactDate: '2026-11-27',
      nextContactTime: '9.30',
    });
    expect(withTime).toMatchObject({ next_contact_date: '2026-11-27', next_contact_time: '09:30:00' });
  });

  test.each([
    ['in10min', '2026-11-23T14:00:00+01:00', '2026-11-23', '14:10:00'],
    ['tomorrow', '2026-11-23T14:00:00+01:00', '2026-11-24', null],
    ['in1week', '2026-11-23T14:00:00+01:00', '2026-11-30', null],
    ['in2weeks', '2026-11-23T14:00:00+01:00', '2026-12-07', null],
    // Ten minutes before midnight in Amsterdam (22:55 UTC): the follow-up falls on the next day.
    ['in10min', '2026-11-23T23:55:00+01:00', '2026-11-24', '00:05:00'],
    ['tomorrow', '2026-11-23T23:55:00+01:00', '2026-11-24', null],
    // Just after midnight in Amsterdam, still the previous day in UTC.
    ['tomorrow', '2026-11-24T00:05:00+01:00', '2026-11-25', null],
    // 01:55 on the night summer time starts: 02:00 becomes 03:00, so ten minutes later is 03:05.
    ['in10min', '2026-03-29T01:55:00+01:00', '2026-03-29', '03:05:00'],
    ['tomorrow', '2026-03-28T23:30:00+01:00', '2026-03-29', null],
    ['in1week', '2026-03-25T12:00:00+01:00', '2026-04-01', null],
    // The night summer time ends: 03:00 becomes 02:00 again.
    ['in10min', '2026-10-25T02:55:00+02:00', '2026-10-25', '02:05:00'],
  ])('shortcut %s at %s plans %s %s', async (nextShortcut, now, date, time) => {
    clock.set(now);
    const participantId = await addParticipant();
    const row = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: 'Kort contact', nextShortcut });
    expect(row).toMatchObject({ next_contact_date: date, next_contact_time: time });
    expect(row.occurred_at.toISOString()).toBe(DateTime.fromISO(now).toUTC().toISO());
  });

  test('the shortcut arithmetic in the organisation zone', () => {
    const zone = 'Europe/Amsterdam';
    expect(nextContactFromShortcut('in10min', DateTime.fromISO('2026-03-29T00:55:00Z'), zone)).toEqual({
      date: '2026-03-29',
      time: '03:05',
    });
    expect(nextContactFromShortcut('tomorrow', DateTime.fromISO('2026-11-23T23:30:00Z'), zone)).toEqual({
      date: '2026-11-25',
      time: null,
    });
  });
});

describe('a contact with the employer', () => {
  test('is logged on the participant with the employer and its contact person', async () => {
    const participantId = await addParticipant();
    const employer = await insertEmployer(t.database.db, { name: 'Restaurant De Kom', sector: 'hospitality' });
    const elsewhere = await insertEmployer(t.database.db, { name: 'Kringloop Noord', sector: 'retail' });
    const chef = await insertContact(t.database.db, { employer_id: employer, name: 'Chef Karel', role: 'supervisor' });
    const stranger = await insertContact(t.database.db, { employer_id: elsewhere, name: 'Petra HR', role: 'hr' });

    const page = await agents.coach.get(newPath(participantId));
    expect(page.text).toContain('Restaurant De Kom');
    expect(page.text).toContain('Chef Karel');

    const visit = { outcome: 'reached', summary: 'Werkplekbezoek', channel: 'workplace_visit', counterpart: 'employer' };
    const noEmployer = await logContact(agents.coach, participantId, visit);
    expect(noEmployer.status).toBe(422);
    expect(noEmployer.text).toContain('Kies de werkgever waarmee je contact had.');
    const wrongPerson = await logContact(agents.coach, participantId, {
      ...visit,
      employerId: String(employer),
      employerContactId: String(stranger),
    });
    expect(wrongPerson.status).toBe(422);
    expect(wrongPerson.text).toContain('Deze contactpersoon werkt niet bij de gekozen werkgever.');
    expect(await contactsOf(participantId)).toHaveLength(0);

    const row = await loggedOne(agents.coach, participantId, {
      ...visit,
      employerId: String(employer),
      employerContactId: String(chef),
      durationMinutes: '60',
    });
    expect(row).toMatchObject({
      counterpart: 'employer',
      employer_id: employer,
      employer_contact_id: chef,
      channel: 'workplace_visit',
      duration_minutes: 60,
    });
    const detail = await agents.coach.get(`/participants/${participantId}/contacts/${row.id}`);
    expect(detail.text).toContain('Restaurant De Kom');
    expect(detail.text).toContain('Chef Karel');

    // An employer sent along with another counterpart is not stored.
    const call = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: 'x', employerId: String(employer) });
    expect(call).toMatchObject({ counterpart: 'participant', employer_id: null, employer_contact_id: null });
  });
});

describe('linking goals', () => {
  async function addGoal(participantId: number, title: string, status: 'open' | 'in_progress' | 'achieved' = 'open') {
    const row = await t.database.db
      .insertInto('goals')
      .values({
        participant_id: participantId,
        title,
        life_domain: 'work',
        status,
        achieved_on: status === 'achieved' ? '2026-11-01' : null,
        created_by: coach.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  test('links the ticked open goals of this participant and ignores any other id', async () => {
    const participantId = await addParticipant();
    const otherParticipant = await addParticipant();
    const open = await addGoal(participantId, 'Elke dag om 8 uur op');
    const busy = await addGoal(participantId, 'Twee dagen per week werken', 'in_progress');
    const done = await addGoal(participantId, 'Fiets gerepareerd', 'achieved');
    const foreign = await addGoal(otherParticipant, 'Niet van deze deelnemer');

    const page = await agents.coach.get(newPath(participantId));
    expect(page.text).toContain('Elke dag om 8 uur op');
    expect(page.text).toContain('Twee dagen per week werken');
    expect(page.text).not.toContain('Fiets gerepareerd');
    expect(page.text).not.toContain('Niet van deze deelnemer');

    const form = await openForm(agents.coach, newPath(participantId));
    const response = await postRaw(agents.coach, newPath(participantId), [
      ['_csrf', form._csrf],
      ['submissionToken', form.submissionToken],
      ['outcome', 'reached'],
      ['summary', 'Over werk gesproken'],
      ['goalIds', String(open)],
      ['goalIds', String(busy)],
      ['goalIds', String(done)],
      ['goalIds', String(foreign)],
      ['goalIds', 'abc'],
    ]);
    expect(response.status).toBe(303);
    const [row] = await contactsOf(participantId);
    const links = await t.database.db
      .selectFrom('goal_contact_links')
      .select('goal_id')
      .where('contact_moment_id', '=', row!.id)
      .orderBy('goal_id')
      .execute();
    expect(links.map((link) => link.goal_id)).toEqual([open, busy].sort((a, b) => a - b));

    const detail = await agents.coach.get(`/participants/${participantId}/contacts/${row!.id}`);
    expect(detail.text).toContain(`href="/participants/${participantId}/goals/${open}"`);
    expect(detail.text).toContain('Twee dagen per week werken');

    // A single ticked goal arrives as a plain string.
    const single = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: 'x', goalIds: String(open) });
    const singleLinks = await t.database.db
      .selectFrom('goal_contact_links')
      .select('goal_id')
      .where('contact_moment_id', '=', single.id)
      .execute();
    expect(singleLinks).toEqual([{ goal_id: open }]);

    // A form sent back with an error keeps the ticks.
    const invalidForm = await openForm(agents.coach, newPath(participantId));
    const invalid = await postRaw(agents.coach, newPath(participantId), [
      ['_csrf', invalidForm._csrf],
      ['submissionToken', invalidForm.submissionToken],
      ['outcome', 'reached'],
      ['goalIds', String(busy)],
    ]);
    expect(invalid.status).toBe(422);
    expect(invalid.text).toMatch(new RegExp(`name="goalIds" value="${busy}" checked`));
    expect(invalid.text).not.toMatch(new RegExp(`name="goalIds" value="${open}" checked`));
  });
});

describe('one-time submission', () => {
  test('a double submit stores one contact and both land on it', async () => {
    const participantId = await addParticipant();
    const form = await openForm(agents.coach, newPath(participantId));
    const body = { ...form, outcome: 'reached', summary: 'Dubbel verstuurd' };
    const [first, second] = await Promise.all([
      agents.coach.post(newPath(participantId)).type('form').send(body),
      agents.coach.post(newPath(participantId)).type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const rows = await contactsOf(participantId);
    expect(rows).toHaveLength(1);
    const locations = [first.headers.location, second.headers.location].sort();
    expect(locations).toEqual(
      [
        `/participants/${participantId}/contacts/${rows[0]!.id}`,
        `/participants/${participantId}?done=contactLogged#timeline`,
      ].sort(),
    );
    expect((await auditEventsOf(t.database.db, 'contact_moment', rows[0]!.id)).map((event) => event.action)).toEqual(['create']);
  });

  test("another user's token is treated as an expired form and stores nothing", async () => {
    const participantId = await addParticipant();
    const form = await openForm(agents.coach, newPath(participantId));
    await agents.coach
      .post(newPath(participantId))
      .type('form')
      .send({ ...form, outcome: 'voicemail' });
    const managerCsrf = await csrfToken(agents.manager, newPath(participantId));
    const reuse = await agents.manager
      .post(newPath(participantId))
      .type('form')
      .send({ _csrf: managerCsrf, submissionToken: form.submissionToken, outcome: 'voicemail' });
    expect(reuse.status).toBe(422);
    expect(reuse.text).toContain('Dit formulier is verlopen.');
    expect(await contactsOf(participantId)).toHaveLength(1);
  });
});

describe('the quick-log of /today', () => {
  /** Exactly the fields views/today/index.ejs posts, with the outcome as the button's value. */
  async function quickLog(participantId: number, fields: Record<string, string>) {
    const csrf = await csrfToken(agents.coach, newPath(participantId));
    return agents.coach
      .post(newPath(participantId))
      .type('form')
      .send({
        _csrf: csrf,
        submissionToken: randomUUID(),
        returnTo: '/today',
        channel: 'phone',
        counterpart: 'participant',
        summary: '',
        durationMinutes: '10',
        nextShortcut: '',
        ...fields,
      });
  }

  test('a failed call and a reached one return to /today', async () => {
    const participantId = await addParticipant();
    const failed = await quickLog(participantId, { outcome: 'not_reached', nextShortcut: 'in10min' });
    expect(failed.status).toBe(303);
    // Back on /today, which confirms the log (?logged) and puts the focus on the message.
    expect(failed.headers.location).toMatch(/^\/today\?logged=\d+#today-status$/);
    const reached = await quickLog(participantId, { outcome: 'reached', summary: 'Toch bereikt', nextShortcut: 'in1week' });
    expect(reached.headers.location).toMatch(/^\/today\?logged=\d+#today-status$/);
    const rows = await contactsOf(participantId);
    expect(rows.map((row) => [row.outcome, row.duration_minutes, row.next_contact_date, row.next_contact_time])).toEqual([
      ['not_reached', 0, '2026-11-23', '10:10:00'],
      ['reached', 10, '2026-11-30', null],
    ]);
  });

  test('a quick-log without summary opens the full form, keeping /today as the way back', async () => {
    const participantId = await addParticipant();
    const response = await quickLog(participantId, { outcome: 'reached', summary: '' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('name="returnTo" value="/today"');
    expect(response.text).toContain('name="occurredDate" value="2026-11-23"');
    expect(response.text).toContain('name="occurredTime" value="10:00"');
    expect(response.text).toContain('href="/today"');
    expect(await contactsOf(participantId)).toHaveLength(0);
  });

  test('a return address off this site is ignored', async () => {
    const participantId = await addParticipant();
    const response = await quickLog(participantId, { outcome: 'voicemail', returnTo: '//evil.example/x' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=contactLogged#timeline`);
  });
});

describe('editing within 24 hours', () => {
  async function logAsCoach(participantId: number) {
    return loggedOne(agents.coach, participantId, {
      outcome: 'reached',
      summary: 'Eerste versie',
      durationMinutes: '20',
      wellbeingMood: '3',
    });
  }

  test('the author edits their contact; the change is versioned and audited without the text', async () => {
    const participantId = await addParticipant();
    const row = await logAsCoach(participantId);
    const editPath = `/participants/${participantId}/contacts/${row.id}/edit`;
    clock.advance({ hours: 23, minutes: 59 });
    const page = await agents.coach.get(editPath);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Eerste versie');
    expect(page.text).toContain('name="version" value="1"');
    expect(page.text).toContain('name="occurredDate" value="2026-11-23"');
    expect(page.text).toContain('wijzigen tot 24-11-2026 10:00');
    expect(page.text).not.toContain('name="nextShortcut"');

    const response = await agents.coach
      .post(editPath)
      .type('form')
      .send({
        _csrf: await csrfToken(agents.coach, editPath),
        version: '1',
        occurredDate: '23-11-2026',
        occurredTime: '09:30',
        channel: 'video',
        counterpart: 'participant',
        outcome: 'reached',
        durationMinutes: '45',
        summary: 'Tweede versie',
        wellbeingMood: '4',
      });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}/contacts/${row.id}?done=updated`);
    const [saved] = await contactsOf(participantId);
    expect(saved).toMatchObject({
      summary: 'Tweede versie',
      channel: 'video',
      duration_minutes: 45,
      wellbeing_mood: 4,
      version: 2,
    });
    expect(saved!.occurred_at.toISOString()).toBe('2026-11-23T08:30:00.000Z');
    const audit = await auditEventsOf(t.database.db, 'contact_moment', row.id);
    const update = audit.find((event) => event.action === 'update')!;
    expect(update).toMatchObject({ actor_user_id: coach.id, participant_id: participantId });
    expect((update.details as { changed: string[] }).changed.sort()).toEqual(
      ['channel', 'duration_minutes', 'occurred_at', 'summary', 'wellbeing_mood'].sort(),
    );
    expect(JSON.stringify(audit)).not.toContain('versie');

    const detail = await agents.coach.get(response.headers.location!);
    expect(detail.text).toContain('Het contactmoment is gewijzigd.');
    expect(detail.text).toContain('Tweede versie');

    // The form the author still had open at version 1 meets a conflict, with both versions.
    const stale = await agents.coach
      .post(editPath)
      .type('form')
      .send({
        _csrf: await csrfToken(agents.coach, editPath),
        version: '1',
        occurredDate: '23-11-2026',
        occurredTime: '09:30',
        outcome: 'reached',
        summary: 'Derde versie',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('Tweede versie');
    expect(stale.text).toContain('Derde versie');
    expect(stale.text).toContain('name="version" value="2"');
    expect((await contactsOf(participantId))[0]!.summary).toBe('Tweede versie');
  });

  test('after 24 hours the author can only add an addendum; what they typed waits there', async () => {
    const participantId = await addParticipant();
    const row = await logAsCoach(participantId);
    const editPath = `/participants/${participantId}/contacts/${row.id}/edit`;
    const csrf = await csrfToken(agents.coach, `/participants/${participantId}/contacts/${row.id}`);
    clock.advance({ hours: 24, minutes: 1 });
    const page = await agents.coach.get(editPath);
    expect(page.status).toBe(409);
    expect(page.text).toContain('meer dan 24 uur geleden vastgelegd');
    expect(page.text).toContain('Aanvulling toevoegen');
    expect(page.text).not.toContain('name="version"');

    const late = await agents.coach
      .post(editPath)
      .type('form')
      .send({ _csrf: csrf, version: '1', outcome: 'reached', summary: 'Te laat gewijzigd' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('meer dan 24 uur geleden vastgelegd');
    expect(late.text).toMatch(/<textarea id="body" name="body"[^>]*>Te laat gewijzigd<\/textarea>/);
    expect(await contactsOf(participantId)).toMatchObject([{ summary: 'Eerste versie', version: 1 }]);

    const detail = await agents.coach.get(`/participants/${participantId}/contacts/${row.id}`);
    expect(detail.text).not.toContain(`href="${editPath}"`);
  });

  test('someone else with access may not edit, even within the hour', async () => {
    const participantId = await addParticipant();
    const row = await logAsCoach(participantId);
    const editPath = `/participants/${participantId}/contacts/${row.id}/edit`;
    const authorDetail = await agents.coach.get(`/participants/${participantId}/contacts/${row.id}`);
    expect(authorDetail.text).toContain(`href="${editPath}"`);
    for (const agent of [agents.manager, agents.standIn, agents.admin]) {
      const detail = await agent.get(`/participants/${participantId}/contacts/${row.id}`);
      expect(detail.status).toBe(200);
      expect(detail.text).not.toContain(`href="${editPath}"`);
      const page = await agent.get(editPath);
      expect(page.status).toBe(409);
      const post = await agent
        .post(editPath)
        .type('form')
        .send({ _csrf: await csrfToken(agent, editPath), version: '1', outcome: 'reached', summary: 'Overschreven' });
      expect(post.status).toBe(409);
    }
    expect((await agents.manager.get(editPath)).text).toContain('Alleen wie dit contactmoment heeft vastgelegd');
    expect(await contactsOf(participantId)).toMatchObject([{ summary: 'Eerste versie', version: 1 }]);
  });

  test('an invalid edit is shown again with every value', async () => {
    const participantId = await addParticipant();
    const row = await logAsCoach(participantId);
    const editPath = `/participants/${participantId}/contacts/${row.id}/edit`;
    const response = await agents.coach
      .post(editPath)
      .type('form')
      .send({
        _csrf: await csrfToken(agents.coach, editPath),
        version: '1',
        outcome: 'reached',
        summary: '',
        durationMinutes: '700',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Er zijn 2 fouten in het formulier');
    expect(response.text).toContain('name="durationMinutes" value="700"');
    expect(response.text).toContain('name="version" value="1"');
  });
});

describe('addenda', () => {
  test('anyone with access adds one; it is shown, counted, audited and escaped', async () => {
    const participantId = await addParticipant();
    const row = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: SCRIPT });
    const detailPath = `/participants/${participantId}/contacts/${row.id}`;
    clock.advance({ days: 3 });

    const form = await openForm(agents.manager, detailPath);
    const empty = await agents.manager
      .post(`${detailPath}/addenda`)
      .type('form')
      .send({ ...form, body: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="body-error"');
    const tooLong = await agents.manager
      .post(`${detailPath}/addenda`)
      .type('form')
      .send({ ...form, body: 'x'.repeat(4001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Dit is te lang.');

    const body = { ...form, body: `Aanvulling: ${SCRIPT}` };
    const [first, second] = await Promise.all([
      agents.manager.post(`${detailPath}/addenda`).type('form').send(body),
      agents.manager.post(`${detailPath}/addenda`).type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const addenda = await t.database.db
      .selectFrom('contact_addenda')
      .selectAll()
      .where('contact_moment_id', '=', row.id)
      .execute();
    expect(addenda).toHaveLength(1);
    expect(addenda[0]).toMatchObject({ author_id: manager.id, body: `Aanvulling: ${SCRIPT}` });
    const location = [first.headers.location, second.headers.location].find((value) => value!.includes('done='))!;
    expect(location).toBe(`${detailPath}?done=addendumAdded#addendum-${addenda[0]!.id}`);

    const afterAdding = await agents.manager.get(location);
    expect(afterAdding.text).toContain('De aanvulling is toegevoegd.');
    const detail = await agents.coach.get(detailPath);
    expect(detail.text).toContain(`Aanvulling: ${SCRIPT_ESCAPED}`);
    expect(detail.text).toContain(SCRIPT_ESCAPED);
    expect(detail.text).not.toContain('<script>alert');
    expect(detail.text).toContain('Mila Manager');

    const audit = await auditEventsOf(t.database.db, 'contact_moment', row.id);
    expect(audit.filter((event) => event.action === 'addendum')).toEqual([
      { action: 'addendum', actor_user_id: manager.id, participant_id: participantId, details: { addendumId: addenda[0]!.id } },
    ]);
    expect(JSON.stringify(audit)).not.toContain('Aanvulling');
    expect(audit.some((event) => event.action === 'view' && event.actor_user_id === coach.id)).toBe(true);
  });
});

describe('the profile timeline', () => {
  const tz = 'Europe/Amsterdam';
  async function viewerOf(user: UserFixture, role: Viewer['role']): Promise<Viewer> {
    const row = await t.database.db.selectFrom('users').select('team_id').where('id', '=', user.id).executeTakeFirstOrThrow();
    return { userId: user.id, role, teamId: row.team_id, today: '2026-11-23', timeZone: 'Europe/Amsterdam' };
  }
  function renderTimeline(participant: { id: number; status: string }, timeline: ContactTimeline, locale: 'nl' | 'en' = 'nl') {
    return ejs.renderFile(path.resolve(__dirname, '../../views/contacts/_timeline.ejs'), {
      participant,
      timeline,
      t: translatorFor(locale),
      fmt: createFormatters(locale, tz),
    });
  }

  test('newest first, 20 a page, filtered by channel and outcome, with goals and addenda counted', async () => {
    const participantId = await addParticipant();
    const db = t.database.db;
    // 25 calls on consecutive days, every third not reached; a video call on the last day.
    for (let day = 1; day <= 25; day += 1) {
      await insertContactMoment(db, {
        participant_id: participantId,
        author_id: coach.id,
        occurred_at: `2026-10-${String(day).padStart(2, '0')}T09:00:00+02:00`,
        channel: 'phone',
        outcome: day % 3 === 0 ? 'not_reached' : 'reached',
        summary: day % 3 === 0 ? null : `Gesprek ${day}`,
        duration_minutes: day % 3 === 0 ? 0 : 15,
      });
    }
    const video = await insertContactMoment(db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: '2026-10-26T23:30:00+01:00',
      channel: 'video',
      outcome: 'reached',
      summary: SCRIPT,
      duration_minutes: 30,
      wellbeing_social: 1,
      next_contact_date: '2026-11-02',
      next_contact_time: '14:30',
    });
    const goal = await db
      .insertInto('goals')
      .values({
        participant_id: participantId,
        title: 'Sollicitatiebrief <b>schrijven</b>',
        life_domain: 'work',
        created_by: coach.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('goal_contact_links').values({ goal_id: goal.id, contact_moment_id: video }).execute();
    await db.insertInto('contact_addenda').values({ contact_moment_id: video, author_id: manager.id, body: 'Na' }).execute();
    await db.insertInto('contact_addenda').values({ contact_moment_id: video, author_id: manager.id, body: 'Nog een' }).execute();

    const viewer = await viewerOf(coach, 'coach');
    const first = await timelineForProfile(db, viewer, participantId, {}, tz);
    expect(first.rows).toHaveLength(20);
    expect(first.pagination).toMatchObject({ number: 1, total: 26, totalPages: 2, next: 2, previous: null });
    expect(first.rows[0]).toMatchObject({
      id: video,
      addendaCount: 2,
      goals: [{ id: goal.id, title: 'Sollicitatiebrief <b>schrijven</b>' }],
      occurredOn: '2026-10-26',
      occurredTime: '23:30',
    });
    expect(first.rows[1]!.summary).toBe('Gesprek 25');
    const second = await timelineForProfile(db, viewer, participantId, { tlPage: '2' }, tz);
    expect(second.rows.map((row) => row.summary)).toEqual([null, 'Gesprek 5', 'Gesprek 4', null, 'Gesprek 2', 'Gesprek 1']);
    const pastTheEnd = await timelineForProfile(db, viewer, participantId, { tlPage: '99' }, tz);
    expect(pastTheEnd.pagination.number).toBe(2);

    const notReached = await timelineForProfile(db, viewer, participantId, { tlChannel: 'phone', tlOutcome: 'not_reached' }, tz);
    expect(notReached.rows).toHaveLength(8);
    expect(notReached.rows.every((row) => row.outcome === 'not_reached' && row.channel === 'phone')).toBe(true);
    expect(notReached).toMatchObject({ isFiltered: true, totalAll: 26, baseQuery: 'tlChannel=phone&tlOutcome=not_reached' });
    const junk = await timelineForProfile(db, viewer, participantId, { tlChannel: 'pigeon', tlOutcome: ['x'], tlPage: '-3' }, tz);
    expect(junk).toMatchObject({ isFiltered: false, baseQuery: '' });
    expect(junk.pagination.number).toBe(1);

    const videoOnly = await timelineForProfile(db, viewer, participantId, { tlChannel: 'video' }, tz);
    const html = await renderTimeline({ id: participantId, status: 'active' }, videoOnly);
    expect(html).toContain('id="timeline"');
    expect(html).toContain(`href="/participants/${participantId}/contacts/new"`);
    expect(html).toContain(`action="/participants/${participantId}#timeline"`);
    expect(html).toMatch(/<option value="video" selected>/);
    expect(html).toContain(SCRIPT_ESCAPED);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Sollicitatiebrief &lt;b&gt;schrijven&lt;/b&gt;');
    expect(html).toContain('2 aanvullingen');
    expect(html).toContain('Sociale contacten 1 – Geïsoleerd');
    expect(html).toContain('Volgend contact: 02-11-2026 om 14:30');
    expect(html).toContain('26-10-2026 23:30');

    const pageOne = await renderTimeline({ id: participantId, status: 'active' }, notReached);
    expect(pageOne).not.toContain('tlPage=');
    const phoneCalls = await timelineForProfile(db, viewer, participantId, { tlChannel: 'phone' }, tz);
    expect(phoneCalls.pagination).toMatchObject({ total: 25, totalPages: 2 });
    const paged = await renderTimeline({ id: participantId, status: 'active' }, phoneCalls);
    expect(paged).toContain(`href="/participants/${participantId}?tlChannel=phone&amp;tlPage=2#timeline"`);
    expect(paged).toContain('1–20 van 25');
    const lastPage = await renderTimeline(
      { id: participantId, status: 'active' },
      await timelineForProfile(db, viewer, participantId, { tlChannel: 'phone', tlPage: '2' }, tz),
    );
    expect(lastPage).toContain(`href="/participants/${participantId}?tlChannel=phone&amp;tlPage=1#timeline"`);
    expect(lastPage).not.toContain('tlPage=3');

    const closedHtml = await renderTimeline({ id: participantId, status: 'closed' }, first, 'en');
    expect(closedHtml).not.toContain('/contacts/new');
    expect(closedHtml).toContain('Contact moments');
  });

  test('on the profile: a failed call and a reached one with a wellbeing check, newest first, filterable', async () => {
    const participantId = await addParticipant();
    const failed = await logContact(agents.coach, participantId, { outcome: 'not_reached', occurredTime: '09:15' });
    expect(failed.headers.location).toBe(`/participants/${participantId}?done=contactLogged#timeline`);
    await logContact(agents.coach, participantId, {
      outcome: 'reached',
      summary: 'Teruggebeld, gaat beter',
      wellbeingMood: '4',
      wellbeingSocial: '2',
      nextShortcut: 'in1week',
    });
    const profile = await agents.coach.get(failed.headers.location!);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('Het contactmoment is vastgelegd.');
    const timeline = profile.text.slice(profile.text.indexOf('id="timeline"'));
    expect(timeline).toContain('2 contactmomenten');
    expect(timeline.indexOf('Teruggebeld, gaat beter')).toBeLessThan(timeline.indexOf('Niet bereikt</span>'));
    expect(readable(timeline)).toContain('Stemming 4 – Goed, Sociale contacten 2 – Weinig contact');
    expect(timeline).toContain('Volgend contact: 30-11-2026');

    const filtered = await agents.coach.get(`/participants/${participantId}?tlOutcome=not_reached`);
    const filteredTimeline = filtered.text.slice(filtered.text.indexOf('id="timeline"'));
    expect(filteredTimeline).toContain('1 contactmoment');
    expect(filteredTimeline).not.toContain('Teruggebeld');
    expect(filteredTimeline).toContain('Filters wissen');
  });

  test("shows nothing of a participant outside the viewer's reach, and says what to do when empty", async () => {
    const participantId = await addParticipant();
    await insertContactMoment(t.database.db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: '2026-11-20T10:00:00+01:00',
      channel: 'phone',
      outcome: 'reached',
      summary: 'Geheim',
    });
    for (const [user, role] of [
      [otherCoach, 'coach'],
      [otherTeamManager, 'manager'],
    ] as const) {
      const timeline = await timelineForProfile(t.database.db, await viewerOf(user, role), participantId, {}, tz);
      expect(timeline.rows).toEqual([]);
      expect(timeline.totalAll).toBe(0);
    }
    const empty = await timelineForProfile(t.database.db, await viewerOf(coach, 'coach'), await addParticipant(), {}, tz);
    const html = await renderTimeline({ id: 1, status: 'active' }, empty);
    expect(html).toContain('Nog geen contactmomenten vastgelegd.');
    expect(html).toContain('Contact vastleggen');
  });
});

describe('coaching hours', () => {
  async function addTrajectory(participantId: number, fields: { start: string; end?: string; granted: number }) {
    return insertTrajectory(t.database.db, {
      participant_id: participantId,
      commissioner_id: commissioner,
      kind: 'jobcoaching',
      start_date: fields.start,
      actual_end_date: fields.end ?? null,
      outcome: fields.end ? 'regular_job' : null,
      granted_hours: fields.granted,
    });
  }
  function addMinutes(
    participantId: number,
    occurredAt: string,
    minutes: number,
    outcome: 'reached' | 'not_reached' = 'reached',
  ) {
    return insertContactMoment(t.database.db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: occurredAt,
      channel: 'phone',
      outcome,
      summary: outcome === 'reached' ? 'Gesprek' : null,
      duration_minutes: minutes,
    });
  }

  test('hours used count the contacts within the trajectory dates, by the day in Amsterdam', async () => {
    const participantId = await addParticipant();
    const closed = await addTrajectory(participantId, { start: '2026-01-01', end: '2026-06-30', granted: 10 });
    const open = await addTrajectory(participantId, { start: '2026-07-01', granted: 20 });
    // 31 December 23:30 in Amsterdam: before the first trajectory.
    await addMinutes(participantId, '2025-12-31T22:30:00Z', 600);
    // 1 January 00:30 in Amsterdam, still 31 December in UTC: inside.
    await addMinutes(participantId, '2025-12-31T23:30:00Z', 60);
    // 30 June 23:30 in Amsterdam (summer time): the last day of the closed trajectory.
    await addMinutes(participantId, '2026-06-30T21:30:00Z', 30);
    // 1 July 00:10 in Amsterdam, 30 June in UTC: the open trajectory's.
    await addMinutes(participantId, '2026-06-30T22:10:00Z', 45);
    await addMinutes(participantId, '2026-11-20T10:00:00+01:00', 0, 'not_reached');
    await addMinutes(participantId, '2026-11-21T10:00:00+01:00', 15);

    const hours = await hoursUsedOf(t.database.db, [closed, open], 'Europe/Amsterdam');
    expect(hours.get(closed)).toMatchObject({
      minutesUsed: 90,
      hoursUsed: 1.5,
      grantedHours: 10,
      percentUsed: 15,
      warning: null,
    });
    expect(hours.get(open)).toMatchObject({ minutesUsed: 60, hoursUsed: 1, grantedHours: 20, percentUsed: 5, warning: null });
    expect((await hoursUsedOf(t.database.db, [], 'Europe/Amsterdam')).size).toBe(0);

    const profile = await agents.coach.get(`/participants/${participantId}`);
    expect(profile.text).toContain('Uren gebruikt');
    expect(profile.text).toContain('1,5');
    expect(profile.text).toContain('(15 %)');
  });

  test('warns at 90 % and more strongly over 100 %, in words', async () => {
    const participantId = await addParticipant();
    await addTrajectory(participantId, { start: '2026-01-01', granted: 10 });
    await addMinutes(participantId, '2026-03-01T10:00:00+01:00', 539);
    let profile = await agents.coach.get(`/participants/${participantId}`);
    expect(profile.text).toContain('(89 %)');
    expect(profile.text).not.toContain('Let op:');

    await addMinutes(participantId, '2026-03-02T10:00:00+01:00', 1);
    profile = await agents.coach.get(`/participants/${participantId}`);
    expect(profile.text).toContain('(90 %)');
    expect(profile.text).toContain('Let op:');
    expect(profile.text).toContain('al 90 % of meer van de toegekende uren is gebruikt');
    expect(profile.text).not.toContain('Overschreden:');

    await addMinutes(participantId, '2026-03-03T10:00:00+01:00', 60);
    profile = await agents.coach.get(`/participants/${participantId}`);
    expect(profile.text).toContain('(100 %)');
    expect(profile.text).toContain('Let op:');

    await addMinutes(participantId, '2026-03-04T10:00:00+01:00', 1);
    profile = await agents.coach.get(`/participants/${participantId}`);
    expect(profile.text).toContain('Overschreden:');
    expect(profile.text).toContain('meer uren gebruikt dan toegekend');
    expect(profile.text).not.toContain('Let op:');

    const english = await agents.admin.get(`/participants/${participantId}`);
    expect(english.text).toContain('Exceeded:');
    expect(english.text).toContain('Hours used');
  });

  test('any time used against no granted hours is over the limit', async () => {
    const participantId = await addParticipant();
    const none = await addTrajectory(participantId, { start: '2026-01-01', granted: 0 });
    expect((await hoursUsedOf(t.database.db, [none], 'Europe/Amsterdam')).get(none)).toMatchObject({
      warning: null,
      percentUsed: null,
    });
    await addMinutes(participantId, '2026-03-01T10:00:00+01:00', 10);
    expect((await hoursUsedOf(t.database.db, [none], 'Europe/Amsterdam')).get(none)).toMatchObject({
      warning: 'overLimit',
      percentUsed: null,
    });
  });
});

describe('access', () => {
  type Who = keyof typeof agents;
  const CASELOAD: Who[] = ['coach', 'standIn', 'manager', 'admin'];
  const OUTSIDERS: Who[] = ['otherCoach', 'otherManager'];

  async function snapshot(): Promise<string> {
    const parts: string[] = [];
    for (const table of ['contact_moments', 'contact_addenda', 'goal_contact_links']) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1, 2`.execute(t.database.db);
      parts.push(JSON.stringify(rows.rows));
    }
    return parts.join('\n');
  }

  test('every contact route answers the caseload and 404s anyone else, changing nothing', async () => {
    const participantId = await addParticipant();
    const contact = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: 'Toegang' });
    const base = `/participants/${participantId}/contacts`;
    const reads = [`${base}/new`, `${base}/${contact.id}`];

    for (const who of [...CASELOAD, ...OUTSIDERS]) {
      for (const page of reads) {
        const response = await agents[who].get(page);
        expect(`${who} GET ${page}: ${response.status}`).toBe(`${who} GET ${page}: ${CASELOAD.includes(who) ? 200 : 404}`);
      }
      const edit = await agents[who].get(`${base}/${contact.id}/edit`);
      const expectedEdit = who === 'coach' ? 200 : CASELOAD.includes(who) ? 409 : 404;
      expect(`${who} GET edit: ${edit.status}`).toBe(`${who} GET edit: ${expectedEdit}`);
    }

    const before = await snapshot();
    for (const who of OUTSIDERS) {
      const csrf = await csrfToken(agents[who], '/account');
      const writes: Array<[string, Record<string, string>]> = [
        [`${base}/new`, { submissionToken: randomUUID(), outcome: 'reached', summary: 'Ingebroken' }],
        [`${base}/${contact.id}/edit`, { version: '1', outcome: 'reached', summary: 'Ingebroken' }],
        [`${base}/${contact.id}/addenda`, { submissionToken: randomUUID(), body: 'Ingebroken' }],
      ];
      for (const [url, body] of writes) {
        const response = await agents[who]
          .post(url)
          .type('form')
          .send({ _csrf: csrf, ...body });
        expect(`${who} POST ${url}: ${response.status}`).toBe(`${who} POST ${url}: 404`);
        expect(response.text).not.toContain('Toegang');
      }
    }
    expect(await snapshot()).toBe(before);

    const anonymous = request.agent(t.app);
    const signIn = await anonymous.get(`${base}/${contact.id}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toMatch(/^\/login/);
  });

  test('a contact is only found under its own participant; malformed ids are 404', async () => {
    const participantId = await addParticipant();
    const otherParticipant = await addParticipant();
    const contact = await loggedOne(agents.coach, participantId, { outcome: 'voicemail' });
    for (const page of [
      `/participants/${otherParticipant}/contacts/${contact.id}`,
      `/participants/${otherParticipant}/contacts/${contact.id}/edit`,
      `/participants/${participantId}/contacts/abc`,
      `/participants/${participantId}/contacts/99999999`,
      `/participants/x/contacts/new`,
    ]) {
      expect(`${page}: ${(await agents.coach.get(page)).status}`).toBe(`${page}: 404`);
    }
  });

  test('a closed participant keeps their contacts readable but takes no new ones, edits or addenda', async () => {
    const participantId = await addParticipant();
    const contact = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: 'Voor het afsluiten' });
    await t.database.db
      .updateTable('participants')
      .set({ status: 'closed', closed_on: '2026-11-23' })
      .where('id', '=', participantId)
      .execute();
    const base = `/participants/${participantId}/contacts`;
    const detail = await agents.coach.get(`${base}/${contact.id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Voor het afsluiten');
    expect(detail.text).not.toContain(`action="${base}/${contact.id}/addenda"`);
    expect(detail.text).not.toContain(`href="${base}/${contact.id}/edit"`);
    expect((await agents.coach.get(`${base}/new`)).status).toBe(404);
    expect((await agents.coach.get(`${base}/${contact.id}/edit`)).status).toBe(404);
    const csrf = await csrfToken(agents.coach, '/account');
    const before = await snapshot();
    for (const [url, body] of [
      [`${base}/new`, { submissionToken: randomUUID(), outcome: 'voicemail' }],
      [`${base}/${contact.id}/edit`, { version: '1', outcome: 'voicemail' }],
      [`${base}/${contact.id}/addenda`, { submissionToken: randomUUID(), body: 'Na afsluiten' }],
    ] as const) {
      const response = await agents.coach
        .post(url)
        .type('form')
        .send({ _csrf: csrf, ...body });
      expect(`${url}: ${response.status}`).toBe(`${url}: 404`);
    }
    expect(await snapshot()).toBe(before);
  });

  test('a stand-in logs contacts for the caseload they cover', async () => {
    const participantId = await addParticipant();
    const row = await loggedOne(agents.standIn, participantId, { outcome: 'reached', summary: 'Waarneming' });
    expect(row.author_id).toBe(standInCoach.id);
  });
});

describe('escaping', () => {
  test('summaries are escaped on the detail page and in a form shown again', async () => {
    const participantId = await addParticipant();
    const row = await loggedOne(agents.coach, participantId, { outcome: 'reached', summary: SCRIPT });
    expect(row.summary).toBe(SCRIPT);
    const detail = await agents.coach.get(`/participants/${participantId}/contacts/${row.id}`);
    expect(detail.text).toContain(SCRIPT_ESCAPED);
    expect(detail.text).not.toContain('<script>alert');
    const invalid = await logContact(agents.coach, participantId, {
      outcome: 'reached',
      summary: SCRIPT,
      durationMinutes: '999',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain(SCRIPT_ESCAPED);
    expect(invalid.text).not.toContain('<script>alert');
    const edit = await agents.coach.get(`/participants/${participantId}/contacts/${row.id}/edit`);
    expect(edit.text).toContain(SCRIPT_ESCAPED);
    expect(edit.text).not.toContain('<script>alert');
  });
});
