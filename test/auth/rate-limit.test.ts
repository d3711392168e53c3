import request from 'supertest';
import type { FixedClock } from '../../src/lib/clock';
import { createTestUser, csrfToken, signIn, startTestApp, type TestApp, type UserFixture } from '../helpers/app';

let t: TestApp;
let coach: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach' });
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.database.db.deleteFrom('rate_limit_hits').execute();
});

async function attempt(app: TestApp['app'], email: string, password = 'wrong password!') {
  const agent = request.agent(app);
  const token = await csrfToken(agent);
  return agent.post('/login').type('form').send({ _csrf: token, email, password });
}

describe('login rate limit (10 attempts per 15 minutes)', () => {
  test('the 11th attempt for one email gets 429 with a clear message, even with the right password', async () => {
    for (let i = 1; i <= 10; i += 1) {
      expect((await attempt(t.app, coach.email)).status).toBe(401);
    }
    const eleventh = await attempt(t.app, coach.email, coach.password);
    expect(eleventh.status).toBe(429);
    expect(eleventh.text).toContain('Te veel aanmeldpogingen. Wacht 15 minuten');
    expect(eleventh.text).toContain(`value="${coach.email}"`);
  });

  test('the 11th attempt from one address gets 429 whatever the email', async () => {
    for (let i = 1; i <= 10; i += 1) {
      await attempt(t.app, `someone${i}@example.test`);
    }
    expect((await attempt(t.app, 'someone-else@example.test')).status).toBe(429);
  });

  test('the counters live in PostgreSQL, so the limit holds across app processes', async () => {
    const second = t.secondInstance();
    for (let i = 1; i <= 5; i += 1) {
      expect((await attempt(t.app, coach.email)).status).toBe(401);
      expect((await attempt(second, coach.email)).status).toBe(401);
    }
    expect((await attempt(second, coach.email)).status).toBe(429);
    expect((await attempt(t.app, coach.email)).status).toBe(429);
    const rows = await t.database.db.selectFrom('rate_limit_hits').select(['key', 'hits']).execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: 'login-ip:127.0.0.1', hits: 12 },
        { key: `login-email:${coach.email}`, hits: 10 },
      ]),
    );
  });

  test('successful sign-ins count too, and a fresh window starts after 15 minutes', async () => {
    const clockApp = await startTestApp({ database: t.database });
    for (let i = 1; i <= 10; i += 1) {
      expect((await signIn(request.agent(clockApp.app), coach)).status).toBe(303);
    }
    expect((await signIn(request.agent(clockApp.app), coach)).status).toBe(429);
    (clockApp.clock as FixedClock).advance({ minutes: 15, seconds: 1 });
    expect((await signIn(request.agent(clockApp.app), coach)).status).toBe(303);
    await clockApp.close();
  });
});
