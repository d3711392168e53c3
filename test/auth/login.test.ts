import request from 'supertest';
import { FixedClock } from '../../src/lib/clock';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  sessionCookie,
  signIn,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let admin: UserFixture;
const clock = new FixedClock('2026-11-23T09:00:00+01:00');

beforeAll(async () => {
  // Many sign-ins from one address here; the limit itself is tested in rate-limit.test.ts.
  t = await startTestApp({ clock, env: { LOGIN_RATE_LIMIT_MAX: '1000' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  admin = await createTestUser(t.database, { role: 'admin' });
});
afterAll(() => t.close());
beforeEach(() => clock.set('2026-11-23T09:00:00+01:00'));

describe('sign-in', () => {
  test('a coach signs in and lands on /today with their name and team', async () => {
    const agent = request.agent(t.app);
    const response = await signIn(agent, coach);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const home = await agent.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/today');
    const today = await agent.get('/today');
    expect(today.status).toBe(200);
    expect(today.text).toContain('Daan Coach');
    expect(today.text).toContain('Team Noord');
    expect(today.text).toContain('Nog niets te doen vandaag');
  });

  test.each([
    ['manager', () => manager],
    ['admin', () => admin],
  ])('a %s lands on /dashboard', async (_role, user) => {
    const agent = await signedInAgent(t.app, user());
    const home = await agent.get('/');
    expect(home.headers.location).toBe('/dashboard');
    expect((await agent.get('/dashboard')).status).toBe(200);
  });

  test('email is matched case-insensitively and with surrounding spaces', async () => {
    const agent = request.agent(t.app);
    const response = await signIn(agent, { email: `  ${coach.email.toUpperCase()} `, password: coach.password });
    expect(response.status).toBe(303);
  });

  test('an unknown email and a wrong password get the same answer', async () => {
    const unknown = await signIn(request.agent(t.app), { email: 'nobody@example.test', password: 'whatever-password' });
    const wrong = await signIn(request.agent(t.app), { email: coach.email, password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = 'Dit e-mailadres en wachtwoord horen niet bij een actief account';
    expect(unknown.text).toContain(message);
    expect(wrong.text).toContain(message);
    // The email typed is kept, the password never comes back.
    expect(wrong.text).toContain(`value="${coach.email}"`);
    expect(wrong.text).not.toContain('not the password');
  });

  test('an empty form answers 422 with a message at each field and a summary', async () => {
    const agent = request.agent(t.app);
    const token = await csrfToken(agent);
    const response = await agent.post('/login').type('form').send({ _csrf: token, email: 'not-an-email', password: '' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('Vul een geldig e-mailadres in');
    expect(response.text).toContain('Vul dit veld in.');
    expect(response.text).toContain('value="not-an-email"');
  });

  test('the session id changes at sign-in: the cookie from before is not signed in afterwards', async () => {
    const before = await request(t.app).get('/login');
    const cookieBefore = sessionCookie(before);
    expect(cookieBefore).toBeDefined();
    const token = csrfTokenFrom(before.text);
    const login = await request(t.app)
      .post('/login')
      .set('Cookie', cookieBefore!)
      .type('form')
      .send({ _csrf: token, email: coach.email, password: coach.password });
    expect(login.status).toBe(303);
    const cookieAfter = sessionCookie(login);
    expect(cookieAfter).toBeDefined();
    expect(cookieAfter).not.toBe(cookieBefore);

    const withOldCookie = await request(t.app).get('/today').set('Cookie', cookieBefore!);
    expect(withOldCookie.status).toBe(303);
    expect(withOldCookie.headers.location).toBe('/login?next=%2Ftoday');
    const withNewCookie = await request(t.app).get('/today').set('Cookie', cookieAfter!);
    expect(withNewCookie.status).toBe(200);
  });

  test('the session cookie is httpOnly, SameSite=Lax and expires after 30 idle minutes', async () => {
    const response = await signIn(request.agent(t.app), coach);
    const raw = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('inbeeld.sid='))!;
    expect(raw).toContain('HttpOnly');
    expect(raw).toContain('SameSite=Lax');
    expect(raw).not.toContain('Secure');
    const expires = new Date(/Expires=([^;]+)/.exec(raw)![1]!);
    const minutes = (expires.getTime() - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
  });

  test('a session ends 12 hours after sign-in however active it is', async () => {
    const agent = await signedInAgent(t.app, coach);
    clock.advance({ hours: 11, minutes: 59 });
    expect((await agent.get('/today')).status).toBe(200);
    clock.advance({ minutes: 2 });
    const expired = await agent.get('/today');
    expect(expired.status).toBe(303);
    expect(expired.headers.location).toBe('/login?expired=1');
    const again = await agent.get('/today');
    expect(again.headers.location).toBe('/login?next=%2Ftoday');
  });

  test('sign-in and sign-out are audited', async () => {
    const agent = await signedInAgent(t.app, manager);
    const token = await csrfToken(agent, '/dashboard');
    await agent.post('/logout').type('form').send({ _csrf: token });
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action'])
      .where('actor_user_id', '=', manager.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['login', 'logout']));
  });

  test('the log never holds the password, the session cookie or the CSRF token', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const token = csrfTokenFrom(page.text);
    const login = await agent.post('/login').type('form').send({ _csrf: token, email: coach.email, password: coach.password });
    const cookie = sessionCookie(login)!.split('=')[1]!;
    const log = t.logLines.join('\n');
    expect(log).toContain('"path":"/login"');
    expect(log).not.toContain(coach.password);
    expect(log).not.toContain(decodeURIComponent(cookie).slice(2, 20));
    expect(log).not.toContain(token);
    expect(log).not.toContain(coach.email);
  });
});

describe('return to the page after sign-in', () => {
  test('an anonymous visitor is sent to /login and comes back afterwards', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/admin/users?page=1');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/login?next=%2Fadmin%2Fusers%3Fpage%3D1');
    const loginPage = await agent.get(first.headers.location!);
    expect(loginPage.text).toContain('name="next" value="/admin/users?page=1"');
    const token = csrfTokenFrom(loginPage.text);
    const login = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: admin.email, password: admin.password, next: '/admin/users?page=1' });
    expect(login.headers.location).toBe('/admin/users?page=1');
  });

  test.each(['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])(
    'a non-local target (%s) is ignored',
    async (target) => {
      const response = await signIn(request.agent(t.app), coach, target);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/');
    },
  );
});

describe('sign-out', () => {
  test('POST /logout ends the session and issues a new session id', async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/today');
    const token = csrfTokenFrom(page.text);
    const logout = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(logout.status).toBe(303);
    expect(logout.headers.location).toBe('/login?signedOut=1');
    const after = await agent.get('/today');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Ftoday');
    const loginPage = await agent.get('/login?signedOut=1');
    expect(loginPage.text).toContain('Je bent afgemeld.');
  });

  test('the sign-in page after signing out keeps the language the person used', async () => {
    const english = await createTestUser(t.database, { role: 'coach', locale: 'en' });
    const agent = await signedInAgent(t.app, english);
    const token = await csrfToken(agent, '/today');
    await agent.post('/logout').type('form').send({ _csrf: token });
    const loginPage = await agent.get('/login?signedOut=1');
    expect(loginPage.text).toContain('<html lang="en">');
    expect(loginPage.text).toContain('You have signed out.');
  });

  test('GET /logout does not sign out', async () => {
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get('/logout')).status).toBe(404);
    expect((await agent.get('/today')).status).toBe(200);
  });
});

describe('CSRF protection', () => {
  test('a login post without a token gets the 403 page', async () => {
    const response = await request(t.app).post('/login').type('form').send({ email: coach.email, password: coach.password });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Formulier verlopen');
  });

  test('a wrong token gets 403 and changes nothing', async () => {
    const agent = await signedInAgent(t.app, coach);
    const response = await agent.post('/logout').type('form').send({ _csrf: 'forged-token' });
    expect(response.status).toBe(403);
    expect((await agent.get('/today')).status).toBe(200);
  });

  test('a token from another session is refused', async () => {
    const other = await signedInAgent(t.app, manager);
    const foreignToken = await csrfToken(other, '/dashboard');
    const agent = await signedInAgent(t.app, coach);
    const response = await agent.post('/locale').type('form').send({ _csrf: foreignToken, locale: 'en' });
    expect(response.status).toBe(403);
  });
});
