import { DateTime } from 'luxon';
import { createKysely } from '../../src/db/database';
import { appJobs } from '../../src/jobs';
import { activateParticipantsWithStartedTrajectories, ACTIVATION_JOB } from '../../src/trajectories/service';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertParticipant, insertTrajectory, openForm, versionFrom } from '../helpers/fixtures';

// Issue 17, item 4: a participant in intake becomes active when their first trajectory starts: at
// once when it is saved with a start of today or earlier, otherwise on its start day through the
// daily job (the system as actor). Pausing and closing stay the coach's. The clock stands on
// 23 November 2026, 09:00 in Amsterdam.

const ZONE = 'Europe/Amsterdam';
let t: TestApp;
let coach: UserFixture;
let commissioner: number;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent' });
  commissioner = await insertCommissioner(t.database.db, { name: 'OCMW Gent', kind: 'ocmw' });
});
afterAll(() => t.close());

function addParticipant(status: 'intake' | 'active' | 'paused', lastName = 'Verstraete'): Promise<number> {
  return insertParticipant(t.database.db, { first_name: 'Lien', last_name: lastName, coach_id: coach.id, status });
}

async function statusOf(participantId: number) {
  return t.database.db
    .selectFrom('participants')
    .select(['status', 'version'])
    .where('id', '=', participantId)
    .executeTakeFirstOrThrow();
}

async function activationsOf(participantId: number) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'entity_type', 'entity_id', 'details'])
    .where('participant_id', '=', participantId)
    .where('action', '=', 'activate')
    .orderBy('id')
    .execute();
}

async function createThroughForm(participantId: number, startDate: string): Promise<number> {
  const agent = await signedInAgent(t.app, coach);
  const form = await openForm(agent, `/participants/${participantId}/trajectories/new`);
  const response = await agent
    .post(`/participants/${participantId}/trajectories/new`)
    .type('form')
    .send({
      ...form,
      commissionerId: String(commissioner),
      kind: 'work_experience',
      reference: 'OCMW-WE-1',
      startDate,
      plannedEndDate: '',
      grantedHours: '40',
    });
  expect(response.status).toBe(303);
  const row = await t.database.db
    .selectFrom('trajectories')
    .select('id')
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  return row.id;
}

const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

test('a trajectory starting today makes a participant in intake active at once, audited by the coach, with the stored risk state refreshed', async () => {
  const lien = await addParticipant('intake');
  const trajectory = await createThroughForm(lien, '2026-11-23');
  expect(await statusOf(lien)).toMatchObject({ status: 'active' });
  expect(await activationsOf(lien)).toEqual([
    {
      actor_user_id: coach.id,
      entity_type: 'participant',
      entity_id: String(lien),
      details: { from: 'intake', to: 'active', trajectoryId: trajectory },
    },
  ]);
  const state = await t.database.db
    .selectFrom('participant_risk_states')
    .select(['trajectory_start_date', 'level'])
    .where('participant_id', '=', lien)
    .executeTakeFirstOrThrow();
  expect(state.trajectory_start_date).toBe('2026-11-23');
  // The profile says so.
  const agent = await signedInAgent(t.app, coach);
  expect((await agent.get(`/participants/${lien}`)).text).toContain('Actief');
});

test('a trajectory starting later leaves them in intake until the daily job on its start day, which the system does once', async () => {
  const lien = await addParticipant('intake', 'Later');
  const trajectory = await createThroughForm(lien, '2026-12-01');
  expect(await statusOf(lien)).toMatchObject({ status: 'intake' });
  expect(await activationsOf(lien)).toEqual([]);

  // 30 November, 23:59 local (22:59 UTC): not yet.
  const before = await activateParticipantsWithStartedTrajectories(t.database.db, at('2026-11-30T23:59:00'), ZONE);
  expect(before).toEqual({ activated: 0, cutShort: null, day: '2026-11-30' });
  expect(await statusOf(lien)).toMatchObject({ status: 'intake' });

  // 1 December, 00:10 local (still 30 November in UTC): the start day.
  const { version } = await statusOf(lien);
  const onTheDay = await activateParticipantsWithStartedTrajectories(t.database.db, at('2026-12-01T00:10:00'), ZONE);
  expect(onTheDay).toEqual({ activated: 1, cutShort: null, day: '2026-12-01' });
  expect(await statusOf(lien)).toEqual({ status: 'active', version: version + 1 });
  expect(await activationsOf(lien)).toEqual([
    {
      actor_user_id: null,
      entity_type: 'participant',
      entity_id: String(lien),
      details: { from: 'intake', to: 'active', trajectoryId: trajectory },
    },
  ]);
  const state = await t.database.db
    .selectFrom('participant_risk_states')
    .select('trajectory_start_date')
    .where('participant_id', '=', lien)
    .executeTakeFirstOrThrow();
  expect(state.trajectory_start_date).toBe('2026-12-01');

  // A second run, or the coach pausing afterwards: nothing more happens.
  const again = await activateParticipantsWithStartedTrajectories(t.database.db, at('2026-12-01T08:00:00'), ZONE);
  expect(again.activated).toBe(0);
  expect(await activationsOf(lien)).toHaveLength(1);
});

