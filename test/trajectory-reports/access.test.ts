import request from 'supertest';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertParticipant, insertStandin, insertTrajectory } from '../helpers/fixtures';
import { download } from './helpers';

// Who may open a trajectory report: whoever may see the participant (the access rules of
// product.md), and only for a trajectory of that same participant. Anything else is a 404.
// The clock stands at 23-11-2026.

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let standInToday: UserFixture;
let standInLastWeek: UserFixture;
let manager: UserFixture;
let otherTeamManager: UserFixture;
let admin: UserFixture;
let participantId: number;
let trajectoryId: number;
let otherParticipantId: number;
let otherTrajectoryId: number;
let closedParticipantId: number;
let closedTrajectoryId: number;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  standInToday = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  standInLastWeek = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  otherTeamManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin' });
  const uwv = await insertCommissioner(db, { name: 'UWV Utrecht', kind: 'uwv' });
  const trajectoryFor = (participant: number, reference: string) =>
    insertTrajectory(db, {
      participant_id: participant,
      commissioner_id: uwv,
      kind: 'jobcoaching',
      reference,
      start_date: '2026-09-01',
      granted_hours: '10',
    });
  participantId = await insertParticipant(db, { first_name: 'Noor', last_name: 'Visser', coach_id: coach.id });
  trajectoryId = await trajectoryFor(participantId, 'UWV-EIGEN');
  otherParticipantId = await insertParticipant(db, { first_name: 'Sem', last_name: 'Ander', coach_id: otherCoach.id });
  otherTrajectoryId = await trajectoryFor(otherParticipantId, 'UWV-ANDER');
  closedParticipantId = await insertParticipant(db, {
    first_name: 'Lotte',
    last_name: 'Klaar',
    coach_id: coach.id,
    status: 'closed',
    closed_on: '2026-11-01',
  });
  closedTrajectoryId = await insertTrajectory(db, {
    participant_id: closedParticipantId,
    commissioner_id: uwv,
    kind: 'jobcoaching',
    start_date: '2026-01-01',
    actual_end_date: '2026-10-31',
    outcome: 'dropout',
    granted_hours: '10',
  });
  await insertStandin(db, {
    absent_coach_id: coach.id,
    standin_coach_id: standInToday.id,
    starts_on: '2026-11-20',
    ends_on: '2026-11-27',
    created_by: manager.id,
  });
  await insertStandin(db, {
    absent_coach_id: coach.id,
    standin_coach_id: standInLastWeek.id,
    starts_on: '2026-11-10',
    ends_on: '2026-11-16',
    created_by: manager.id,
  });
});
afterAll(() => t.close());

const reportOf = (participant: number, trajectory: number) => `/participants/${participant}/trajectories/${trajectory}/report`;

describe('who may open the report (HTML and PDF)', () => {
  test.each([
    ['the owning coach', 200, () => coach],
    ['a stand-in on the day of the stand-in', 200, () => standInToday],
    ['the manager of the team', 200, () => manager],
    ['an admin', 200, () => admin],
    ['another coach', 404, () => otherCoach],
    ['a stand-in whose stand-in has ended', 404, () => standInLastWeek],
    ['a manager of another team', 404, () => otherTeamManager],
  ])('%s: %i', async (_who, status, user) => {
    const agent = await signedInAgent(t.app, user());
    const page = await agent.get(reportOf(participantId, trajectoryId));
    expect(page.status).toBe(status);
    const pdf = await download(agent, `${reportOf(participantId, trajectoryId)}.pdf`);
    expect(pdf.status).toBe(status);
    if (status === 200) {
      expect(page.text).toContain('UWV-EIGEN');
      expect(pdf.headers['content-type']).toBe('application/pdf');
    } else {
      expect(page.text).not.toContain('UWV-EIGEN');
      expect(pdf.headers['content-type']).toMatch(/^text\/html/);
    }
  });

  test('someone not signed in is sent to the login page', async () => {
    for (const path of [reportOf(participantId, trajectoryId), `${reportOf(participantId, trajectoryId)}.pdf`]) {
      const response = await request(t.app).get(path);
      expect([302, 303]).toContain(response.status);
      expect(response.headers.location).toMatch(/^\/login/);
    }
  });

  test('a trajectory only under its own participant, and unknown or malformed ids are 404', async () => {
    const agent = await signedInAgent(t.app, admin);
    expect((await agent.get(reportOf(participantId, otherTrajectoryId))).status).toBe(404);
    expect((await agent.get(`${reportOf(participantId, otherTrajectoryId)}.pdf`)).status).toBe(404);
    expect((await agent.get(reportOf(participantId, 999999))).status).toBe(404);
    expect((await agent.get(reportOf(999999, trajectoryId))).status).toBe(404);
    expect((await agent.get(`/participants/${participantId}/trajectories/abc/report`)).status).toBe(404);
    expect((await agent.get(`/participants/x/trajectories/${trajectoryId}/report.pdf`)).status).toBe(404);
    // The other participant's own report is fine for the admin.
    expect((await agent.get(reportOf(otherParticipantId, otherTrajectoryId))).status).toBe(200);
  });

  test('closed participants and trajectories keep their report, and the profile links to it', async () => {
    const agent = await signedInAgent(t.app, coach);
    const report = await agent.get(reportOf(closedParticipantId, closedTrajectoryId));
    expect(report.status).toBe(200);
    expect(report.text).toContain('Voortijdig gestopt');

    const closedProfile = await agent.get(`/participants/${closedParticipantId}`);
    expect(closedProfile.text).toContain(`href="${reportOf(closedParticipantId, closedTrajectoryId)}"`);
    const openProfile = await agent.get(`/participants/${participantId}`);
    expect(openProfile.text).toContain(`href="${reportOf(participantId, trajectoryId)}"`);
    expect(openProfile.text).toContain('>Rapportage</a>');

    const managerProfile = await (await signedInAgent(t.app, manager)).get(`/participants/${participantId}`);
    expect(managerProfile.text).toContain(`href="${reportOf(participantId, trajectoryId)}"`);
  });
});
