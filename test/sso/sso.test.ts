import request from 'supertest';
import { FixedClock } from '../../src/lib/clock';
import type TestAgent from 'supertest/lib/agent';
import { openFlow, sealFlow, SSO_FLOW_COOKIE } from '../../src/sso/flow-cookie';
import { issueSetPasswordLink } from '../../src/users/service';
import { createTestUser, csrfTokenFrom, signIn, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { auditEventsOf, openForm } from '../helpers/fixtures';
import { startSmtpServer } from '../helpers/smtp';
import { startOidcProvider, type ProviderBrowser, type TestOidcProvider } from '../helpers/oidc';

// Single sign-on against a real OpenID provider (oidc-provider, in a child process on loopback):
// the app's redirect URI is under PUBLIC_URL; the provider's answer is handed to the app as the
// browser would follow it.
const PUBLIC_URL = 'http://127.0.0.1:3131';
const CALLBACK = `${PUBLIC_URL}/login/oidc/callback`;
const SECRET = 'test-secret-test-secret-test-secret-0123';

let provider: TestOidcProvider;
let database: TestDatabase;
const apps: TestApp[] = [];
let coach: UserFixture;
let retired: UserFixture;
let admin: UserFixture;

beforeAll(async () => {
  provider = await startOidcProvider({
    redirectUris: [CALLBACK],
    accounts: {
      'sub-coach': { email: 'Coach.SSO@Example.test', name: 'Coach Via Provider' },
      'sub-twin': { email: 'coach.sso@example.test', name: 'Someone Else' },
      'sub-upn': { preferred_username: 'upn.person@example.test', name: 'Entra Person' },
      'sub-unknown': { email: 'nobody@example.test', name: 'Nobody' },
      'sub-retired': { email: 'retired.sso@example.test' },
      'sub-noemail': { name: 'No Email' },
      'sub-new': { email: 'new.person@example.test', name: 'Nieuwe Persoon' },
      'sub-manager': {
        email: 'manager.sso@example.test',
        name: 'Manager Via Claim',
        roles: ['other-app:admin', 'inbeeld:manager:team_noord'],
      },
      'sub-boss': { email: 'boss.sso@example.test', name: 'Boss Via Claim', roles: ['inbeeld:admin'] },
      'sub-norole': { email: 'norole.sso@example.test', roles: ['other-app:admin'] },
      'sub-nowhere': { email: 'nowhere.sso@example.test', roles: ['inbeeld:coach:Team_Nergens'] },
      'sub-twoteams': { email: 'two.sso@example.test', roles: ['inbeeld:coach:Team_Noord', 'inbeeld:coach:Team_Zuid'] },
      'sub-admin': { email: 'admin.sso@example.test', name: 'Admin Via Provider' },
      'sub-invited': { email: 'invited.sso@example.test', name: 'Via Provider' },
    },
  });
  database = await createTestDatabase();
  coach = await createTestUser(database, { role: 'coach', team: 'Team Noord', email: 'coach.sso@example.test' });
  retired = await createTestUser(database, { role: 'coach', team: 'Team Noord', email: 'retired.sso@example.test' });
  admin = await createTestUser(database, { role: 'admin', email: 'admin.sso@example.test' });
  await createTestUser(database, { role: 'coach', team: 'Team Zuid' });
  await database.db.updateTable('users').set({ active: false }).where('id', '=', retired.id).execute();
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await database.close();
  await provider.close();
});

async function appWith(env: Record<string, string> = {}, clock?: FixedClock): Promise<TestApp> {
  const app = await startTestApp({ database, clock, env: { PUBLIC_URL, ...provider.env, ...env } });
  apps.push(app);
  return app;
}

let plain: TestApp;
beforeAll(async () => {
  plain = await appWith();
});

/** The button → the provider's sign-in as `login` → back at the app: the callback's answer, and the agent. */
async function ssoSignIn(app: TestApp, login: string, next = '', browser: ProviderBrowser = provider.browser()) {
  const agent = request.agent(app.app);
  const start = await agent.get(`/login/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  expect(start.status).toBe(303);
  expect(start.headers.location).toMatch(new RegExp(`^${provider.issuer}/auth\\?`));
  const callback = await browser.signIn(start.headers.location as string, login);
  const response = await agent.get(callback.pathname + callback.search);
  return { agent, response, callback };
}

/** The last refused single sign-on in the app's security log. */
function lastRefusal(app: TestApp): Record<string, unknown> {
  const lines = app.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return lines.filter((line) => line.event === 'sso_sign_in_refused').at(-1)!;
}

/** The sign-in page the refusal leads to, and its message. */
async function refusalPage(agent: TestAgent, location: string) {
  expect(location).toMatch(/^\/login\?sso=\w+$/);
  const page = await agent.get(location);
  expect(page.status).toBe(200);
  return page.text;
}

async function identitiesOf(userId: number) {
  return database.db.selectFrom('sso_identities').select(['issuer', 'subject']).where('user_id', '=', userId).execute();
}

describe('the sign-in page', () => {
  test('shows the button when single sign-on is configured, with its own label when given', async () => {
    const page = await request(plain.app).get('/login?next=/today');
    expect(page.text).toContain('href="/login/oidc?next=%2Ftoday"');
    expect(page.text).toContain('Aanmelden met je organisatieaccount');
    const labelled = await appWith({ OIDC_BUTTON_LABEL: 'Aanmelden met Gemeente <Noord>' });
    expect((await request(labelled.app).get('/login')).text).toContain('Aanmelden met Gemeente &lt;Noord&gt;');
  });

  test('without OIDC_ISSUER there is no button and no single sign-on route', async () => {
    const none = await startTestApp({ database });
    apps.push(none);
    expect((await request(none.app).get('/login')).text).not.toContain('/login/oidc');
    expect((await request(none.app).get('/login/oidc')).status).toBe(404);
    expect((await request(none.app).get('/login/oidc/callback?code=x&state=y')).status).toBe(404);
  });
});

describe('matching and binding', () => {
  test('the first sign-in matches the email of an active account and binds it to issuer and subject', async () => {
    const { agent, response } = await ssoSignIn(plain, 'sub-coach', '/today');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/today');
    const today = await agent.get('/today');
    expect(today.status).toBe(200);
    expect(today.text).toContain(coach.displayName);
    expect(await identitiesOf(coach.id)).toEqual([{ issuer: provider.issuer, subject: 'sub-coach' }]);
    const events = await auditEventsOf(database.db, 'user', coach.id);
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(['login', 'sso_bind']));
    expect(events.find((event) => event.action === 'login')?.details).toEqual({ method: 'oidc' });
  });

  test('later sign-ins find the account by subject, even when its email has changed', async () => {
    await database.db.updateTable('users').set({ email: 'renamed.coach@example.test' }).where('id', '=', coach.id).execute();
    try {
      const { agent, response } = await ssoSignIn(plain, 'sub-coach');
      expect(response.status).toBe(303);
      expect((await agent.get('/today')).text).toContain(coach.displayName);
      expect(await identitiesOf(coach.id)).toHaveLength(1);
    } finally {
      await database.db.updateTable('users').set({ email: coach.email }).where('id', '=', coach.id).execute();
    }
  });

  test('another person of the provider with the same email cannot take over a bound account', async () => {
    const { agent, response } = await ssoSignIn(plain, 'sub-twin');
    expect(await refusalPage(agent, response.headers.location as string)).toContain('al gekoppeld aan een andere persoon');
    expect((await agent.get('/today')).status).toBe(303);
  });

  test("Entra's preferred_username serves as the email when no email claim is sent", async () => {
    const person = await createTestUser(database, { role: 'coach', team: 'Team Noord', email: 'upn.person@example.test' });
    const { response } = await ssoSignIn(plain, 'sub-upn');
    expect(response.status).toBe(303);
    expect(await identitiesOf(person.id)).toEqual([{ issuer: provider.issuer, subject: 'sub-upn' }]);
  });

  test('an unknown person is refused and no account is made', async () => {
    const { agent, response } = await ssoSignIn(plain, 'sub-unknown');
    const page = await refusalPage(agent, response.headers.location as string);
    expect(page).toContain('InBeeld kent geen actief account met je e-mailadres');
    const made = await database.db.selectFrom('users').select('id').where('email', '=', 'nobody@example.test').execute();
    expect(made).toEqual([]);
  });

  test('a deactivated account is refused, matched by email or by subject', async () => {
    const first = await ssoSignIn(plain, 'sub-retired');
    expect(await refusalPage(first.agent, first.response.headers.location as string)).toContain('gedeactiveerd');
    expect(await identitiesOf(retired.id)).toEqual([]);
    // Bound while active, then deactivated: the subject finds it, and it stays refused.
    await database.db.updateTable('users').set({ active: true }).where('id', '=', retired.id).execute();
    expect((await ssoSignIn(plain, 'sub-retired')).response.status).toBe(303);
    await database.db.updateTable('users').set({ active: false }).where('id', '=', retired.id).execute();
    const again = await ssoSignIn(plain, 'sub-retired');
    expect(again.response.headers.location).toBe('/login?sso=deactivated');
  });

  test('a person the provider sends no email for cannot be matched', async () => {
    const { agent, response } = await ssoSignIn(plain, 'sub-noemail');
    expect(await refusalPage(agent, response.headers.location as string)).toContain('geen e-mailadres');
  });
});

describe('OIDC_CREATE_USERS', () => {
  test('makes an unknown person a coach of OIDC_DEFAULT_TEAM, without a password, bound and audited', async () => {
    const creating = await appWith({ OIDC_CREATE_USERS: 'true', OIDC_DEFAULT_TEAM: 'team zuid' });
    const { agent, response } = await ssoSignIn(creating, 'sub-new');
    expect(response.status).toBe(303);
    const made = await database.db
      .selectFrom('users')
      .innerJoin('teams', 'teams.id', 'users.team_id')
      .select(['users.id', 'users.role', 'users.display_name', 'users.password_hash', 'teams.name'])
      .where('users.email', '=', 'new.person@example.test')
      .executeTakeFirstOrThrow();
    expect(made).toMatchObject({ role: 'coach', display_name: 'Nieuwe Persoon', password_hash: null, name: 'Team Zuid' });
    expect(await identitiesOf(made.id)).toEqual([{ issuer: provider.issuer, subject: 'sub-new' }]);
    expect((await auditEventsOf(database.db, 'user', made.id)).map((event) => event.action)).toEqual(['create', 'login']);
    expect((await agent.get('/today')).text).toContain('Nieuwe Persoon');
  });

  test('without a team for the new coach the person is refused', async () => {
    const creating = await appWith({ OIDC_CREATE_USERS: 'true' });
    const { agent, response } = await ssoSignIn(creating, 'sub-unknown');
    expect(await refusalPage(agent, response.headers.location as string)).toContain('team dat InBeeld niet kent');
  });
});

describe('OIDC_ROLE_CLAIM', () => {
  let roles: TestApp;
  beforeAll(async () => {
    roles = await appWith({ OIDC_ROLE_CLAIM: 'roles', OIDC_CREATE_USERS: 'true' });
  });

  test("a new person gets the claim's role and team (an underscore for a space, any case)", async () => {
    const { agent, response } = await ssoSignIn(roles, 'sub-manager');
    expect(response.status).toBe(303);
    const made = await database.db
      .selectFrom('users')
      .innerJoin('teams', 'teams.id', 'users.team_id')
      .select(['users.role', 'teams.name'])
      .where('users.email', '=', 'manager.sso@example.test')
      .executeTakeFirstOrThrow();
    expect(made).toEqual({ role: 'manager', name: 'Team Noord' });
    expect((await agent.get('/dashboard')).status).toBe(200);
    const boss = await ssoSignIn(roles, 'sub-boss');
    expect(boss.response.status).toBe(303);
    expect((await boss.agent.get('/admin/users')).status).toBe(200);
  });

  test('an existing account is brought to the role the claim gives, audited', async () => {
    const person = await createTestUser(database, { role: 'coach', team: 'Team Zuid', email: 'norole.sso@example.test' });
    // The claim holds no InBeeld value: no role, so no entry.
    const refused = await ssoSignIn(roles, 'sub-norole');
    expect(await refusalPage(refused.agent, refused.response.headers.location as string)).toContain('geen rol in InBeeld');
    expect(await identitiesOf(person.id)).toEqual([]);
    // The manager the claim made above, since made a coach of Team Zuid in InBeeld: the claim wins at the next sign-in.
    const account = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'manager.sso@example.test')
      .executeTakeFirstOrThrow();
    const zuid = await database.db.selectFrom('teams').select('id').where('name', '=', 'Team Zuid').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ role: 'coach', team_id: zuid.id }).where('id', '=', account.id).execute();
    expect((await ssoSignIn(roles, 'sub-manager')).response.status).toBe(303);
    const after = await database.db
      .selectFrom('users')
      .select(['role', 'team_id'])
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(after.role).toBe('manager');
    expect(after.team_id).not.toBe(zuid.id);
    const update = (await auditEventsOf(database.db, 'user', account.id)).filter((event) => event.action === 'update').at(-1);
    expect(update?.details).toMatchObject({ changed: ['role', 'teamId'], via: 'sso', role: 'manager', fromTeamId: zuid.id });
  });

  test('an unknown team and two teams for one role are refused', async () => {
    const nowhere = await ssoSignIn(roles, 'sub-nowhere');
    expect(nowhere.response.headers.location).toBe('/login?sso=unknownTeam');
    const two = await ssoSignIn(roles, 'sub-twoteams');
    expect(await refusalPage(two.agent, two.response.headers.location as string)).toContain('meer dan één team');
  });
});

describe('refusals of a wrong answer', () => {
  async function started(app: TestApp) {
    const agent = request.agent(app.app);
    const start = await agent.get('/login/oidc');
    const cookie = /inbeeld\.sso=([^;]+)/.exec(String(start.headers['set-cookie']))![1]!;
    const callback = await provider.browser().signIn(start.headers.location as string, 'sub-admin');
    return { agent, callback, cookie };
  }

  test('a wrong state is refused, and so is an answer without the browser that started it', async () => {
    const { agent, callback } = await started(plain);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'not-the-state');
    const wrong = await agent.get(tampered.pathname + tampered.search);
    expect(await refusalPage(agent, wrong.headers.location as string)).toContain('hoort niet bij een aanmelding');
    const stranger = request.agent(plain.app);
    const elsewhere = await stranger.get(callback.pathname + callback.search);
    expect(elsewhere.headers.location).toBe('/login?sso=wrongState');
    expect(await identitiesOf(admin.id)).toEqual([]);
  });

  test('a wrong nonce is refused', async () => {
    const { agent, callback, cookie } = await started(plain);
    const flow = openFlow(SECRET, decodeURIComponent(cookie), plain.clock.now().toMillis())!;
    const forged = sealFlow(SECRET, { ...flow, nonce: 'another-nonce' });
    agent.jar.setCookie(`${SSO_FLOW_COOKIE}=${forged}; Path=/login/oidc`, '127.0.0.1', '/login/oidc');
    const response = await agent.get(callback.pathname + callback.search);
    expect(await refusalPage(agent, response.headers.location as string)).toContain('kon niet worden gecontroleerd');
    expect(lastRefusal(plain)).toMatchObject({ refusal: 'notVerified', providerError: expect.stringMatching(/nonce/) });
    expect(await identitiesOf(admin.id)).toEqual([]);
  });

  test('an answer of another issuer is refused', async () => {
    const { agent, callback } = await started(plain);
    const tampered = new URL(callback);
    tampered.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    const response = await agent.get(tampered.pathname + tampered.search);
    expect(response.headers.location).toBe('/login?sso=notVerified');
    expect(lastRefusal(plain)).toMatchObject({ refusal: 'notVerified', providerError: expect.stringMatching(/iss/) });
    expect(await identitiesOf(admin.id)).toEqual([]);
  });

  test("the provider's error, and a provider that cannot be reached, are said on the sign-in page", async () => {
    const { agent, callback } = await started(plain);
    const denied = new URL(callback);
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    const response = await agent.get(denied.pathname + denied.search);
    expect(await refusalPage(agent, response.headers.location as string)).toContain('gaf een fout of was niet bereikbaar');
    const unreachable = await appWith({ OIDC_ISSUER: 'http://127.0.0.1:1' });
    const start = await request(unreachable.app).get('/login/oidc');
    expect(start.status).toBe(303);
    expect(start.headers.location).toBe('/login?sso=providerError');
  });

  test('a crafted callback never answers 500', async () => {
    for (const query of ['', '?code=x', '?state=%00', '?code=x&state=y&iss=z', '?error=<script>']) {
      const response = await request(plain.app).get(`/login/oidc/callback${query}`);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/login?sso=wrongState');
    }
    expect((await request(plain.app).get('/login?sso=<script>')).status).toBe(200);
  });
});

describe('the second factor', () => {
  test('an SSO sign-in skips the local second factor, even for a role that requires one', async () => {
    const strict = await appWith({ MFA_REQUIRED_ROLES: 'coach,manager,admin' });
    const { agent, response } = await ssoSignIn(strict, 'sub-coach', '/today');
    expect(response.headers.location).toBe('/today');
    expect((await agent.get('/today')).status).toBe(200);
    // A password sign-in of the same person is held for the second step.
    const byPassword = await signIn(request.agent(strict.app), coach);
    expect(byPassword.headers.location).toBe('/login/enrol');
  });

  test("an administrator's reset of the local second factor is told once at the next SSO sign-in", async () => {
    await database.db.updateTable('users').set({ second_factor_reset_at: new Date() }).where('id', '=', coach.id).execute();
    const { agent, response } = await ssoSignIn(plain, 'sub-coach', '/today');
    expect(response.headers.location).toBe('/account/security?done=factorReset');
    expect((await agent.get('/account/security?done=factorReset')).text).toContain('Een beheerder heeft je tweede factor gewist');
    expect((await ssoSignIn(plain, 'sub-coach', '/today')).response.headers.location).toBe('/today');
  });

  test('step-up of an SSO session re-asks the identity provider (max_age=0), and counts only for the same person', async () => {
    const clock = new FixedClock('2026-11-23T09:00:00+01:00');
    const stepping = await appWith({ SESSION_IDLE_MINUTES: '240', STEP_UP_MINUTES: '60' }, clock);
    const browser = provider.browser();
    const { agent, response } = await ssoSignIn(stepping, 'sub-admin', '/reports/export', browser);
    expect(response.headers.location).toBe('/reports/export');
    // The export itself answers (422 without a period chosen): no step-up in between.
    expect((await agent.get('/reports/export')).status).toBe(422);
    // The provider's own session: a second sign-in there asks nothing.
    expect(browser.logins).toBe(1);
    expect((await ssoSignIn(stepping, 'sub-admin', '', browser)).response.status).toBe(303);
    expect(browser.logins).toBe(1);

    clock.advance({ minutes: 61 });
    const guarded = await agent.get('/reports/export');
    expect(guarded.status).toBe(303);
    expect(guarded.headers.location).toBe('/login/oidc/step-up?next=%2Freports%2Fexport');
    const toProvider = await agent.get(guarded.headers.location as string);
    expect(toProvider.headers.location).toMatch(/[?&]max_age=0(&|$)/);
    const callback = await browser.signIn(toProvider.headers.location as string, 'sub-admin');
    expect(browser.logins).toBe(2);
    const back = await agent.get(callback.pathname + callback.search);
    expect(back.headers.location).toBe('/reports/export');
    expect((await agent.get('/reports/export')).status).toBe(422);
    const stepUps = (await auditEventsOf(database.db, 'user', admin.id)).filter((event) => event.action === 'step_up');
    expect(stepUps.at(-1)?.details).toEqual({ method: 'oidc' });

    // Someone else authenticating at the provider in this browser steps nobody up.
    clock.advance({ minutes: 61 });
    const again = await agent.get('/login/oidc/step-up?next=%2Freports%2Fexport');
    const other = await provider.browser().signIn(again.headers.location as string, 'sub-coach');
    const refused = await agent.get(other.pathname + other.search);
    expect(refused.headers.location).toBe('/login/oidc/step-up?next=%2Freports%2Fexport&failed=otherPerson');
    const page = await agent.get(refused.headers.location as string);
    expect(page.status).toBe(403);
    expect(page.text).toContain('als een andere persoon');
    expect(page.text).toContain('href="/login/oidc/step-up?next=%2Freports%2Fexport"');
    expect((await agent.get('/reports/export')).headers.location).toBe('/login/oidc/step-up?next=%2Freports%2Fexport');
  });
});

describe('signing out', () => {
  test('ends the local session', async () => {
    const { agent } = await ssoSignIn(plain, 'sub-coach');
    const page = await agent.get('/account');
    expect(page.status).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const out = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(out.headers.location).toBe('/login?signedOut=1');
    expect((await agent.get('/account')).status).toBe(303);
  });
});

describe('PASSWORD_SIGNIN=admins-only', () => {
  let adminsOnly: TestApp;
  beforeAll(async () => {
    adminsOnly = await appWith({ PASSWORD_SIGNIN: 'admins-only' });
  });

  test('the right password signs in an administrator only; the page says so', async () => {
    const page = await request(adminsOnly.app).get('/login');
    expect(page.text).toContain('Met een wachtwoord melden alleen beheerders zich aan');
    const refused = await signIn(request.agent(adminsOnly.app), coach);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Aanmelden met een wachtwoord kan alleen voor beheerders');
    const signedIn = await signIn(request.agent(adminsOnly.app), admin);
    expect(signedIn.status).toBe(303);
  });

  test("a non-administrator's set-password link is of no use; an administrator's works", async () => {
    const now = adminsOnly.clock.now().toJSDate();
    const link = await issueSetPasswordLink(database.db, { userId: coach.id, purpose: 'reset', actorUserId: admin.id, now });
    const page = await request(adminsOnly.app).get(`/set-password?token=${link.token}`);
    expect(page.status).toBe(410);
    expect(page.text).toContain('meld je aan met je organisatieaccount');
    const adminLink = await issueSetPasswordLink(database.db, { userId: admin.id, purpose: 'reset', actorUserId: admin.id, now });
    expect((await request(adminsOnly.app).get(`/set-password?token=${adminLink.token}`)).status).toBe(200);
  });

  test('an administrator invites a coach without a set-password link, and cannot make one for them', async () => {
    const adminAgent = request.agent(adminsOnly.app);
    expect((await signIn(adminAgent, admin)).status).toBe(303);
    const team = await database.db.selectFrom('teams').select('id').where('name', '=', 'Team Noord').executeTakeFirstOrThrow();
    const form = await openForm(adminAgent, '/admin/users/new');
    const fields = { displayName: 'Via Provider', email: 'invited.sso@example.test', role: 'coach', teamId: String(team.id) };
    const invited = await adminAgent
      .post('/admin/users')
      .type('form')
      .send({ ...form, locale: 'nl', ...fields });
    expect(invited.status).toBe(303);
    expect(invited.headers.location).toMatch(/^\/admin\/users\/\d+\?done=invitedSso$/);
    const page = await adminAgent.get(invited.headers.location as string);
    expect(page.text).toContain('Het account is gemaakt. Deze persoon meldt zich aan met het organisatieaccount');
    expect(page.text).not.toContain('id="set-password-link"');
    expect(page.text).not.toContain('/password-link"');
    const id = /\/admin\/users\/(\d+)/.exec(invited.headers.location as string)![1]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const link = await adminAgent.post(`/admin/users/${id}/password-link`).type('form').send({ _csrf: token });
    expect(link.headers.location).toBe(`/admin/users/${id}?done=passwordOff`);
    // Their first single sign-on finds the invited account by its email.
    const bound = await ssoSignIn(adminsOnly, 'sub-invited');
    expect(bound.response.status).toBe(303);
    expect(await identitiesOf(Number(id))).toEqual([{ issuer: provider.issuer, subject: 'sub-invited' }]);
  });

  test('"forgot password" mails a link to an administrator only (the answer is the same)', async () => {
    const smtp = await startSmtpServer();
    try {
      const mailing = await appWith({ PASSWORD_SIGNIN: 'admins-only', SMTP_URL: smtp.url, MAIL_FROM: 'inbeeld@example.test' });
      for (const person of [coach, admin]) {
        const agent = request.agent(mailing.app);
        const form = await agent.get('/forgot-password');
        const asked = await agent
          .post('/forgot-password')
          .type('form')
          .send({ _csrf: csrfTokenFrom(form.text), email: person.email });
        expect(asked.status).toBe(200);
      }
      await mailing.services.mailing.idle();
      expect(smtp.received.map((mail) => mail.to)).toEqual([admin.email]);
    } finally {
      await smtp.close();
    }
  });

  test('single sign-on still signs everyone in', async () => {
    expect((await ssoSignIn(adminsOnly, 'sub-coach')).response.status).toBe(303);
  });
});
