import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { FixedClock } from '../../src/lib/clock';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { auditEventsOf, insertParticipant, openForm } from '../helpers/fixtures';

const START = '2026-11-23T09:00:00+01:00';
const clock = new FixedClock(START);

let t: TestApp;
let manager: UserFixture;
let absentCoach: UserFixture;
let standinCoach: UserFixture;
let thirdCoach: UserFixture;
let otherManager: UserFixture;
let otherTeamCoach: UserFixture;
let admin: UserFixture;
let participantId: number;

beforeAll(async () => {
  t = await startTestApp({ clock });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mila Manager' });
  absentCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Afwezig' });
  standinCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Bram Waarnemer' });
  thirdCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Cees Collega' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid', displayName: 'Zoë Zuid' });
  otherTeamCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Zeno Zuidcoach' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  participantId = await insertParticipant(t.database.db, {
    first_name: 'Pieter',
    last_name: 'Privé',
    coach_id: absentCoach.id,
    status: 'active',
  });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

function newForm(agent: request.Agent) {
  return openForm(agent, '/standins/new');
}

async function arrange(agent: request.Agent, fields: Record<string, string>) {
  const form = await newForm(agent);
  return agent
    .post('/standins/new')
    .type('form')
    .send({ ...form, ...fields });
}

async function standinsOf(absentCoachId: number) {
  return t.database.db
    .selectFrom('coach_standins')
    .selectAll()
    .where('absent_coach_id', '=', absentCoachId)
    .orderBy('id')
    .execute();
}

function auditOf(standinId: number) {
  return auditEventsOf(t.database.db, 'standin', standinId);
}

/** What the standing-in coach sees on a given moment (signed in afresh: the clock moves the session's age too). */
async function standinCoachView(at: string) {
  clock.set(at);
  const agent = await signedInAgent(t.app, standinCoach);
  const list = await agent.get('/participants');
  const profile = await agent.get(`/participants/${participantId}`);
  return { listed: list.text.includes('Privé, Pieter'), list: list.text, profileStatus: profile.status };
}