test('pausing and closing stay manual; only intake with a running trajectory moves, whoever runs the job at once', async () => {
  const paused = await addParticipant('paused', 'Gepauzeerd');
  await insertTrajectory(t.database.db, {
    participant_id: paused,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    start_date: '2026-10-01',
    granted_hours: 10,
  });
  // Back in intake after a trajectory that ended: no trajectory runs, so it stays.
  const returned = await addParticipant('intake', 'Terug');
  await insertTrajectory(t.database.db, {
    participant_id: returned,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    start_date: '2026-01-01',
    actual_end_date: '2026-06-30',
    outcome: 'dropout',
    granted_hours: 10,
  });
  // Stored directly, as an import or an older version left them: both in intake with a running trajectory.
  const waiting = await Promise.all(['Een', 'Twee'].map((name) => addParticipant('intake', name)));
  for (const participantId of waiting) {
    await insertTrajectory(t.database.db, {
      participant_id: participantId,
      commissioner_id: commissioner,
      kind: 'jobcoaching',
      start_date: '2026-11-01',
      granted_hours: 10,
    });
  }

  // Two processes at the same moment (the second pool is closed with the test database).
  const second = createKysely(t.database.openPool());
  const now = at('2026-11-23T09:00:00');
  const runs = await Promise.all([
    activateParticipantsWithStartedTrajectories(t.database.db, now, ZONE),
    activateParticipantsWithStartedTrajectories(second, now, ZONE),
  ]);
  expect(runs.reduce((sum, run) => sum + run.activated, 0)).toBe(2);
  for (const participantId of waiting) {
    expect(await statusOf(participantId)).toMatchObject({ status: 'active' });
    expect(await activationsOf(participantId)).toHaveLength(1);
  }
  expect(await statusOf(paused)).toMatchObject({ status: 'paused' });
  expect(await statusOf(returned)).toMatchObject({ status: 'intake' });
});

test('the daily job is one of the app’s jobs, after midnight, and reports what it did', async () => {
  const job = appJobs(t.database.db, t.config).find((candidate) => candidate.name === ACTIVATION_JOB)!;
  expect(job.schedule).toEqual({ dailyAfter: '00:05' });
  const lien = await addParticipant('intake', 'Job');
  await insertTrajectory(t.database.db, {
    participant_id: lien,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    start_date: '2026-11-23',
    granted_hours: 10,
  });
  const report = await job.run(at('2026-11-23T00:06:00'), new AbortController().signal);
  expect(report).toMatchObject({ outcome: 'activated', figures: { day: '2026-11-23', activated: 1 } });
  expect((await job.run(at('2026-11-23T00:07:00'), new AbortController().signal)).outcome).toBe('none_due');
});

test('editing a future trajectory to start today activates at once', async () => {
  const lien = await addParticipant('intake', 'Vervroegd');
  const trajectory = await createThroughForm(lien, '2027-01-04');
  expect(await statusOf(lien)).toMatchObject({ status: 'intake' });
  const agent = await signedInAgent(t.app, coach);
  const path = `/participants/${lien}/trajectories/${trajectory}/edit`;
  const page = await agent.get(path);
  const saved = await agent
    .post(path)
    .type('form')
    .send({
      _csrf: csrfTokenFrom(page.text),
      version: versionFrom(page.text),
      commissionerId: String(commissioner),
      kind: 'work_experience',
      reference: 'OCMW-WE-1',
      startDate: '2026-11-20',
      plannedEndDate: '',
      grantedHours: '40',
    });
  expect(saved.status).toBe(303);
  expect(await statusOf(lien)).toMatchObject({ status: 'active' });
  expect(await activationsOf(lien)).toEqual([expect.objectContaining({ actor_user_id: coach.id })]);
});
