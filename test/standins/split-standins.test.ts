import type request from 'supertest';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { auditEventsOf, insertParticipant, insertStandin, openForm } from '../helpers/fixtures';

// Issue 20 item 3: a stand-in covers the whole caseload or chosen participants of it; two
// colleagues can each cover part; a stand-in who is away themselves is refused.

const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;
let manager: UserFixture;
let absent: UserFixture;
let first: UserFixture;
let second: UserFixture;
let awayCoach: UserFixture;
const participants = {} as Record<'ada' | 'bert' | 'cor' | 'dirk', number>;

beforeAll(async () => {
  t = await startTestApp({ clock });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Split', displayName: 'Mia Manager' });
  absent = await createTestUser(t.database, { role: 'coach', team: 'Team Split', displayName: 'Anna Afwezig' });
  first = await createTestUser(t.database, { role: 'coach', team: 'Team Split', displayName: 'Eva Eerste' });
  second = await createTestUser(t.database, { role: 'coach', team: 'Team Split', displayName: 'Tom Tweede' });
  awayCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Split', displayName: 'Vera Verlof' });
  const db = t.database.db;
  for (const [key, last] of [
    ['ada', 'Aalders'],
    ['bert', 'Bakker'],
    ['cor', 'Claes'],
  ] as const) {
    participants[key] = await insertParticipant(db, { first_name: key, last_name: last, coach_id: absent.id, status: 'active' });
  }
  participants.dirk = await insertParticipant(db, {
    first_name: 'dirk',
    last_name: 'Dekker',
    coach_id: absent.id,
    status: 'closed',
    closed_on: '2026-11-01',
  });
  // Vera is away herself from 24 to 28 November.
  await insertStandin(db, {
    absent_coach_id: awayCoach.id,
    standin_coach_id: second.id,
    starts_on: '2026-11-24',
    ends_on: '2026-11-28',
    created_by: manager.id,
  });
});
afterAll(() => t.close());

async function arrange(agent: request.Agent, fields: Record<string, string | string[]>) {
  const form = await openForm(agent, '/standins/new');
  return agent
    .post('/standins/new')
    .type('form')
    .send({ ...form, startsOn: '2026-11-23', endsOn: '2026-11-30', ...fields });
}

const ids = (...keys: Array<keyof typeof participants>) => keys.map((key) => String(participants[key]));

test("the form shows the absent coach's open participants to choose from, keeping what was typed", async () => {
  const agent = await signedInAgent(t.app, manager);
  const form = await openForm(agent, '/standins/new');
  const empty = await agent.get('/standins/new');
  expect(empty.text).toContain('Kies eerst de afwezige jobcoach');
  const shown = await agent
    .post('/standins/new')
    .type('form')
    .send({
      ...form,
      intent: 'showParticipants',
      absentCoachId: String(absent.id),
      standinCoachId: String(first.id),
      note: 'Overdracht <b>',
    });
  expect(shown.status).toBe(200);
  expect(shown.text).toContain('Aalders, ada');
  expect(shown.text).toContain('Claes, cor');
  expect(shown.text).not.toContain('Dekker'); // closed: nothing to cover
  expect(shown.text).toContain('Overdracht &lt;b&gt;');
  expect(shown.text).toMatch(/value="participants" checked/);
  expect(
    await t.database.db.selectFrom('coach_standins').select('id').where('absent_coach_id', '=', absent.id).execute(),
  ).toEqual([]);
});

