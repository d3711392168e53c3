import request from 'supertest';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let admin: UserFixture;

beforeAll(async () => {
  t = await startTestApp({ env: { ORGANISATION_NAME: 'Werkpunt <Noord> & Co' } });
  coach = await createTestUser(t.database, {
    role: 'coach',
    team: 'Team "Zuid" & <Oost>',
    displayName: '<script>alert(1)</script>',
  });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team "Zuid" & <Oost>', displayName: 'Mia Manager' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin', locale: 'en' });
});
afterAll(() => t.close());

describe('pages need a signed-in user', () => {
  test.each(['/', '/today', '/dashboard', '/account', '/admin/users', '/no-such-page'])(
    '%s redirects to /login',
    async (path) => {
      const response = await request(t.app).get(path);
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/login/);
    },
  );

  test.each(['/login', '/healthz', '/readyz', '/assets/css/app.css'])('%s is open', async (path) => {
    expect((await request(t.app).get(path)).status).toBe(200);
  });
});

describe('route guard by role', () => {
  const matrix: Array<[string, 'coach' | 'manager' | 'admin', number]> = [
    ['/today', 'coach', 200],
    ['/today', 'manager', 404],
    ['/today', 'admin', 404],
    ['/dashboard', 'coach', 200],
    ['/dashboard', 'manager', 200],
    ['/dashboard', 'admin', 200],
    ['/admin/users', 'coach', 404],
    ['/admin/users', 'manager', 404],
    ['/admin/users', 'admin', 200],
    ['/account', 'coach', 200],
    ['/account', 'manager', 200],
    ['/account', 'admin', 200],
  ];
  test.each(matrix)('%s as %s answers %i', async (path, role, status) => {
    const user = { coach, manager, admin }[role];
    const agent = await signedInAgent(t.app, user);
    const response = await agent.get(path);
    expect(response.status).toBe(status);
    if (status === 404) expect(response.text).toMatch(/Pagina niet gevonden|Page not found/);
  });
});

describe('layout', () => {
  test('shows the organisation, the user, their role and team, escaped', async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/today');
    expect(page.text).toContain('<html lang="nl">');
    expect(page.text).toContain('Werkpunt &lt;Noord&gt; &amp; Co');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('Team &#34;Zuid&#34; &amp; &lt;Oost&gt;');
    expect(page.text).toContain('Jobcoach');
    expect(page.text).toContain('<main id="main"');
    expect(page.text).toContain('action="/logout"');
    expect(page.text).toContain('href="/today" aria-current="page"');
  });

  test('sends a CSP that allows no inline script and no other host', async () => {
    const response = await request(t.app).get('/login');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:/);
  });

  test('the navigation differs by role', async () => {
    const adminPage = await (await signedInAgent(t.app, admin)).get('/dashboard');
    expect(adminPage.text).toContain('href="/admin/users"');
    const managerPage = await (await signedInAgent(t.app, manager)).get('/dashboard');
    expect(managerPage.text).not.toContain('href="/admin/users"');
    expect(managerPage.text).toContain('Mia Manager');
  });
});

describe('language', () => {
  test("an English user's pages are in English with <html lang=en> and English dates", async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/dashboard');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Dashboard');
    expect(page.text).toContain('Administrator');
    // The test clock stands at 23 November 2026.
    expect(page.text).toContain('23/11/2026');
  });

  test('the language switch is stored on the user', async () => {
    const agent = await signedInAgent(t.app, manager);
    const token = await csrfToken(agent, '/dashboard');
    const response = await agent.post('/locale').type('form').send({ _csrf: token, locale: 'en', returnTo: '/dashboard' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/dashboard');
    expect((await agent.get('/dashboard')).text).toContain('<html lang="en">');
    const stored = await t.database.db
      .selectFrom('users')
      .select('locale')
      .where('id', '=', manager.id)
      .executeTakeFirstOrThrow();
    expect(stored.locale).toBe('en');
    // A second browser of the same user sees English too.
    const otherBrowser = await signedInAgent(t.app, manager);
    expect((await otherBrowser.get('/dashboard')).text).toContain('<html lang="en">');
  });

  test('before sign-in the choice is kept in the session, and a bad value changes nothing', async () => {
    const agent = request.agent(t.app);
    const token = await csrfToken(agent);
    await agent.post('/locale').type('form').send({ _csrf: token, locale: 'en', returnTo: '/login' });
    const page = await agent.get('/login');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Sign in to InBeeld');
    const again = await agent.post('/locale').type('form').send({ _csrf: token, locale: 'de', returnTo: 'https://evil.example' });
    expect(again.headers.location).toBe('/');
    expect((await agent.get('/login')).text).toContain('<html lang="en">');
  });
});
