import path from 'node:path';
import { randomUUID } from 'node:crypto';
import ejs from 'ejs';
import { VIEWS_DIR } from '../../src/app';
import { FixedClock } from '../../src/lib/clock';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { goalsForProfile, openGoalOptions } from '../../src/goals/service';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import {
  auditEventsOf,
  formTokensFrom,
  insertContactMoment,
  insertGoal,
  insertParticipant,
  insertStandin,
  linkGoalToContact,
  versionFrom,
} from '../helpers/fixtures';

// The clock stands on Monday 23-11-2026, 09:00 in Europe/Amsterdam unless a test moves it.
const START = '2026-11-23T09:00:00+01:00';
const clock = new FixedClock(START);

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let standIn: UserFixture;
let manager: UserFixture;
let otherManager: UserFixture;
let admin: UserFixture;

const TRICKY = `<script>alert("g")</script> Werk & "rust" 'nu'`;
const TRICKY_ESCAPED = '&lt;script&gt;alert(&#34;g&#34;)&lt;/script&gt; Werk &amp; &#34;rust&#34; &#39;nu&#39;';

function addParticipant(lastName: string, coachId = coach.id, status: 'active' | 'closed' = 'active') {
  return insertParticipant(t.database.db, {
    first_name: 'Noor',
    last_name: lastName,
    coach_id: coachId,
    status,
    closed_on: status === 'closed' ? '2026-11-01' : null,
  });
}

function addGoal(participantId: number, values: Partial<Parameters<typeof insertGoal>[1]> = {}) {
  return insertGoal(t.database.db, {
    participant_id: participantId,
    title: 'Elke ochtend om 8 uur op',
    life_domain: 'daily_structure',
    created_by: coach.id,
    ...values,
  });
}

function goalRow(id: number) {
  return t.database.db.selectFrom('goals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function progressRows(goalId: number) {
  return t.database.db
    .selectFrom('goal_progress')
    .select(['status', 'note', 'author_id'])
    .where('goal_id', '=', goalId)
    .orderBy('id')
    .execute();
}

async function goalsAndProgressOf(participantId: number) {
  const goals = await t.database.db
    .selectFrom('goals')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
  const progress = await t.database.db
    .selectFrom('goal_progress')
    .innerJoin('goals', 'goals.id', 'goal_progress.goal_id')
    .selectAll('goal_progress')
    .where('goals.participant_id', '=', participantId)
    .orderBy('goal_progress.id')
    .execute();
  return { goals, progress };
}

const goalsPath = (participantId: number) => `/participants/${participantId}/goals`;
const goalPath = (participantId: number, goalId: number) => `${goalsPath(participantId)}/${goalId}`;

const validGoal = {
  title: 'Drie keer per week naar de kringloop',
  description: 'Start met twee ochtenden en bouw op.',
  lifeDomain: 'work',
  targetDate: '31-12-2026',
  agreedWithParticipant: 'yes',
};

async function createThroughForm(agent: Awaited<ReturnType<typeof signedInAgent>>, participantId: number, fields = {}) {
  const form = await agent.get(`${goalsPath(participantId)}/new`);
  expect(form.status).toBe(200);
  const response = await agent
    .post(`${goalsPath(participantId)}/new`)
    .type('form')
    .send({ ...formTokensFrom(form.text), ...validGoal, ...fields });
  expect(response.status).toBe(303);
  const match = /\/goals\/(\d+)/.exec(response.headers.location!);
  return { id: Number(match![1]), location: response.headers.location! };
}

async function postProgress(
  agent: Awaited<ReturnType<typeof signedInAgent>>,
  participantId: number,
  goalId: number,
  body: Record<string, string>,
) {
  const page = await agent.get(goalPath(participantId, goalId));
  return agent
    .post(`${goalPath(participantId, goalId)}/progress`)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), version: versionFrom(page.text), ...body });
}

