import { FixedClock } from '../../src/lib/clock';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { auditEventsOf, insertContactMoment, insertParticipant, openForm, postForm } from '../helpers/fixtures';

// Issue 20 item 7: a coach asks their team leader for support about a participant or a contact
// moment; every manager of the team sees it on /dashboard; the first answer closes it; the coach
// sees the answer with the participant and the contact and as a count in the navigation.

const clock = new FixedClock('2026-11-23T10:00:00+01:00');
let t: TestApp;
let coach: UserFixture;
let managerOne: UserFixture;
let managerTwo: UserFixture;
let otherManager: UserFixture;
let admin: UserFixture;
let participantId: number;
let contactId: number;

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Hulp', displayName: 'Cora Coach' });
  managerOne = await createTestUser(t.database, { role: 'manager', team: 'Team Hulp', displayName: 'Mees Een' });
  managerTwo = await createTestUser(t.database, { role: 'manager', team: 'Team Hulp', displayName: 'Mira Twee' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Anders', displayName: 'Otto Ander' });
  admin = await createTestUser(t.database, { role: 'admin' });
  participantId = await insertParticipant(t.database.db, {
    first_name: 'Sam',
    last_name: 'Steun',
    coach_id: coach.id,
    status: 'active',
  });
  contactId = await insertContactMoment(t.database.db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: '2026-11-22T14:00:00+01:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 15,
    summary: 'Sam twijfelt over de stage',
  });
});
afterAll(() => t.close());

const navCount = (html: string, href: string) => {
  const match = new RegExp(`<a href="${href}"[^>]*>[^<]*<span class="nav-count"><span aria-hidden="true">(\\d+)</span>`).exec(
    html,
  );
  return match ? Number(match[1]) : 0;
};

let requestId: number;

test('a coach asks about a contact moment; the question is stored, audited without its text, and on the contact', async () => {
  const agent = await signedInAgent(t.app, coach);
  const form = await openForm(agent, `/participants/${participantId}/support/new?contact=${contactId}`);
  const empty = await agent
    .post(`/participants/${participantId}/support/new`)
    .type('form')
    .send({ ...form, question: '  ' });
  expect(empty.status).toBe(422);
  const asked = await agent
    .post(`/participants/${participantId}/support/new`)
    .type('form')
    .send({ ...form, contactMomentId: String(contactId), question: 'Hoe ga ik om met <twijfel>?' });
  expect(asked.status).toBe(303);
  const stored = await t.database.db.selectFrom('support_requests').selectAll().executeTakeFirstOrThrow();
  requestId = stored.id;
  expect(asked.headers.location).toBe(`/support/${requestId}?done=asked`);
  expect(stored).toMatchObject({
    coach_id: coach.id,
    participant_id: participantId,
    contact_moment_id: contactId,
    answered_at: null,
  });
  const [created] = await auditEventsOf(t.database.db, 'support_request', requestId);
  expect(created).toMatchObject({ action: 'create', actor_user_id: coach.id, participant_id: participantId });
  expect(JSON.stringify(created!.details)).not.toContain('twijfel');
  const contactPage = await agent.get(`/participants/${participantId}/contacts/${contactId}`);
  expect(contactPage.text).toContain('Hoe ga ik om met &lt;twijfel&gt;?');
  expect(contactPage.text).toContain('Wacht op antwoord');
  // A contact of another participant cannot be named: 404, nothing stored.
  const other = await insertParticipant(t.database.db, {
    first_name: 'Ander',
    last_name: 'Iemand',
    coach_id: coach.id,
    status: 'active',
  });
  const crafted = await agent
    .post(`/participants/${other}/support/new`)
    .type('form')
    .send({
      ...(await openForm(agent, `/participants/${other}/support/new`)),
      contactMomentId: String(contactId),
      question: 'x',
    });
  expect(crafted.status).toBe(404);
  expect(await t.database.db.selectFrom('support_requests').select('id').execute()).toHaveLength(1);
});

test("every manager of the coach's team sees the open question on /dashboard; another team's manager does not", async () => {
  for (const manager of [managerOne, managerTwo]) {
    const dashboard = await (await signedInAgent(t.app, manager)).get('/dashboard');
    expect(dashboard.text).toContain('Open vragen van je team');
    expect(dashboard.text).toContain(`/support/${requestId}#answer`);
  }
  const other = await signedInAgent(t.app, otherManager);
  expect((await other.get('/dashboard')).text).not.toContain('Open vragen van je team');
  expect((await other.get(`/support/${requestId}`)).status).toBe(404);
  expect((await (await signedInAgent(t.app, admin)).get(`/support/${requestId}`)).status).toBe(404);
});

