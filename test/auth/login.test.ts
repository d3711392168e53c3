import request from 'supertest';
import { FixedClock } from '../../src/lib/clock';
import { sql } from 'kysely';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  sessionCookie,
  sessionRows,
  setCookie,
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
  t = await startTestApp({ clock });
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

  test('signing in starts a new session: a session id planted before sign-in is worthless after it', async () => {
    // A stored session without a signed-in person (as one made before this version, or one an
    // attacker planted in the victim's browser): its id must not become the victim's session.
    const planter = await createTestUser(t.database, { role: 'coach' });
    const planted = sessionCookie(await signIn(request.agent(t.app), planter))!;
    await sql`update sessions set sess = (sess::jsonb - 'passport')::json where user_id = ${planter.id}`.execute(t.database.db);
    expect((await request(t.app).get('/today').set('Cookie', planted)).headers.location).toBe('/login?next=%2Ftoday');

    const page = await request(t.app).get('/login').set('Cookie', planted);
    const formCookie = setCookie(page, 'inbeeld.form')!.split(';')[0]!;
    const login = await request(t.app)
      .post('/login')
      .set('Cookie', [planted, formCookie].join('; '))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: coach.email, password: coach.password });
    expect(login.status).toBe(303);
    const fresh = sessionCookie(login);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(planted);

    const withPlanted = await request(t.app).get('/today').set('Cookie', planted);
    expect(withPlanted.status).toBe(303);
    expect(withPlanted.headers.location).toBe('/login?next=%2Ftoday');
    expect((await request(t.app).get('/today').set('Cookie', fresh!)).status).toBe(200);
    const plantedSid = decodeURIComponent(planted.split('=')[1]!).slice(2).split('.')[0]!;
    const stored = await t.database.db.selectFrom('sessions').select('sid').where('sid', '=', plantedSid).execute();
    expect(stored).toEqual([]);
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
  test('an address too long to come back to is not carried along (the redirect stays a sane header)', async () => {
    // Found by the fuzz test: a long query string (within Node's 16 KB for the request), percent-
    // encoded into Location, made a response header over that limit that the client could not read.
    const long = `/reports/export?month=${'/'.repeat(9_000)}`;
    const answer = await request(t.app).get(long);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/login');
    // A usual address still comes back.
    expect((await request(t.app).get('/reports/export?month=2026-11')).headers.location).toBe(
      '/login?next=%2Freports%2Fexport%3Fmonth%3D2026-11',
    );
  });

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

  test('signing out removes the session row and stores no new one', async () => {
    const leaver = await createTestUser(t.database, { role: 'coach' });
    const agent = await signedInAgent(t.app, leaver);
    const token = await csrfToken(agent, '/today');
    const stored = await sessionRows(t.database);
    const logout = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(setCookie(logout, 'inbeeld.sid')).toMatch(/^inbeeld\.sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(await sessionRows(t.database)).toBe(stored - 1);
    const mine = await t.database.db.selectFrom('sessions').select('sid').where('user_id', '=', leaver.id).execute();
    expect(mine).toEqual([]);
    await agent.get('/login?signedOut=1');
    expect(await sessionRows(t.database)).toBe(stored - 1);
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

describe('no session for a visitor who is not signed in', () => {
  test('opening the sign-in page, a refused sign-in and the language switch store no session row', async () => {
    const before = await sessionRows(t.database);
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    expect(page.status).toBe(200);
    expect(sessionCookie(page)).toBeUndefined();
    const token = csrfTokenFrom(page.text);
    expect((await agent.post('/login').type('form').send({ _csrf: token, email: coach.email, password: 'wrong' })).status).toBe(
      401,
    );
    expect((await agent.post('/login').type('form').send({ _csrf: token, email: 'not an email', password: '' })).status).toBe(
      422,
    );
    const switched = await agent.post('/locale').type('form').send({ _csrf: token, locale: 'en', returnTo: '/login' });
    expect(switched.status).toBe(303);
    expect(sessionCookie(switched)).toBeUndefined();
    expect((await agent.get('/today')).status).toBe(303);
    expect((await agent.get('/login')).text).toContain('<html lang="en">');
    expect(await sessionRows(t.database)).toBe(before);
  });

  test('the session row is written at a successful sign-in, with the person in an indexed column', async () => {
    const newcomer = await createTestUser(t.database, { role: 'coach' });
    const before = await sessionRows(t.database);
    await signedInAgent(t.app, newcomer);
    expect(await sessionRows(t.database)).toBe(before + 1);
    const rows = await t.database.db
      .selectFrom('sessions')
      .select(['user_id', 'handle'])
      .where('user_id', '=', newcomer.id)
      .execute();
    expect(rows).toEqual([{ user_id: newcomer.id, handle: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
  });
});

describe("a signed-out visitor's form token (signed double submit)", () => {
  /** A fresh sign-in page: its form token and the cookie that holds the same token. */
  async function tokenPair(): Promise<{ token: string; cookie: string; setCookieLine: string }> {
    const page = await request(t.app).get('/login');
    const setCookieLine = setCookie(page, 'inbeeld.form')!;
    return { token: csrfTokenFrom(page.text), cookie: setCookieLine.split(';')[0]!, setCookieLine };
  }

  const post = (cookie: string | null, body: Record<string, string>) => {
    const req = request(t.app).post('/login').type('form');
    if (cookie) req.set('Cookie', cookie);
    return req.send({ email: coach.email, password: coach.password, ...body });
  };

  test('the token is in the form and in an HttpOnly, SameSite=Lax cookie; with both, sign-in works', async () => {
    const { token, cookie, setCookieLine } = await tokenPair();
    expect(cookie).toBe(`inbeeld.form=${token}`);
    expect(setCookieLine).toContain('HttpOnly');
    expect(setCookieLine).toContain('SameSite=Lax');
    expect(setCookieLine).not.toContain('Secure');
    expect(token).toMatch(/^\d+\.[\w-]{22}\.[\w-]{43}$/);
    expect((await post(cookie, { _csrf: token })).status).toBe(303);
  });

  test("a page reuses the cookie's token while it has an hour left, then makes a new one", async () => {
    const { token, cookie } = await tokenPair();
    const again = await request(t.app).get('/login').set('Cookie', cookie);
    expect(csrfTokenFrom(again.text)).toBe(token);
    expect(setCookie(again, 'inbeeld.form')).toBeUndefined();
    clock.advance({ hours: 1, minutes: 1 });
    const later = await request(t.app).get('/login').set('Cookie', cookie);
    expect(csrfTokenFrom(later.text)).not.toBe(token);
    expect(setCookie(later, 'inbeeld.form')).toBeDefined();
  });

  test.each([
    ['no token at all', () => ({ cookie: null, body: {} })],
    ['the token in the form only', (pair: Pair) => ({ cookie: null, body: { _csrf: pair.token } })],
    ['the token in the cookie only', (pair: Pair) => ({ cookie: pair.cookie, body: {} })],
    [
      'a tampered token, in form and cookie alike',
      (pair: Pair) => {
        const tampered = pair.token.replace(/^(\d)/, (digit) => String((Number(digit) + 1) % 10));
        return { cookie: `inbeeld.form=${tampered}`, body: { _csrf: tampered } };
      },
    ],
    [
      'a token signed with another secret',
      () => {
        const forged = `${Date.now() + 3_600_000}.${'A'.repeat(22)}.${'B'.repeat(43)}`;
        return { cookie: `inbeeld.form=${forged}`, body: { _csrf: forged } };
      },
    ],
  ] as Array<[string, (pair: Pair) => { cookie: string | null; body: Record<string, string> }]>)(
    'a sign-in with %s is refused with 403 and signs nobody in',
    async (_name, make) => {
      const { cookie, body } = make(await tokenPair());
      const before = await sessionRows(t.database);
      const response = await post(cookie, body);
      expect(response.status).toBe(403);
      expect(response.text).toContain('Formulier verlopen');
      expect(sessionCookie(response)).toBeUndefined();
      expect(await sessionRows(t.database)).toBe(before);
    },
  );

  test("another visitor's token (a foreign token) is refused", async () => {
    const mine = await tokenPair();
    const theirs = await tokenPair();
    expect((await post(mine.cookie, { _csrf: theirs.token })).status).toBe(403);
  });

  test('an expired token is refused: a token lives two hours', async () => {
    const { token, cookie } = await tokenPair();
    clock.advance({ hours: 1, minutes: 59 });
    expect((await post(cookie, { _csrf: token })).status).toBe(303);
    const second = await tokenPair();
    clock.advance({ hours: 2, seconds: 1 });
    expect((await post(second.cookie, { _csrf: second.token })).status).toBe(403);
  });

  test('the language switch of a signed-out visitor needs the token as well', async () => {
    const refused = await request(t.app).post('/locale').type('form').send({ locale: 'en', returnTo: '/login' });
    expect(refused.status).toBe(403);
    expect(setCookie(refused, 'inbeeld.lang')).toBeUndefined();
    const { token, cookie } = await tokenPair();
    const switched = await request(t.app)
      .post('/locale')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: token, locale: 'en', returnTo: '/login' });
    expect(switched.status).toBe(303);
    expect(setCookie(switched, 'inbeeld.lang')).toMatch(/^inbeeld\.lang=en;.*HttpOnly.*SameSite=Lax/);
  });
});

type Pair = { token: string; cookie: string };