test('two colleagues each cover part of the caseload; each reaches only their part, /today marks them', async () => {
  const agent = await signedInAgent(t.app, manager);
  const one = await arrange(agent, {
    absentCoachId: String(absent.id),
    standinCoachId: String(first.id),
    covers: 'participants',
    participantIds: ids('ada', 'bert'),
  });
  expect(one.status).toBe(303);
  const two = await arrange(agent, {
    absentCoachId: String(absent.id),
    standinCoachId: String(second.id),
    covers: 'participants',
    participantIds: ids('cor'),
  });
  expect(two.status).toBe(303);
  const stored = await t.database.db
    .selectFrom('coach_standins')
    .select(['id', 'standin_coach_id', 'covers'])
    .where('absent_coach_id', '=', absent.id)
    .orderBy('id')
    .execute();
  expect(stored.map((row) => [row.standin_coach_id, row.covers])).toEqual([
    [first.id, 'participants'],
    [second.id, 'participants'],
  ]);
  expect((await auditEventsOf(t.database.db, 'standin', stored[0]!.id))[0]!.details).toEqual({
    absentCoachId: absent.id,
    standinCoachId: first.id,
    startsOn: '2026-11-23',
    endsOn: '2026-11-30',
    covers: 'participants',
    participantIds: [participants.ada, participants.bert],
  });

  const eva = await signedInAgent(t.app, first);
  expect((await eva.get(`/participants/${participants.ada}`)).status).toBe(200);
  expect((await eva.get(`/participants/${participants.bert}`)).status).toBe(200);
  expect((await eva.get(`/participants/${participants.cor}`)).status).toBe(404);
  const evaList = await eva.get('/participants');
  expect(evaList.text).toContain('Aalders, ada');
  expect(evaList.text).not.toContain('Claes, cor');
  const evaDay = await eva.get('/today');
  expect(evaDay.text).toContain('waarneming voor Anna Afwezig');
  expect(evaDay.text).toContain('Bakker');
  expect(evaDay.text).not.toContain('Claes');

  const tom = await signedInAgent(t.app, second);
  expect((await tom.get(`/participants/${participants.cor}`)).status).toBe(200);
  expect((await tom.get(`/participants/${participants.ada}`)).status).toBe(404);

  // The list names who covers whom.
  const list = await agent.get('/standins');
  expect(list.text).toContain('2 gekozen deelnemers:');
  expect(list.text).toContain('ada Aalders');
});

test('a participant moved to another coach is no longer covered by the split stand-in', async () => {
  await t.database.db.updateTable('participants').set({ coach_id: second.id }).where('id', '=', participants.bert).execute();
  const eva = await signedInAgent(t.app, first);
  expect((await eva.get(`/participants/${participants.bert}`)).status).toBe(404);
  await t.database.db.updateTable('participants').set({ coach_id: absent.id }).where('id', '=', participants.bert).execute();
  expect((await eva.get(`/participants/${participants.bert}`)).status).toBe(200);
});

test('a split stand-in sharing a participant, or a whole-caseload one, overlapping in time is refused', async () => {
  const agent = await signedInAgent(t.app, manager);
  const third = await createTestUser(t.database, { role: 'coach', team: 'Team Split', displayName: 'Dora Derde' });
  const shared = await arrange(agent, {
    absentCoachId: String(absent.id),
    standinCoachId: String(third.id),
    covers: 'participants',
    participantIds: ids('bert'),
  });
  expect(shared.status).toBe(422);
  expect(shared.text).toContain('Eva Eerste neemt al waar voor deze jobcoach');
  const whole = await arrange(agent, { absentCoachId: String(absent.id), standinCoachId: String(third.id), covers: 'caseload' });
  expect(whole.status).toBe(422);
  expect(whole.text).toContain('al een waarneming geregeld');
});

test('choosing no participant, or one not of the absent coach, is refused at the field', async () => {
  const agent = await signedInAgent(t.app, manager);
  const none = await arrange(agent, {
    absentCoachId: String(absent.id),
    standinCoachId: String(first.id),
    covers: 'participants',
  });
  expect(none.status).toBe(422);
  expect(none.text).toContain('Vink minstens één deelnemer aan');
  const closed = await arrange(agent, {
    absentCoachId: String(absent.id),
    standinCoachId: String(first.id),
    startsOn: '2026-12-10',
    endsOn: '2026-12-12',
    covers: 'participants',
    participantIds: ids('dirk'),
  });
  expect(closed.status).toBe(422);
  expect(closed.text).toContain('hoort niet (meer) bij deze jobcoach');
  const bogus = await arrange(agent, { absentCoachId: String(absent.id), standinCoachId: String(first.id), covers: 'everyone' });
  expect(bogus.status).toBe(422);
});

test('a stand-in who is away themselves in (part of) the period is refused with a message naming that period', async () => {
  const agent = await signedInAgent(t.app, manager);
  const before = await t.database.db.selectFrom('coach_standins').select('id').execute();
  const refused = await arrange(agent, {
    absentCoachId: String(first.id),
    standinCoachId: String(awayCoach.id),
    startsOn: '2026-11-28',
    endsOn: '2026-12-02',
  });
  expect(refused.status).toBe(422);
  expect(refused.text).toContain('Deze jobcoach is in deze periode zelf afwezig');
  expect(refused.text).toContain('24-11-2026 t/m 28-11-2026');
  expect(await t.database.db.selectFrom('coach_standins').select('id').execute()).toEqual(before);
  // The day after her absence she can stand in.
  const fine = await arrange(agent, {
    absentCoachId: String(first.id),
    standinCoachId: String(awayCoach.id),
    startsOn: '2026-11-29',
    endsOn: '2026-12-02',
  });
  expect(fine.status).toBe(303);
});