test('the first answer closes the question; a second manager is told and changes nothing', async () => {
  const one = await signedInAgent(t.app, managerOne);
  const two = await signedInAgent(t.app, managerTwo);
  // Both have the answer form open.
  expect((await two.get(`/support/${requestId}`)).text).toContain('Antwoord versturen');
  const first = await postForm(one, `/support/${requestId}/answer`, { answer: 'Bespreek de stage samen met Sam.' });
  expect(first.status).toBe(303);
  const second = await postForm(two, `/support/${requestId}/answer`, { answer: 'Iets anders' }, `/support/${requestId}`);
  expect(second.status).toBe(303);
  expect(second.headers.location).toContain('done=alreadyAnswered');
  const stored = await t.database.db
    .selectFrom('support_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  expect(stored).toMatchObject({ answer: 'Bespreek de stage samen met Sam.', answered_by: managerOne.id });
  const events = await auditEventsOf(t.database.db, 'support_request', requestId);
  const answers = events.filter((event) => event.action === 'answer');
  expect(answers).toHaveLength(1);
  expect(JSON.stringify(answers[0]!.details)).not.toContain('stage');
  expect((await one.get('/dashboard')).text).not.toContain('Open vragen van je team');
});

test('the coach sees a count in the navigation until the answer is shown, on the participant or the contact', async () => {
  const agent = await signedInAgent(t.app, coach);
  const today = await agent.get('/today');
  expect(navCount(today.text, '/support')).toBe(1);
  const profile = await agent.get(`/participants/${participantId}`);
  expect(profile.text).toContain('Bespreek de stage samen met Sam.');
  expect(profile.text).toContain('Nieuw antwoord');
  // The page that showed it no longer counts it, nor does the next one.
  expect(navCount(profile.text, '/support')).toBe(0);
  expect(navCount((await agent.get('/today')).text, '/support')).toBe(0);
  const again = await agent.get(`/participants/${participantId}`);
  expect(again.text).not.toContain('Nieuw antwoord');
  expect(again.text).toContain('Beantwoord');
});

test("the question is the coach's own on their page, and the asking coach's on a team leader's", async () => {
  const own = (await (await signedInAgent(t.app, coach)).get(`/support/${requestId}`)).text;
  expect(own).toContain('<h2 id="question-heading">Je vraag</h2>');
  const leader = (await (await signedInAgent(t.app, managerTwo)).get(`/support/${requestId}`)).text;
  expect(leader).toContain('<h2 id="question-heading">Vraag van Cora Coach</h2>');
  expect(leader).not.toContain('Je vraag');
});

test('the question and the answer are in the subject-access data', async () => {
  const rows = await t.services.support.supportRequestsForSubjectAccess(participantId);
  expect(rows).toEqual([
    expect.objectContaining({
      question: 'Hoe ga ik om met <twijfel>?',
      answer: 'Bespreek de stage samen met Sam.',
      answeredByName: 'Mees Een',
    }),
  ]);
});

test('a coach whose participant moved to another coach no longer reads the questions they asked about them', async () => {
  const successor = await createTestUser(t.database, { role: 'coach', team: 'Team Hulp', displayName: 'Opvolger Coach' });
  const movedId = await insertParticipant(t.database.db, {
    first_name: 'Rik',
    last_name: 'Verhuisd',
    coach_id: coach.id,
    status: 'active',
  });
  const agent = await signedInAgent(t.app, coach);
  const form = await openForm(agent, `/participants/${movedId}/support/new`);
  const asked = await agent
    .post(`/participants/${movedId}/support/new`)
    .type('form')
    .send({ ...form, question: 'Rik wil verhuizen, wat nu?' });
  expect(asked.status).toBe(303);
  const { id: movedRequestId } = await t.database.db
    .selectFrom('support_requests')
    .select('id')
    .where('participant_id', '=', movedId)
    .executeTakeFirstOrThrow();
  expect((await agent.get(`/support/${movedRequestId}`)).text).toContain('Rik wil verhuizen');
  expect((await agent.get('/support')).text).toContain(`/support/${movedRequestId}`);

  await t.database.db.updateTable('participants').set({ coach_id: successor.id }).where('id', '=', movedId).execute();

  expect((await agent.get(`/support/${movedRequestId}`)).status).toBe(404);
  const list = await agent.get('/support');
  expect(list.text).not.toContain(`/support/${movedRequestId}`);
  expect(list.text).not.toContain('Verhuisd');
  // The team's managers still see it: the participant stays in their team.
  expect((await (await signedInAgent(t.app, managerOne)).get(`/support/${movedRequestId}`)).status).toBe(200);
});

test('the navigation counts only answers the coach can read on /support: not once the participant moved or the stand-in ended', async () => {
  const asker = await createTestUser(t.database, { role: 'coach', team: 'Team Hulp', displayName: 'Vera Vraag' });
  const away = await createTestUser(t.database, { role: 'coach', team: 'Team Hulp', displayName: 'Wim Weg' });
  const successor = await createTestUser(t.database, { role: 'coach', team: 'Team Hulp', displayName: 'Nina Nieuw' });
  const { team_id: teamId } = await t.database.db
    .selectFrom('users')
    .select('team_id')
    .where('id', '=', asker.id)
    .executeTakeFirstOrThrow();
  const own = await insertParticipant(t.database.db, {
    first_name: 'Olaf',
    last_name: 'Eigen',
    coach_id: asker.id,
    status: 'active',
  });
  const covered = await insertParticipant(t.database.db, {
    first_name: 'Cas',
    last_name: 'Dekking',
    coach_id: away.id,
    status: 'active',
  });
  // Vera stands in for Wim's whole caseload from Friday to Tuesday (the clock says Monday 23 November).
  await t.database.db
    .insertInto('coach_standins')
    .values({
      absent_coach_id: away.id,
      standin_coach_id: asker.id,
      starts_on: '2026-11-20',
      ends_on: '2026-11-24',
      created_by: managerOne.id,
    })
    .execute();
  for (const participant of [own, covered]) {
    await t.database.db
      .insertInto('support_requests')
      .values({
        coach_id: asker.id,
        team_id: teamId!,
        participant_id: participant,
        contact_moment_id: null,
        question: 'Hoe verder?',
        answer: 'Zo verder.',
        answered_by: managerOne.id,
        answered_at: '2026-11-23T09:00:00+01:00',
      })
      .execute();
  }
  const agent = await signedInAgent(t.app, asker);
  const before = await agent.get('/today');
  expect(before.status).toBe(200);
  expect(navCount(before.text, '/support')).toBe(2);

  await t.database.db.updateTable('participants').set({ coach_id: successor.id }).where('id', '=', own).execute();
  expect(navCount((await agent.get('/today')).text, '/support')).toBe(1);

  // Wednesday: the stand-in is over, so the answer about Wim's participant is no longer Vera's to
  // read. (Two days on, the session has expired: Vera signs in again, on each day.)
  clock.set('2026-11-25T10:00:00+01:00');
  try {
    const wednesday = await signedInAgent(t.app, asker);
    const later = await wednesday.get('/today');
    expect(later.status).toBe(200);
    expect(navCount(later.text, '/support')).toBe(0);
    expect((await wednesday.get('/support')).text).not.toContain('Dekking');
  } finally {
    clock.set('2026-11-23T10:00:00+01:00');
  }
  // Back within the stand-in, the unread answer counts again: nothing was marked read meanwhile.
  const monday = await (await signedInAgent(t.app, asker)).get('/today');
  expect(monday.status).toBe(200);
  expect(navCount(monday.text, '/support')).toBe(1);
});

test('posting an answer records the answer, not another view of the request', async () => {
  const { team_id: teamId } = await t.database.db
    .selectFrom('users')
    .select('team_id')
    .where('id', '=', coach.id)
    .executeTakeFirstOrThrow();
  const { id } = await t.database.db
    .insertInto('support_requests')
    .values({
      coach_id: coach.id,
      team_id: teamId!,
      participant_id: participantId,
      question: 'Nog een vraag over Sam',
      created_at: new Date('2026-11-23T09:00:00+01:00'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const manager = await signedInAgent(t.app, managerTwo);
  // Opening the request to answer it is a view (audited once).
  const token = csrfTokenFrom((await manager.get(`/support/${id}`)).text);
  const opened = await auditEventsOf(t.database.db, 'support_request', id);
  expect(opened.map((event) => event.action)).toEqual(['view']);
  const post = (answer: string) => manager.post(`/support/${id}/answer`).type('form').send({ _csrf: token, answer });
  // A refused answer records nothing either.
  expect((await post('  ')).status).toBe(422);
  expect(await auditEventsOf(t.database.db, 'support_request', id)).toHaveLength(1);
  expect((await post('Vraag het Sam zelf.')).status).toBe(303);
  const after = await auditEventsOf(t.database.db, 'support_request', id);
  expect(after.map((event) => event.action)).toEqual(['view', 'answer']);
});