/** The profile's goals section as the profile page renders it. */
async function renderProfileSection(participantId: number, status: 'active' | 'closed' = 'active', locale: 'nl' | 'en' = 'nl') {
  const goals = await goalsForProfile(t.database.db, participantId, '2026-11-23');
  return ejs.renderFile(path.join(VIEWS_DIR, 'goals', '_profile-section.ejs'), {
    participant: { id: participantId, status, firstName: 'Noor', lastName: 'Test' },
    goals,
    t: translatorFor(locale),
    fmt: createFormatters(locale, 'Europe/Amsterdam'),
  });
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Olga Coach' });
  standIn = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Wim Waarnemer' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin' });
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

describe('creating a goal', () => {
  test('stores the goal as open, audits it without its text and shows it with a notice', async () => {
    const participantId = await addParticipant('Nieuw');
    const other = await addParticipant('Ander');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${goalsPath(participantId)}/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="agreedWithParticipant"');
    const response = await agent
      .post(`${goalsPath(participantId)}/new`)
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        ...validGoal,
        // Crafted fields the form does not show are ignored.
        status: 'achieved',
        achievedOn: '01-11-2026',
        participantId: String(other),
        createdBy: String(otherCoach.id),
        version: '7',
      });
    expect(response.status).toBe(303);
    const stored = await t.database.db
      .selectFrom('goals')
      .selectAll()
      .where('participant_id', '=', participantId)
      .executeTakeFirstOrThrow();
    expect(response.headers.location).toBe(`${goalPath(participantId, stored.id)}?done=created`);
    expect(stored).toMatchObject({
      title: 'Drie keer per week naar de kringloop',
      description: 'Start met twee ochtenden en bouw op.',
      life_domain: 'work',
      target_date: '2026-12-31',
      agreed_with_participant: true,
      status: 'open',
      achieved_on: null,
      created_by: coach.id,
      version: 1,
    });
    expect(await goalsAndProgressOf(other)).toEqual({ goals: [], progress: [] });

    const audit = await auditEventsOf(t.database.db, 'goal', stored.id);
    expect(audit).toEqual([
      {
        action: 'create',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: { lifeDomain: 'work', targetDate: '2026-12-31', agreedWithParticipant: true },
      },
    ]);

    const detail = await agent.get(response.headers.location!);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Het doel is opgeslagen.');
    expect(detail.text).toContain('Drie keer per week naar de kringloop');
    expect(detail.text).toContain('31-12-2026');
    expect(detail.text).toContain('Werk');
    expect(detail.text).toContain('Nog geen voortgang vastgelegd.');
    expect(detail.text).toContain(`action="${goalPath(participantId, stored.id)}/progress"`);
    expect(detail.text).toContain(`href="${goalPath(participantId, stored.id)}/edit"`);
  });

  test('without the checkbox the goal is not (yet) agreed; an empty target date is fine', async () => {
    const participantId = await addParticipant('Zonder');
    const agent = await signedInAgent(t.app, coach);
    const { id } = await createThroughForm(agent, participantId, { agreedWithParticipant: undefined, targetDate: '' });
    expect(await goalRow(id)).toMatchObject({ agreed_with_participant: false, target_date: null });
  });

  test('invalid input answers 422 with every message and every typed value, and stores nothing', async () => {
    const participantId = await addParticipant('Fout');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${goalsPath(participantId)}/new`);
    const response = await agent
      .post(`${goalsPath(participantId)}/new`)
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        title: '   ',
        description: 'Mijn toelichting',
        lifeDomain: 'sport',
        targetDate: '31-13-2026',
        agreedWithParticipant: 'yes',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Er zijn 3 fouten in het formulier');
    expect(response.text).toContain('Vul dit veld in.');
    expect(response.text).toContain('Kies een van de mogelijkheden.');
    expect(response.text).toContain('Vul een datum in als dd-mm-jjjj');
    expect(response.text).toContain('>Mijn toelichting</textarea>');
    expect(response.text).toContain('value="31-13-2026"');
    expect(response.text).toMatch(/name="agreedWithParticipant" value="yes"[^>]*checked/);
    expect(response.text).toContain(`name="submissionToken" value="${formTokensFrom(form.text).submissionToken}"`);

    const tooLong = await agent
      .post(`${goalsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...validGoal, title: 'x'.repeat(201) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Dit is te lang.');
    expect((await goalsAndProgressOf(participantId)).goals).toEqual([]);
  });

  test('submitting the same form twice stores one goal and lands on it', async () => {
    const participantId = await addParticipant('Dubbel');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${goalsPath(participantId)}/new`);
    const body = { ...formTokensFrom(form.text), ...validGoal };
    const first = await agent
      .post(`${goalsPath(participantId)}/new`)
      .type('form')
      .send(body);
    const second = await agent
      .post(`${goalsPath(participantId)}/new`)
      .type('form')
      .send(body);
    expect([first.status, second.status]).toEqual([303, 303]);
    const { goals } = await goalsAndProgressOf(participantId);
    expect(goals).toHaveLength(1);
    expect(first.headers.location).toBe(`${goalPath(participantId, goals[0]!.id)}?done=created`);
    expect(second.headers.location).toBe(goalPath(participantId, goals[0]!.id));
    expect(await auditEventsOf(t.database.db, 'goal', goals[0]!.id)).toHaveLength(1);
  });
});

describe('editing a goal', () => {
  test('the form shows the stored values; saving bumps the version and audits what changed', async () => {
    const participantId = await addParticipant('Wijzig');
    const goalId = await addGoal(participantId, {
      target_date: '2027-01-15',
      agreed_with_participant: true,
      status: 'in_progress',
    });
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${goalPath(participantId, goalId)}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Elke ochtend om 8 uur op"');
    expect(form.text).toContain('value="2027-01-15"');
    expect(form.text).toMatch(/name="agreedWithParticipant" value="yes"[^>]*checked/);
    expect(form.text).toContain('<option value="daily_structure" selected>');

    const response = await agent
      .post(`${goalPath(participantId, goalId)}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        version: versionFrom(form.text),
        title: 'Elke ochtend om half 8 op',
        description: '',
        lifeDomain: 'daily_structure',
        targetDate: '2027-02-01',
        // Unticked: the checkbox sends nothing. A crafted status changes nothing.
        status: 'achieved',
      });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${goalPath(participantId, goalId)}?done=updated`);
    expect(await goalRow(goalId)).toMatchObject({
      title: 'Elke ochtend om half 8 op',
      description: null,
      target_date: '2027-02-01',
      agreed_with_participant: false,
      status: 'in_progress',
      achieved_on: null,
      version: 2,
    });
    const audit = await auditEventsOf(t.database.db, 'goal', goalId);
    expect(audit).toEqual([
      {
        action: 'update',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: {
          changedFields: ['title', 'targetDate', 'agreedWithParticipant'],
          changes: {
            targetDate: { from: '2027-01-15', to: '2027-02-01' },
            agreedWithParticipant: { from: true, to: false },
          },
        },
      },
    ]);
    expect((await agent.get(response.headers.location!)).text).toContain('De wijzigingen zijn opgeslagen.');
  });

  test('invalid input answers 422 and keeps the values', async () => {
    const participantId = await addParticipant('WijzigFout');
    const goalId = await addGoal(participantId);
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${goalPath(participantId, goalId)}/edit`);
    const response = await agent
      .post(`${goalPath(participantId, goalId)}/edit`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), version: '1', title: 'Nieuwe titel', lifeDomain: '', targetDate: 'morgen' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('value="Nieuwe titel"');
    expect(response.text).toContain('value="morgen"');
    expect(response.text).toContain('name="version" value="1"');
    expect(await goalRow(goalId)).toMatchObject({ title: 'Elke ochtend om 8 uur op', version: 1 });
  });

  test('a stale form gets the conflict page with both versions and changes nothing', async () => {
    const participantId = await addParticipant('Conflict');
    const goalId = await addGoal(participantId);
    const agent = await signedInAgent(t.app, coach);
    const mine = await agent.get(`${goalPath(participantId, goalId)}/edit`);
    const managerAgent = await signedInAgent(t.app, manager);
    const theirs = await managerAgent.get(`${goalPath(participantId, goalId)}/edit`);
    const saved = await managerAgent
      .post(`${goalPath(participantId, goalId)}/edit`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(theirs.text), version: '1', title: 'Door de teamleider', lifeDomain: 'social' });
    expect(saved.status).toBe(303);

    const stale = await agent
      .post(`${goalPath(participantId, goalId)}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(mine.text),
        version: '1',
        title: 'Door de coach',
        lifeDomain: 'work',
        agreedWithParticipant: 'yes',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('Door de teamleider');
    expect(stale.text).toContain('Door de coach');
    expect(stale.text).toContain('Sociale contacten');
    expect(stale.text).toContain('name="version" value="2"');
    expect(await goalRow(goalId)).toMatchObject({ title: 'Door de teamleider', life_domain: 'social', version: 2 });

    // "Save mine anyway" posts the same input against the current version.
    const again = await agent
      .post(`${goalPath(participantId, goalId)}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(stale.text),
        version: '2',
        title: 'Door de coach',
        lifeDomain: 'work',
        agreedWithParticipant: 'yes',
      });
    expect(again.status).toBe(303);
    expect(await goalRow(goalId)).toMatchObject({ title: 'Door de coach', life_domain: 'work', agreed_with_participant: true });
  });
});

