import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  insertCommissioner,
  insertContactMoment,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
} from '../helpers/fixtures';
import { refreshStoredRiskStates } from '../helpers/risk-state';

// end_of_trajectory in plain words where coaches meet it: the profile's risk panel, /today and
// /dashboard (the last two read the stored state). The clock of startTestApp stands on 23-11-2026.

let t: TestApp;
let coach: UserFixture;
let id: number;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', locale: 'nl' });
  const uwv = await insertCommissioner(t.database.db, { name: 'UWV', kind: 'uwv' });
  const employer = await insertEmployer(t.database.db, { name: 'Kringwinkel Gent', sector: 'retail' });
  id = await insertParticipant(t.database.db, { first_name: 'Lien', last_name: 'Jacobs', coach_id: coach.id, status: 'active' });
  await insertTrajectory(t.database.db, {
    participant_id: id,
    commissioner_id: uwv,
    kind: 'jobcoaching',
    granted_hours: 20,
    start_date: '2026-01-05',
    planned_end_date: '2026-10-05',
  });
  await insertPlacement(
    t.database.db,
    {
      participant_id: id,
      employer_id: employer,
      kind: 'work_experience',
      job_title: 'Winkelmedewerker',
      start_date: '2026-01-12',
      planned_end_date: '2026-12-11',
    },
    { hoursPerWeek: 19 },
  );
  // Reached yesterday, with a call planned for today: on /today, and no other signal.
  await insertContactMoment(t.database.db, {
    participant_id: id,
    author_id: coach.id,
    occurred_at: new Date('2026-11-22T10:00:00+01:00'),
    channel: 'phone',
    counterpart: 'participant',
    outcome: 'reached',
    duration_minutes: 10,
    summary: 'Gesprek over de winkel',
    next_contact_date: '2026-11-23',
  });
  await refreshStoredRiskStates(t);
});
afterAll(() => t.close());

const RED = 'traject UWV zou aflopen op 05-10-2026, 49 dagen geleden, en is niet afgesloten';
const AMBER = 'plaatsing bij Kringwinkel Gent loopt af op 11-12-2026, over 18 dagen; nog geen vervolgstap vastgelegd';

test.each(['/participants/:id', '/today', '/dashboard'])('%s says it in words', async (path) => {
  const agent = await signedInAgent(t.app, coach);
  const page = await agent.get(path.replace(':id', String(id)));
  expect(page.status).toBe(200);
  const text = page.text.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
  expect(text).toContain(RED);
  // /today shows the first reason at the participant's level; the others show every one.
  if (path !== '/today') expect(text).toContain(`Einde traject of plaatsing: ${RED}; ${AMBER}`);
});
