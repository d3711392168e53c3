import request from 'supertest';
import { DateTime } from 'luxon';
import { DEMO_PASSWORD, DEMO_USERS, NotADemoDatabaseError, seedDemo, seedDemoIfEmpty } from '../../src/demo/service';
import { PAUSED_COOK } from '../../src/demo/caseload';
import { signedInAgent } from '../helpers/app';
import { createLogger } from '../../src/lib/logger';
import { createTestUser, signIn, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
// The test app's clock stands at 23-11-2026 09:00 in Amsterdam.
const today = DateTime.fromISO('2026-11-23T09:00:00', { zone: 'Europe/Amsterdam' });

beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '1000' } });
});
afterAll(() => t.close());

describe('demo seed', () => {
  test('an empty database gets an admin, two managers and six coaches in two teams', async () => {
    expect(await seedDemoIfEmpty(t.database.db, createLogger('silent'), today)).toBe(true);
    const users = await t.database.db
      .selectFrom('users')
      .leftJoin('teams', 'teams.id', 'users.team_id')
      .select(['users.email', 'users.role', 'teams.name as team'])
      .execute();
    expect(users).toHaveLength(9);
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(users.filter((u) => u.role === 'manager')).toHaveLength(2);
    expect(users.filter((u) => u.role === 'coach')).toHaveLength(6);
    expect(new Set(users.filter((u) => u.team).map((u) => u.team))).toEqual(new Set(['Team Utrecht', 'Team Gent']));
    expect(users.map((u) => u.email)).toEqual(
      expect.arrayContaining(['admin@example.org', 'manager@example.org', 'coach@example.org']),
    );
  });

  test.each(DEMO_USERS.map((user) => [user.email, user.role === 'coach' ? '/today' : '/dashboard']))(
    '%s signs in with the demo password and lands on %s',
    async (email, landing) => {
      const agent = request.agent(t.app);
      expect((await signIn(agent, { email, password: DEMO_PASSWORD })).status).toBe(303);
      expect((await agent.get('/')).headers.location).toBe(landing);
    },
  );

  test('the caseload: about 60 participants over six coaches, 20 employers, three kinds of commissioner', async () => {
    const db = t.database.db;
    const perCoach = await db
      .selectFrom('participants')
      .innerJoin('users', 'users.id', 'participants.coach_id')
      .select(['users.email', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('users.email')
      .execute();
    expect(perCoach).toHaveLength(6);
    expect(perCoach.reduce((sum, row) => sum + Number(row.n), 0)).toBe(60);
    const employers = await db.selectFrom('employers').select(['sector']).execute();
    expect(employers).toHaveLength(20);
    expect(new Set(employers.map((e) => e.sector))).toEqual(
      new Set([
        'hospitality',
        'retail',
        'cleaning',
        'bicycle_repair',
        'care',
        'green_maintenance',
        'logistics',
        'manufacturing',
        'public_sector',
      ]),
    );
    const supervisors = await db.selectFrom('employer_contacts').where('role', '=', 'supervisor').select('id').execute();
    expect(supervisors).toHaveLength(20);
    const kinds = await db
      .selectFrom('trajectories')
      .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
      .select('commissioners.kind')
      .distinct()
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['uwv', 'municipality', 'ocmw']));
    const hoursChanges = await db.selectFrom('placement_hours').select('placement_id').execute();
    expect(hoursChanges.length).toBeGreaterThan(40);
  });

  test('the restaurant cook went from 40 hours to 0 when the placement was paused, and his coach sees it', async () => {
    const cook = await t.database.db
      .selectFrom('participants')
      .select('id')
      .where('first_name', '=', PAUSED_COOK.firstName)
      .where('last_name', '=', PAUSED_COOK.lastName)
      .executeTakeFirstOrThrow();
    const placement = await t.database.db
      .selectFrom('placements')
      .innerJoin('employers', 'employers.id', 'placements.employer_id')
      .select(['placements.id', 'placements.status', 'employers.sector'])
      .where('participant_id', '=', cook.id)
      .executeTakeFirstOrThrow();
    expect(placement).toMatchObject({ status: 'paused', sector: 'hospitality' });
    const hours = await t.database.db
      .selectFrom('placement_hours')
      .select(['hours_per_week'])
      .where('placement_id', '=', placement.id)
      .orderBy('effective_from')
      .execute();
    expect(hours.map((h) => Number(h.hours_per_week))).toEqual([24, 40, 0]);
    const agent = await signedInAgent(t.app, { email: 'coach@example.org', password: DEMO_PASSWORD } as never);
    const profile = await agent.get(`/participants/${cook.id}`);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('Restaurant De Gouden Lepel');
    expect(profile.text).toContain('Gepauzeerd sinds');
    expect(profile.text).toContain('0 uur per week');
    // Nine open participants and one closed one.
    expect((await agent.get('/participants')).text).toContain('9 deelnemers');
    expect((await agent.get('/participants?status=all')).text).toContain('10 deelnemers');
  });

  test('running it again changes nothing, and a non-empty database is not seeded on start', async () => {
    expect(await seedDemo(t.database.db, today)).toEqual({ created: [], participants: 0 });
    expect(await seedDemoIfEmpty(t.database.db, createLogger('silent'), today)).toBe(false);
  });

  test('it refuses a database that holds a non-demo user', async () => {
    await createTestUser(t.database, { role: 'coach', email: 'real.person@gemeente.example' });
    await expect(seedDemo(t.database.db, today)).rejects.toBeInstanceOf(NotADemoDatabaseError);
  });
});