describe('progress on a goal', () => {
  test('each update needs a note, moves the status, bumps the version and is listed newest first', async () => {
    const participantId = await addParticipant('Voortgang');
    const goalId = await addGoal(participantId);
    let agent = await signedInAgent(t.app, coach);

    const missingNote = await postProgress(agent, participantId, goalId, { status: 'in_progress', note: ' ' });
    expect(missingNote.status).toBe(422);
    expect(missingNote.text).toContain('Vul dit veld in.');
    expect(missingNote.text).toContain('<option value="in_progress" selected>');
    const badStatus = await postProgress(agent, participantId, goalId, { status: 'finished', note: 'Klaar' });
    expect(badStatus.status).toBe(422);
    expect(badStatus.text).toContain('>Klaar</textarea>');
    expect(await progressRows(goalId)).toEqual([]);

    const first = await postProgress(agent, participantId, goalId, {
      status: 'in_progress',
      note: 'Eerste week drie keer gelukt.',
    });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${goalPath(participantId, goalId)}?done=progress`);
    // Sessions end after a working day: two days on, the coach signs in again.
    clock.advance({ days: 2 });
    agent = await signedInAgent(t.app, coach);
    await postProgress(agent, participantId, goalId, { status: 'in_progress', note: 'Tweede week twee keer.' });

    expect(await goalRow(goalId)).toMatchObject({ status: 'in_progress', achieved_on: null, version: 3 });
    expect(await progressRows(goalId)).toEqual([
      { status: 'in_progress', note: 'Eerste week drie keer gelukt.', author_id: coach.id },
      { status: 'in_progress', note: 'Tweede week twee keer.', author_id: coach.id },
    ]);
    const page = await agent.get(`${goalPath(participantId, goalId)}?done=progress`);
    expect(page.text).toContain('De voortgang is vastgelegd.');
    expect(page.text.indexOf('Tweede week twee keer.')).toBeLessThan(page.text.indexOf('Eerste week drie keer gelukt.'));
    expect(page.text).toContain('25-11-2026 09:00 · Daan Coach');
    const audit = await auditEventsOf(t.database.db, 'goal', goalId);
    expect(audit.filter((event) => event.action === 'progress').map((event) => event.details)).toEqual([
      expect.objectContaining({ statusBefore: 'open', status: 'in_progress', achievedOn: null }),
      expect.objectContaining({ statusBefore: 'in_progress', status: 'in_progress', achievedOn: null }),
    ]);
    // The notes themselves stay out of the audit trail.
    expect(JSON.stringify(audit)).not.toContain('week');
  });

  test('achieving records today in Amsterdam, a later note keeps that day, leaving achieved clears it', async () => {
    const participantId = await addParticipant('Behaald');
    const goalId = await addGoal(participantId, { status: 'in_progress' });
    // 23:30 UTC on the 23rd is already the 24th in Amsterdam.
    clock.set('2026-11-23T23:30:00Z');
    let agent = await signedInAgent(t.app, coach);
    const achieved = await postProgress(agent, participantId, goalId, { status: 'achieved', note: 'Drie weken lang gelukt!' });
    expect(achieved.status).toBe(303);
    expect(await goalRow(goalId)).toMatchObject({ status: 'achieved', achieved_on: '2026-11-24' });
    const page = await agent.get(goalPath(participantId, goalId));
    expect(page.text).toContain('Behaald op 24-11-2026');

    clock.set('2026-12-10T10:00:00+01:00');
    agent = await signedInAgent(t.app, coach);
    await postProgress(agent, participantId, goalId, { status: 'achieved', note: 'Houdt het vol.' });
    expect(await goalRow(goalId)).toMatchObject({ status: 'achieved', achieved_on: '2026-11-24' });

    await postProgress(agent, participantId, goalId, { status: 'in_progress', note: 'Terugval na de feestdagen.' });
    expect(await goalRow(goalId)).toMatchObject({ status: 'in_progress', achieved_on: null, version: 4 });
    const audit = await auditEventsOf(t.database.db, 'goal', goalId);
    expect(audit.filter((event) => event.action === 'progress').map((event) => event.details)).toEqual([
      expect.objectContaining({ statusBefore: 'in_progress', status: 'achieved', achievedOn: '2026-11-24' }),
      expect.objectContaining({ statusBefore: 'achieved', status: 'achieved', achievedOn: '2026-11-24' }),
      expect.objectContaining({ statusBefore: 'achieved', status: 'in_progress', achievedOn: null }),
    ]);
  });

  test('a stale progress form shows the goal as it is now, keeps the note and stores nothing', async () => {
    const participantId = await addParticipant('VoortgangConflict');
    const goalId = await addGoal(participantId);
    const agent = await signedInAgent(t.app, coach);
    const mine = await agent.get(goalPath(participantId, goalId));
    const managerAgent = await signedInAgent(t.app, manager);
    expect(
      (await postProgress(managerAgent, participantId, goalId, { status: 'dropped', note: 'Niet meer haalbaar.' })).status,
    ).toBe(303);

    const stale = await agent
      .post(`${goalPath(participantId, goalId)}/progress`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(mine.text), version: versionFrom(mine.text), status: 'achieved', note: 'Mijn notitie' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit doel intussen gewijzigd');
    expect(stale.text).toContain('Niet meer haalbaar.');
    expect(stale.text).toContain('>Mijn notitie</textarea>');
    expect(stale.text).toContain('name="version" value="2"');
    expect(await goalRow(goalId)).toMatchObject({ status: 'dropped', achieved_on: null, version: 2 });
    expect(await progressRows(goalId)).toHaveLength(1);
  });
});

describe('goals on the profile', () => {
  test('are grouped by status, flag a passed target date and show the latest progress note', async () => {
    const participantId = await addParticipant('Profiel');
    const passed = await addGoal(participantId, {
      title: 'Schulden in kaart',
      life_domain: 'finances',
      target_date: '2026-11-22',
    });
    const dueToday = await addGoal(participantId, { title: 'Cv af', life_domain: 'work', target_date: '2026-11-23' });
    const busy = await addGoal(participantId, { title: 'Taalcafé', life_domain: 'language', status: 'in_progress' });
    const achieved = await addGoal(participantId, {
      title: 'Fiets gerepareerd',
      life_domain: 'other',
      target_date: '2026-10-01',
      status: 'achieved',
      achieved_on: '2026-10-05',
    });
    const dropped = await addGoal(participantId, {
      title: 'Sportschool',
      life_domain: 'health',
      target_date: '2026-09-01',
      status: 'dropped',
    });
    await t.database.db
      .insertInto('goal_progress')
      .values([
        { goal_id: busy, author_id: coach.id, status: 'in_progress', note: 'Oude notitie', created_at: '2026-11-01T10:00:00Z' },
        {
          goal_id: busy,
          author_id: coach.id,
          status: 'in_progress',
          note: 'Nieuwste notitie',
          created_at: '2026-11-20T10:00:00Z',
        },
      ])
      .execute();

    const goals = await goalsForProfile(t.database.db, participantId, '2026-11-23');
    expect(goals.total).toBe(5);
    expect(goals.targetPassedCount).toBe(1);
    expect(goals.groups.map((group) => [group.status, group.goals.map((goal) => goal.id)])).toEqual([
      ['open', [passed, dueToday]],
      ['in_progress', [busy]],
      ['achieved', [achieved]],
      ['dropped', [dropped]],
    ]);
    const flags = Object.fromEntries(goals.groups.flatMap((group) => group.goals).map((goal) => [goal.id, goal.targetPassed]));
    expect(flags).toEqual({ [passed]: true, [dueToday]: false, [busy]: false, [achieved]: false, [dropped]: false });
    expect(goals.groups[1]!.goals[0]!.latestNote).toBe('Nieuwste notitie');

    const html = await renderProfileSection(participantId);
    expect(html).toContain('Open (2)');
    expect(html).toContain('Mee bezig (1)');
    expect(html).toContain('Behaald (1)');
    expect(html).toContain('Gestopt (1)');
    expect(html.match(/Streefdatum verstreken/g)).toHaveLength(1);
    expect(html).toContain('Streefdatum 22-11-2026');
    expect(html).toContain('Behaald op 05-10-2026');
    expect(html).toContain('Laatste voortgang (20-11-2026):</span> Nieuwste notitie');
    expect(html).not.toContain('Oude notitie');
    expect(html).toContain(`href="${goalsPath(participantId)}/new"`);
    expect(html).toContain(`href="${goalPath(participantId, passed)}"`);
    expect(html.indexOf('Open (2)')).toBeLessThan(html.indexOf('Mee bezig (1)'));
    expect(html.indexOf('Behaald (1)')).toBeLessThan(html.indexOf('Gestopt (1)'));

    const english = await renderProfileSection(participantId, 'active', 'en');
    expect(english).toContain('In progress (1)');
    expect(english).toContain('Target date passed');
  });

  test('an empty section says what to do; a closed participant gets no create link', async () => {
    const participantId = await addParticipant('Leeg');
    const html = await renderProfileSection(participantId);
    expect(html).toContain('Nog geen doelen vastgelegd.');
    expect(html).toContain('Nieuw doel');
    const closed = await renderProfileSection(participantId, 'closed');
    expect(closed).toContain('Nog geen doelen vastgelegd.');
    expect(closed).not.toContain('/goals/new');
  });

  test('the contact form can offer the goals still being worked on, of this participant only', async () => {
    const participantId = await addParticipant('Opties');
    const open = await addGoal(participantId, { title: 'Open doel', life_domain: 'social' });
    const busy = await addGoal(participantId, { title: 'Bezig doel', status: 'in_progress' });
    await addGoal(participantId, { title: 'Klaar', status: 'achieved', achieved_on: '2026-11-01' });
    await addGoal(participantId, { title: 'Weg', status: 'dropped' });
    await addGoal(await addParticipant('Ander'), { title: 'Van een ander' });
    expect(await openGoalOptions(t.database.db, participantId)).toEqual([
      { id: open, title: 'Open doel', lifeDomain: 'social' },
      { id: busy, title: 'Bezig doel', lifeDomain: 'daily_structure' },
    ]);
  });
});

describe("a goal's page", () => {
  test('lists the linked contact moments newest first with date, channel and outcome, and records the view', async () => {
    const participantId = await addParticipant('Contacten');
    const otherParticipant = await addParticipant('Buurman');
    const goalId = await addGoal(participantId);
    const older = await insertContactMoment(t.database.db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: '2026-11-10T13:15:00Z',
      channel: 'workplace_visit',
      outcome: 'reached',
      duration_minutes: 45,
      summary: 'Samen naar de werkplek gekeken.',
    });
    const newer = await insertContactMoment(t.database.db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: '2026-11-20T08:30:00Z',
      channel: 'phone',
      outcome: 'not_reached',
    });
    const unlinked = await insertContactMoment(t.database.db, {
      participant_id: participantId,
      author_id: coach.id,
      occurred_at: '2026-11-21T08:30:00Z',
      channel: 'video',
      outcome: 'reached',
      summary: 'Niet gekoppeld',
    });
    // A link to another participant's contact (which the app never makes) is not shown either.
    const foreign = await insertContactMoment(t.database.db, {
      participant_id: otherParticipant,
      author_id: coach.id,
      occurred_at: '2026-11-22T08:30:00Z',
      channel: 'office',
      outcome: 'reached',
      summary: 'Van de buurman',
    });
    await linkGoalToContact(t.database.db, goalId, older);
    await linkGoalToContact(t.database.db, goalId, newer);
    await linkGoalToContact(t.database.db, goalId, foreign);

    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(goalPath(participantId, goalId));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/participants/${participantId}/contacts/${older}"`);
    expect(page.text).toContain(`href="/participants/${participantId}/contacts/${newer}"`);
    expect(page.text).not.toContain(`/contacts/${unlinked}"`);
    expect(page.text).not.toContain(`/contacts/${foreign}"`);
    expect(page.text).toContain('10-11-2026 14:15');
    expect(page.text).toContain('20-11-2026 09:30');
    expect(page.text).toContain('Werkplekbezoek');
    expect(page.text).toContain('Niet bereikt');
    expect(page.text.indexOf(`/contacts/${newer}"`)).toBeLessThan(page.text.indexOf(`/contacts/${older}"`));

    const audit = await auditEventsOf(t.database.db, 'goal', goalId);
    expect(audit).toEqual([{ action: 'view', actor_user_id: coach.id, participant_id: participantId, details: {} }]);
  });

  test('without linked contacts the page says how to link them', async () => {
    const participantId = await addParticipant('GeenContact');
    const goalId = await addGoal(participantId);
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(goalPath(participantId, goalId));
    expect(page.text).toContain('Nog geen contactmomenten gekoppeld.');
  });
});

