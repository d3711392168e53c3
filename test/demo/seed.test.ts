import request from 'supertest';
import { DEMO_PASSWORD, DEMO_USERS, NotADemoDatabaseError, seedDemo, seedDemoIfEmpty } from '../../src/demo/service';
import { createLogger } from '../../src/lib/logger';
import { createTestUser, signIn, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '1000' } });
});
afterAll(() => t.close());

describe('demo seed', () => {
  test('an empty database gets an admin, two managers and six coaches in two teams', async () => {
    expect(await seedDemoIfEmpty(t.database.db, createLogger('silent'))).toBe(true);
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

  test('running it again changes nothing, and a non-empty database is not seeded on start', async () => {
    expect(await seedDemo(t.database.db)).toEqual({ created: [] });
    expect(await seedDemoIfEmpty(t.database.db, createLogger('silent'))).toBe(false);
  });

  test('it refuses a database that holds a non-demo user', async () => {
    await createTestUser(t.database, { role: 'coach', email: 'real.person@gemeente.example' });
    await expect(seedDemo(t.database.db)).rejects.toBeInstanceOf(NotADemoDatabaseError);
  });
});