describe('arranging a stand-in', () => {
  let standinId: number;

  test('a manager arranges one for two coaches of the team; it is stored, audited and listed as planned', async () => {
    const agent = await signedInAgent(t.app, manager);
    const form = await newForm(agent);
    const page = await agent.get('/standins/new');
    // Only the team's active coaches are offered.
    expect(page.text).toContain('Bram Waarnemer');
    expect(page.text).not.toContain('Zeno Zuidcoach');
    const response = await agent
      .post('/standins/new')
      .type('form')
      .send({
        ...form,
        absentCoachId: String(absentCoach.id),
        standinCoachId: String(standinCoach.id),
        startsOn: '01-12-2026',
        endsOn: '2026-12-05',
        note: '<script>alert("x")</script> overdracht',
        created_by: String(otherManager.id),
        cancelled_at: '2026-01-01',
      });
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/standins\?done=created#standin-\d+$/);
    const [stored] = await standinsOf(absentCoach.id);
    expect(stored).toMatchObject({
      standin_coach_id: standinCoach.id,
      starts_on: '2026-12-01',
      ends_on: '2026-12-05',
      created_by: manager.id,
      cancelled_at: null,
    });
    standinId = stored!.id;
    expect(await auditOf(standinId)).toEqual([
      {
        action: 'create',
        actor_user_id: manager.id,
        participant_id: null,
        details: {
          absentCoachId: absentCoach.id,
          standinCoachId: standinCoach.id,
          startsOn: '2026-12-01',
          endsOn: '2026-12-05',
          covers: 'caseload',
        },
      },
    ]);

    const list = await agent.get(response.headers.location!);
    expect(list.status).toBe(200);
    expect(list.text).toContain('De waarneming is geregeld.');
    const upcoming = list.text.slice(list.text.indexOf('id="upcoming-heading"'), list.text.indexOf('id="past-heading"'));
    expect(upcoming).toContain(`id="standin-${standinId}"`);
    expect(upcoming).toContain('01-12-2026<br>t/m 05-12-2026');
    // The note is shown as text, never as markup.
    expect(list.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; overdracht');
    expect(list.text).not.toContain('<script>alert');
  });

  test('the stand-in coach reaches the caseload from the first up to the last day, in the organisation time zone', async () => {
    const dayBefore = await standinCoachView('2026-11-30T23:30:00+01:00');
    expect(dayBefore.listed).toBe(false);
    expect(dayBefore.profileStatus).toBe(404);

    // 00:15 in Amsterdam is still 30 November in UTC: the organisation's day counts.
    const firstDay = await standinCoachView('2026-12-01T00:15:00+01:00');
    expect(firstDay.listed).toBe(true);
    expect(firstDay.list).toContain('waarneming');
    expect(firstDay.profileStatus).toBe(200);

    const lastDay = await standinCoachView('2026-12-05T23:45:00+01:00');
    expect(lastDay.listed).toBe(true);
    expect(lastDay.profileStatus).toBe(200);

    const dayAfter = await standinCoachView('2026-12-06T00:05:00+01:00');
    expect(dayAfter.listed).toBe(false);
    expect(dayAfter.profileStatus).toBe(404);

    // A colleague who is not the stand-in never sees the participant.
    clock.set('2026-12-03T10:00:00+01:00');
    const colleague = await signedInAgent(t.app, thirdCoach);
    expect((await colleague.get(`/participants/${participantId}`)).status).toBe(404);
  });

  test('coaches see their own stand-ins read-only; a coach not involved sees the empty state', async () => {
    clock.set('2026-12-02T10:00:00+01:00');
    const absent = await signedInAgent(t.app, absentCoach);
    const page = await absent.get('/standins');
    expect(page.status).toBe(200);
    const current = page.text.slice(page.text.indexOf('id="current-heading"'), page.text.indexOf('id="upcoming-heading"'));
    expect(current).toContain('Bram Waarnemer');
    expect(page.text).not.toContain(`/standins/${standinId}/cancel`);
    expect(page.text).not.toContain('href="/standins/new"');

    const uninvolved = await signedInAgent(t.app, thirdCoach);
    const empty = await uninvolved.get('/standins');
    expect(empty.text).toContain('class="empty-state"');
    expect(empty.text).toContain('Er zijn geen waarnemingen waarbij jij betrokken bent.');
    expect(empty.text).not.toContain('Anna Afwezig');
  });

  test('a coach cannot arrange stand-ins: the form and the post are a 404 and nothing is stored', async () => {
    const agent = await signedInAgent(t.app, standinCoach);
    expect((await agent.get('/standins/new')).status).toBe(404);
    const before = await standinsOf(standinCoach.id);
    const response = await agent
      .post('/standins/new')
      .type('form')
      .send({
        _csrf: await csrfToken(agent, '/standins'),
        submissionToken: '6b1b2c1e-8a6f-4a43-9d4b-3a1f7f0f0c11',
        absentCoachId: String(standinCoach.id),
        standinCoachId: String(thirdCoach.id),
        startsOn: '01-01-2027',
        endsOn: '10-01-2027',
      });
    expect(response.status).toBe(404);
    expect(await standinsOf(standinCoach.id)).toEqual(before);
  });

  test("a manager of another team cannot arrange or cancel this team's stand-ins, nor see them", async () => {
    const agent = await signedInAgent(t.app, otherManager);
    // Team Zuid has one coach: the form explains that a stand-in needs two.
    const page = await agent.get('/standins/new');
    expect(page.text).toContain('minstens twee actieve jobcoaches');
    expect(page.text).not.toContain('Anna Afwezig');
    const form = { _csrf: await csrfToken(agent, '/standins'), submissionToken: randomUUID() };
    expect(
      (
        await agent
          .post('/standins/new')
          .type('form')
          .send({
            ...form,
            absentCoachId: String(thirdCoach.id),
            standinCoachId: String(otherTeamCoach.id),
            startsOn: '01-01-2027',
            endsOn: '10-01-2027',
          })
      ).status,
    ).toBe(404);
    expect(await standinsOf(thirdCoach.id)).toEqual([]);

    expect((await agent.get(`/standins/${standinId}/cancel`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/standins');
    expect((await agent.post(`/standins/${standinId}/cancel`).type('form').send({ _csrf: csrf })).status).toBe(404);
    const [stored] = await standinsOf(absentCoach.id);
    expect(stored!.cancelled_at).toBeNull();
    expect(await auditOf(standinId)).toHaveLength(1);

    const list = await agent.get('/standins');
    expect(list.text).not.toContain('Anna Afwezig');
  });

  test('a coach cannot cancel, even their own stand-in', async () => {
    const agent = await signedInAgent(t.app, standinCoach);
    expect((await agent.get(`/standins/${standinId}/cancel`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/standins');
    expect((await agent.post(`/standins/${standinId}/cancel`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await standinsOf(absentCoach.id))[0]!.cancelled_at).toBeNull();
  });

  test('the manager cancels after a confirmation; access ends at once and the cancel is audited once', async () => {
    clock.set('2026-12-02T10:00:00+01:00');
    expect((await standinCoachView('2026-12-02T10:00:00+01:00')).profileStatus).toBe(200);

    const agent = await signedInAgent(t.app, manager);
    const confirm = await agent.get(`/standins/${standinId}/cancel`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Waarneming voor Anna Afwezig annuleren?');
    expect(confirm.text).toContain('&lt;script&gt;');
    const csrf = csrfTokenFrom(confirm.text);
    const response = await agent.post(`/standins/${standinId}/cancel`).type('form').send({ _csrf: csrf });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/standins?done=cancelled');
    expect((await standinsOf(absentCoach.id))[0]!.cancelled_at).not.toBeNull();

    const after = await standinCoachView('2026-12-02T10:05:00+01:00');
    expect(after.listed).toBe(false);
    expect(after.profileStatus).toBe(404);

    // A second click changes nothing and records nothing.
    const again = await agent.post(`/standins/${standinId}/cancel`).type('form').send({ _csrf: csrf });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/standins');
    const audit = await auditOf(standinId);
    expect(audit.map((event) => event.action)).toEqual(['create', 'cancel']);
    expect(audit[1]).toMatchObject({
      actor_user_id: manager.id,
      details: { absentCoachId: absentCoach.id, standinCoachId: standinCoach.id, startsOn: '2026-12-01', endsOn: '2026-12-05' },
    });

    const list = await agent.get('/standins');
    const past = list.text.slice(list.text.indexOf('id="past-heading"'));
    expect(past).toContain(`id="standin-${standinId}"`);
    expect(past).toContain('Geannuleerd op 02-12-2026');
  });
});

describe('stand-in form validation', () => {
  test('the same coach twice and an end before the start: 422, a message at each field, every value kept', async () => {
    const agent = await signedInAgent(t.app, manager);
    const response = await arrange(agent, {
      absentCoachId: String(absentCoach.id),
      standinCoachId: String(absentCoach.id),
      startsOn: '10-01-2027',
      endsOn: '09-01-2027',
      note: 'Tijdens "verlof"',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('Kies een andere jobcoach dan de afwezige coach.');
    expect(response.text).toContain('De einddatum ligt vóór de begindatum.');
    expect(response.text).toContain('value="2027-01-10"');
    expect(response.text).toContain('value="2027-01-09"');
    expect(response.text).toContain('Tijdens &#34;verlof&#34;</textarea>');
    expect(response.text).toMatch(new RegExp(`<option value="${absentCoach.id}" selected>`));
    expect(await standinsOf(absentCoach.id)).toHaveLength(1);
  });

  test('missing and malformed fields get their own messages, and the date rule is still checked', async () => {
    const agent = await signedInAgent(t.app, manager);
    const response = await arrange(agent, {
      absentCoachId: '',
      standinCoachId: String(standinCoach.id),
      startsOn: '31-02-2027',
      endsOn: '',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Kies een van de mogelijkheden.');
    expect(response.text).toContain('Vul een datum in als dd-mm-jjjj');
    expect(response.text).toContain('Vul dit veld in.');
    expect(response.text).toContain('value="31-02-2027"');

    const reversed = await arrange(agent, {
      absentCoachId: '',
      standinCoachId: String(standinCoach.id),
      startsOn: '10-01-2027',
      endsOn: '01-01-2027',
    });
    expect(reversed.text).toContain('De einddatum ligt vóór de begindatum.');
  });

  test('a period that is already over is refused', async () => {
    const agent = await signedInAgent(t.app, manager);
    const response = await arrange(agent, {
      absentCoachId: String(thirdCoach.id),
      standinCoachId: String(standinCoach.id),
      startsOn: '01-11-2026',
      endsOn: '22-11-2026',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Deze periode is al voorbij.');
    expect(await standinsOf(thirdCoach.id)).toEqual([]);
  });

  test('an overlapping stand-in for the same absent coach is refused with a clear message; a cancelled one does not count', async () => {
    const agent = await signedInAgent(t.app, manager);
    const first = await arrange(agent, {
      absentCoachId: String(absentCoach.id),
      standinCoachId: String(thirdCoach.id),
      startsOn: '10-12-2026',
      endsOn: '20-12-2026',
    });
    expect(first.status).toBe(303);
    const overlapping = await arrange(agent, {
      absentCoachId: String(absentCoach.id),
      standinCoachId: String(standinCoach.id),
      startsOn: '20-12-2026',
      endsOn: '24-12-2026',
    });
    expect(overlapping.status).toBe(422);
    expect(overlapping.text).toContain('Voor deze jobcoach is in deze periode al een waarneming geregeld.');
    expect(overlapping.text).toContain('Cees Collega neemt al waar voor deze jobcoach van 10-12-2026 t/m 20-12-2026.');
    expect(overlapping.text).toContain('value="2026-12-20"');
    expect(overlapping.text).toContain('id="startsOn-error"');

    // The first (cancelled) stand-in covered 1–5 December: that period is free again.
    const inCancelledPeriod = await arrange(agent, {
      absentCoachId: String(absentCoach.id),
      standinCoachId: String(standinCoach.id),
      startsOn: '01-12-2026',
      endsOn: '09-12-2026',
    });
    expect(inCancelledPeriod.status).toBe(303);
    expect((await standinsOf(absentCoach.id)).filter((row) => row.cancelled_at === null)).toHaveLength(2);
  });

  test('submitting the same form twice stores one stand-in and both land on it', async () => {
    const agent = await signedInAgent(t.app, manager);
    const form = await newForm(agent);
    const body = {
      ...form,
      absentCoachId: String(thirdCoach.id),
      standinCoachId: String(standinCoach.id),
      startsOn: '04-01-2027',
      endsOn: '08-01-2027',
    };
    const [first, second] = await Promise.all([
      agent.post('/standins/new').type('form').send(body),
      agent.post('/standins/new').type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const locations = [first.headers.location, second.headers.location].map((l) => l!.replace('?done=created', ''));
    expect(locations[0]).toBe(locations[1]);
    const stored = await standinsOf(thirdCoach.id);
    expect(stored).toHaveLength(1);
    expect(await auditOf(stored[0]!.id)).toHaveLength(1);
  });
});

describe('stand-ins for an administrator', () => {
  test('an admin sees every team and may pair coaches of different teams', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/standins/new');
    expect(page.text).toContain('Zeno Zuidcoach');
    const response = await arrange(agent, {
      absentCoachId: String(otherTeamCoach.id),
      standinCoachId: String(standinCoach.id),
      startsOn: '23-11-2026',
      endsOn: '23-11-2026',
    });
    expect(response.status).toBe(303);
    const list = await agent.get('/standins');
    expect(list.text).toContain('Anna Afwezig');
    expect(list.text).toContain('Zeno Zuidcoach');

    // The stand-in concerns a Zuid caseload: its manager may cancel it, the Noord manager sees it read-only.
    const [stored] = await standinsOf(otherTeamCoach.id);
    const noord = await signedInAgent(t.app, manager);
    const noordList = await noord.get('/standins');
    expect(noordList.text).toContain(`id="standin-${stored!.id}"`);
    expect(noordList.text).not.toContain(`/standins/${stored!.id}/cancel`);
    const zuid = await signedInAgent(t.app, otherManager);
    expect((await zuid.get(`/standins/${stored!.id}/cancel`)).status).toBe(200);
  });
});