describe('who may see and change goals', () => {
  let participantId: number;
  let goalId: number;

  beforeAll(async () => {
    participantId = await addParticipant('Toegang');
    goalId = await addGoal(participantId);
  });

  test.each([
    ['the team manager', () => manager],
    ['an admin', () => admin],
  ])('%s may open every goal page and record progress', async (_who, user) => {
    const agent = await signedInAgent(t.app, user());
    for (const page of [
      `${goalsPath(participantId)}/new`,
      goalPath(participantId, goalId),
      `${goalPath(participantId, goalId)}/edit`,
    ]) {
      expect((await agent.get(page)).status).toBe(200);
    }
    expect((await postProgress(agent, participantId, goalId, { status: 'in_progress', note: 'Besproken.' })).status).toBe(303);
  });

  test('a coach standing in today may work on the goal; the stand-in over, it is 404', async () => {
    const standinId = await insertStandin(t.database.db, {
      absent_coach_id: coach.id,
      standin_coach_id: standIn.id,
      starts_on: '2026-11-20',
      ends_on: '2026-11-24',
      created_by: admin.id,
    });
    expect(standinId).toBeGreaterThan(0);
    const agent = await signedInAgent(t.app, standIn);
    expect((await agent.get(goalPath(participantId, goalId))).status).toBe(200);
    clock.set('2026-11-25T09:00:00+01:00');
    const dayAfter = await signedInAgent(t.app, standIn);
    expect((await dayAfter.get(goalPath(participantId, goalId))).status).toBe(404);
  });

  test.each([
    ['another coach of the team', () => otherCoach],
    ["another team's manager", () => otherManager],
  ])('%s gets 404 everywhere and changes nothing', async (_who, user) => {
    const agent = await signedInAgent(t.app, user());
    const before = await goalsAndProgressOf(participantId);
    for (const page of [
      `${goalsPath(participantId)}/new`,
      goalPath(participantId, goalId),
      `${goalPath(participantId, goalId)}/edit`,
    ]) {
      expect((await agent.get(page)).status).toBe(404);
    }
    const csrf = await csrfToken(agent, '/participants');
    const version = String(before.goals[0]!.version);
    const responses = [
      await agent
        .post(`${goalsPath(participantId)}/new`)
        .type('form')
        .send({ _csrf: csrf, submissionToken: randomUUID(), ...validGoal }),
      await agent
        .post(`${goalPath(participantId, goalId)}/edit`)
        .type('form')
        .send({ _csrf: csrf, ...validGoal, title: 'GEKAAPT', version }),
      await agent
        .post(`${goalPath(participantId, goalId)}/progress`)
        .type('form')
        .send({ _csrf: csrf, status: 'achieved', note: 'GEKAAPT', version }),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(await goalsAndProgressOf(participantId)).toEqual(before);
    expect((await auditEventsOf(t.database.db, 'goal', goalId)).filter((event) => event.actor_user_id === user().id)).toEqual([]);
  });

  test("a goal under another participant's URL, an unknown id or a malformed one is 404", async () => {
    const otherParticipant = await addParticipant('Buur');
    const agent = await signedInAgent(t.app, admin);
    const before = await goalsAndProgressOf(participantId);
    expect((await agent.get(goalPath(otherParticipant, goalId))).status).toBe(404);
    expect((await agent.get(`${goalPath(otherParticipant, goalId)}/edit`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const progress = await agent
      .post(`${goalPath(otherParticipant, goalId)}/progress`)
      .type('form')
      .send({ _csrf: csrf, status: 'achieved', note: 'Verkeerd', version: String(before.goals[0]!.version) });
    expect(progress.status).toBe(404);
    expect(await goalsAndProgressOf(participantId)).toEqual(before);
    expect((await agent.get(goalPath(participantId, 999999))).status).toBe(404);
    expect((await agent.get(`${goalsPath(participantId)}/abc`)).status).toBe(404);
    expect((await agent.get('/participants/abc/goals/new')).status).toBe(404);
  });

  test('a closed participant keeps their goals readable but gets no new or changed goals', async () => {
    const closedId = await addParticipant('Gesloten', coach.id, 'closed');
    const closedGoal = await addGoal(closedId, { title: 'Oud doel' });
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(goalPath(closedId, closedGoal));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Oud doel');
    expect(page.text).toContain('Deze deelnemer is afgesloten');
    expect(page.text).not.toContain('/progress"');
    expect(page.text).not.toContain(`${goalPath(closedId, closedGoal)}/edit`);
    expect((await agent.get(`${goalsPath(closedId)}/new`)).status).toBe(404);
    expect((await agent.get(`${goalPath(closedId, closedGoal)}/edit`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const responses = [
      await agent
        .post(`${goalsPath(closedId)}/new`)
        .type('form')
        .send({ _csrf: csrf, submissionToken: randomUUID(), ...validGoal }),
      await agent
        .post(`${goalPath(closedId, closedGoal)}/edit`)
        .type('form')
        .send({ _csrf: csrf, ...validGoal, version: '1' }),
      await agent
        .post(`${goalPath(closedId, closedGoal)}/progress`)
        .type('form')
        .send({ _csrf: csrf, status: 'achieved', note: 'Toch', version: '1' }),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
    const after = await goalsAndProgressOf(closedId);
    expect(after.goals).toHaveLength(1);
    expect(after.goals[0]).toMatchObject({ title: 'Oud doel', version: 1, status: 'open' });
    expect(after.progress).toEqual([]);
  });
});

describe('what people typed is shown as text', () => {
  test('titles, descriptions and notes with markup are escaped on every page', async () => {
    const participantId = await addParticipant('Escape');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${goalsPath(participantId)}/new`);
    const invalid = await agent
      .post(`${goalsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), title: TRICKY, description: TRICKY, lifeDomain: '' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).not.toContain('<script>alert');
    expect(invalid.text).toContain(`value="${TRICKY_ESCAPED}"`);
    expect(invalid.text).toContain(`>${TRICKY_ESCAPED}</textarea>`);

    const { id } = await createThroughForm(agent, participantId, { title: TRICKY, description: TRICKY });
    expect((await goalRow(id)).title).toBe(TRICKY);
    expect((await postProgress(agent, participantId, id, { status: 'in_progress', note: TRICKY })).status).toBe(303);

    for (const page of [goalPath(participantId, id), `${goalPath(participantId, id)}/edit`]) {
      const response = await agent.get(page);
      expect(response.status).toBe(200);
      expect(response.text).not.toContain('<script>alert');
      expect(response.text).toContain(TRICKY_ESCAPED);
    }
    const section = await renderProfileSection(participantId);
    expect(section).not.toContain('<script>alert');
    expect(section).toContain(TRICKY_ESCAPED);

    const stale = await agent
      .post(`${goalPath(participantId, id)}/edit`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), version: '0', title: TRICKY, lifeDomain: 'work' });
    expect(stale.status).toBe(409);
    expect(stale.text).not.toContain('<script>alert');
    expect(stale.text).toContain(TRICKY_ESCAPED);
  });
});
