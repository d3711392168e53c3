import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { totpCodeAt } from '../../src/mfa/totp';
import { createTestUser, csrfToken, csrfTokenFrom, signIn, startTestApp, type TestApp, type UserFixture } from '../helpers/app';

// The sign-in's second step (issue 18 items 1 and 3): enrolment a role requires before anything
// else, the authenticator code after the password (±1 step of drift, no replay, throttled like
// passwords), recovery codes (single use, hashed, regenerable), the administrator's reset.

const START = '2026-11-23T09:00:00+01:00';
const clock = new FixedClock(START);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { MFA_REQUIRED_ROLES: 'manager,admin', LOGIN_FAILURES_PER_ACCOUNT: '5' } });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

const now = () => clock.now().toJSDate();

/** The key shown on an enrolment page, without its spaces. */
function keyFrom(html: string): string {
  const match = /<code class="totp-key" id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match) throw new Error('no key on the page');
  return match[1]!.replace(/ /g, '');
}

function recoveryCodesFrom(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((match) => match[1]!);
}

async function postCode(agent: TestAgent, path: string, code: string, page = path, extra: Record<string, string> = {}) {
  const token = csrfTokenFrom((await agent.get(page)).text);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: token, code, ...extra });
}

/** A manager who signs in for the first time: enrolment first. Returns the agent (signed in), the key and the recovery codes. */
async function enrolledManager(): Promise<{ user: UserFixture; agent: TestAgent; secret: string; codes: string[] }> {
  const user = await createTestUser(t.database, { role: 'manager' });
  const agent = request.agent(t.app);
  const first = await signIn(agent, user, '/dashboard');
  expect(first.status).toBe(303);
  expect(first.headers.location).toBe('/login/enrol');
  const page = await agent.get('/login/enrol');
  const secret = keyFrom(page.text);
  const confirmed = await agent
    .post('/login/enrol')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), code: totpCodeAt(secret, now()) });
  expect(confirmed.status).toBe(303);
  expect(confirmed.headers.location).toBe('/account/security/recovery-codes?next=%2Fdashboard');
  const shown = await agent.get(confirmed.headers.location as string);
  const codes = recoveryCodesFrom(shown.text);
  return { user, agent, secret, codes };
}

describe('a role that requires a second factor', () => {
  it('goes to enrolment after the password and can do nothing else until it is done', async () => {
    const user = await createTestUser(t.database, { role: 'admin' });
    const agent = request.agent(t.app);
    const response = await signIn(agent, user, '/admin/users');
    expect(response.headers.location).toBe('/login/enrol');
    for (const page of ['/admin/users', '/account', '/dashboard', '/account/security']) {
      const refused = await agent.get(page);
      expect(refused.status).toBe(303);
      expect(refused.headers.location).toMatch(/^\/login/);
    }
    expect((await agent.get('/login/second-factor')).headers.location).toBe('/login/enrol');
    const enrol = await agent.get('/login/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.text).toContain('data:image/svg+xml;base64,');
    // Not signed in: no login event yet.
    const logins = await t.database.db.selectFrom('audit_events').select('action').where('actor_user_id', '=', user.id).execute();
    expect(logins.map((event) => event.action)).not.toContain('login');
  });

  it('is signed in by the first code, sees ten recovery codes once, and goes on to where it was going', async () => {
    const { user, agent, codes } = await enrolledManager();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Shown once: the page is gone on the second look.
    expect((await agent.get('/account/security/recovery-codes')).headers.location).toBe('/account/security');
    expect((await agent.get('/dashboard')).status).toBe(200);
    const stored = await t.database.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(10);
    // Hashed: no code is stored as it was shown.
    for (const row of stored) expect(codes.map((code) => code.replace('-', ''))).not.toContain(row.code_hash);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_id', '=', String(user.id))
      .where('entity_type', '=', 'user')
      .where('action', '!=', 'create')
      .orderBy('id')
      .execute();
    expect(events.map((event) => event.action)).toEqual(['enrol_totp', 'regenerate_recovery_codes', 'login']);
    expect(events[2]!.details).toEqual({ method: 'totp' });
  });

  it('a wrong first code keeps the enrolment page with its key, and signs nobody in', async () => {
    const user = await createTestUser(t.database, { role: 'manager' });
    const agent = request.agent(t.app);
    await signIn(agent, user);
    const page = await agent.get('/login/enrol');
    const refused = await agent
      .post('/login/enrol')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), code: '000000' });
    expect(refused.status).toBe(422);
    expect(keyFrom(refused.text)).toBe(keyFrom(page.text));
    const garbage = await agent
      .post('/login/enrol')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), code: 'abc' });
    expect(garbage.status).toBe(422);
    expect((await agent.get('/dashboard')).status).toBe(303);
  });

  it('a set-password link of such a role leads to enrolment too, not past it', async () => {
    const user = await createTestUser(t.database, { role: 'admin', team: null });
    const { token } = await t.services.users.issueSetPasswordLink({
      userId: user.id,
      purpose: 'reset',
      actorUserId: null,
      now: now(),
    });
    const agent = request.agent(t.app);
    const page = await agent.get(`/set-password?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    const form = { _csrf: csrfTokenFrom(page.text) };
    const password = 'kraanvogel zonnedak fietsbel 7';
    const response = await agent
      .post('/set-password')
      .type('form')
      .send({ ...form, token, password, confirmPassword: password });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login/enrol');
    expect((await agent.get('/admin/users')).status).toBe(303);
  });

  it('a coach (role not required) signs in with the password alone', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const agent = request.agent(t.app);
    const response = await signIn(agent, coach);
    expect(response.headers.location).toBe('/');
    expect((await agent.get('/today')).status).toBe(200);
  });

  it('a pending sign-in expires after ten minutes', async () => {
    const user = await createTestUser(t.database, { role: 'manager' });
    const agent = request.agent(t.app);
    await signIn(agent, user);
    clock.advance({ minutes: 11 });
    expect((await agent.get('/login/enrol')).headers.location).toBe('/login?pendingExpired=1');
  });
});

describe('the code after the password', () => {
  it('signs in with the current code, or one step before or after; not two steps off', async () => {
    const { user, secret } = await enrolledManager();
    for (const offsetSeconds of [-30, 0, 30]) {
      clock.advance({ minutes: 2 });
      const agent = request.agent(t.app);
      expect((await signIn(agent, user, '/dashboard')).headers.location).toBe('/login/second-factor');
      const code = totpCodeAt(secret, new Date(now().getTime() + offsetSeconds * 1000));
      const response = await postCode(agent, '/login/second-factor', code);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/dashboard');
    }
    clock.advance({ minutes: 2 });
    const agent = request.agent(t.app);
    await signIn(agent, user);
    const tooOld = await postCode(agent, '/login/second-factor', totpCodeAt(secret, new Date(now().getTime() - 60_000)));
    expect(tooOld.status).toBe(401);
  });

  it('refuses a code that was used already (replay), also in another session', async () => {
    const { user, secret } = await enrolledManager();
    clock.advance({ minutes: 1 });
    const code = totpCodeAt(secret, now());
    const first = request.agent(t.app);
    await signIn(first, user);
    expect((await postCode(first, '/login/second-factor', code)).status).toBe(303);
    const second = request.agent(t.app);
    await signIn(second, user);
    const replay = await postCode(second, '/login/second-factor', code);
    expect(replay.status).toBe(401);
    expect(replay.text).toContain('al gebruikt');
    // The enrolment's own code cannot sign in either: its step is stored as used.
  });

  it('a recovery code signs in once, and is audited with how many are left', async () => {
    const { user, codes } = await enrolledManager();
    const agent = request.agent(t.app);
    await signIn(agent, user);
    expect((await postCode(agent, '/login/second-factor', codes[3]!.toUpperCase())).status).toBe(303);
    const again = request.agent(t.app);
    await signIn(again, user);
    expect((await postCode(again, '/login/second-factor', codes[3]!)).status).toBe(401);
    const used = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('entity_id', '=', String(user.id))
      .where('action', '=', 'use_recovery_code')
      .execute();
    expect(used.map((event) => event.details)).toEqual([{ left: 9 }]);
  });

  it('throttles wrong codes like passwords: after the limit even the right code is refused until the window ends', async () => {
    const { user, secret } = await enrolledManager();
    const agent = request.agent(t.app);
    await signIn(agent, user);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await postCode(agent, '/login/second-factor', '123456')).status).toBe(401);
    }
    clock.advance({ minutes: 1 });
    const refused = await postCode(agent, '/login/second-factor', totpCodeAt(secret, now()));
    expect(refused.status).toBe(429);
    clock.advance({ minutes: 15 });
    // The pending sign-in has expired meanwhile: the password again, then the code.
    const later = request.agent(t.app);
    await signIn(later, user);
    expect((await postCode(later, '/login/second-factor', totpCodeAt(secret, now()))).status).toBe(303);
  });

  it('a deactivated account between the two steps is not signed in', async () => {
    const { user, secret } = await enrolledManager();
    const agent = request.agent(t.app);
    await signIn(agent, user);
    await t.database.db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute();
    clock.advance({ minutes: 1 });
    const response = await postCode(agent, '/login/second-factor', totpCodeAt(secret, now()));
    expect(response.headers.location).toBe('/login?pendingExpired=1');
    expect((await agent.get('/dashboard')).status).toBe(303);
  });

  it('without a pending sign-in the second step sends to the sign-in page', async () => {
    const agent = request.agent(t.app);
    expect((await agent.get('/login/second-factor')).headers.location).toBe('/login?pendingExpired=1');
    const token = await csrfToken(agent);
    const post = await agent.post('/login/second-factor').type('form').send({ _csrf: token, code: '123456' });
    expect(post.headers.location).toBe('/login?pendingExpired=1');
  });
});

describe('/account/security', () => {
  it('a coach enrols voluntarily, and then signs in with a code', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const agent = request.agent(t.app);
    await signIn(agent, coach);
    expect((await agent.get('/account')).text).toContain('href="/account/security"');
    const page = await agent.get('/account/security/totp');
    expect(page.status).toBe(200);
    const secret = keyFrom(page.text);
    const confirmed = await agent
      .post('/account/security/totp')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), code: totpCodeAt(secret, now()) });
    expect(confirmed.status).toBe(303);
    const codes = recoveryCodesFrom((await agent.get(confirmed.headers.location as string)).text);
    expect(codes).toHaveLength(10);
    expect((await agent.get('/account/security')).text).toContain('10');
    clock.advance({ minutes: 1 });
    const next = request.agent(t.app);
    expect((await signIn(next, coach)).headers.location).toBe('/login/second-factor');
    expect((await postCode(next, '/login/second-factor', totpCodeAt(secret, now()))).status).toBe(303);
  });

  it('regenerating recovery codes replaces all old ones', async () => {
    const { user, agent, codes } = await enrolledManager();
    const token = await csrfToken(agent, '/account/security');
    const response = await agent.post('/account/security/recovery-codes').type('form').send({ _csrf: token });
    expect(response.headers.location).toBe('/account/security/recovery-codes');
    const fresh = recoveryCodesFrom((await agent.get('/account/security/recovery-codes')).text);
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => codes.includes(code))).toEqual([]);
    const other = request.agent(t.app);
    await signIn(other, user);
    expect((await postCode(other, '/login/second-factor', codes[0]!)).status).toBe(401);
    expect((await postCode(other, '/login/second-factor', fresh[0]!)).status).toBe(303);
  });

  it('a role that requires a second factor cannot remove its only one; a coach can', async () => {
    const { user, agent } = await enrolledManager();
    const token = await csrfToken(agent, '/account/security/totp/disable');
    const refused = await agent.post('/account/security/totp/disable').type('form').send({ _csrf: token });
    expect(refused.headers.location).toBe('/account/security?done=disableRefused');
    expect(await t.database.db.selectFrom('user_totp').select('user_id').where('user_id', '=', user.id).execute()).toHaveLength(
      1,
    );

    const coach = await createTestUser(t.database, { role: 'coach' });
    const coachAgent = request.agent(t.app);
    await signIn(coachAgent, coach);
    const page = await coachAgent.get('/account/security/totp');
    await coachAgent
      .post('/account/security/totp')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), code: totpCodeAt(keyFrom(page.text), now()) });
    const disableToken = await csrfToken(coachAgent, '/account/security/totp/disable');
    const done = await coachAgent.post('/account/security/totp/disable').type('form').send({ _csrf: disableToken });
    expect(done.headers.location).toBe('/account/security?done=disabled');
    expect(await t.database.db.selectFrom('recovery_codes').select('id').where('user_id', '=', coach.id).execute()).toEqual([]);
    clock.advance({ minutes: 1 });
    expect((await signIn(request.agent(t.app), coach)).headers.location).toBe('/');
  });
});

describe("the administrator's reset", () => {
  it('removes the second factor (audited); the person is told at the next sign-in and enrols again', async () => {
    const { user } = await enrolledManager();
    const admin = await createTestUser(t.database, { role: 'admin', team: null });
    await t.database.db
      .insertInto('user_totp')
      .values({ user_id: admin.id, secret: 'JBSWY3DPEHPK3PXP', last_used_step: null })
      .execute();
    const adminAgent = request.agent(t.app);
    await signIn(adminAgent, admin);
    await postCode(adminAgent, '/login/second-factor', totpCodeAt('JBSWY3DPEHPK3PXP', now()));
    const personPage = await adminAgent.get(`/admin/users/${user.id}`);
    expect(personPage.text).toContain(`/admin/users/${user.id}/second-factor/reset`);
    const token = await csrfToken(adminAgent, `/admin/users/${user.id}/second-factor/reset`);
    const reset = await adminAgent.post(`/admin/users/${user.id}/second-factor/reset`).type('form').send({ _csrf: token });
    expect(reset.headers.location).toBe(`/admin/users/${user.id}?done=factorReset`);
    const event = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'reset_second_factor')
      .where('entity_id', '=', String(user.id))
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_user_id: admin.id, details: { totp: true, recoveryCodes: 10, passkeys: 0 } });
    expect((await adminAgent.get('/admin/audit')).text).toContain('Tweede factor gewist door beheerder');

    const agent = request.agent(t.app);
    expect((await signIn(agent, user)).headers.location).toBe('/login/enrol');
    expect((await agent.get('/login/enrol')).text).toContain('Een beheerder heeft je tweede factor gewist');
  });

  it('a coach whose factor was reset is told on /account/security after signing in with the password', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    await t.database.db
      .insertInto('user_totp')
      .values({ user_id: coach.id, secret: 'JBSWY3DPEHPK3PXP', last_used_step: null })
      .execute();
    const admin = await createTestUser(t.database, { role: 'admin', team: null });
    await t.database.db
      .insertInto('user_totp')
      .values({ user_id: admin.id, secret: 'JBSWY3DPEHPK3PXP', last_used_step: null })
      .execute();
    const adminAgent = request.agent(t.app);
    await signIn(adminAgent, admin);
    await postCode(adminAgent, '/login/second-factor', totpCodeAt('JBSWY3DPEHPK3PXP', now()));
    const token = await csrfToken(adminAgent, `/admin/users/${coach.id}/second-factor/reset`);
    await adminAgent.post(`/admin/users/${coach.id}/second-factor/reset`).type('form').send({ _csrf: token });

    const agent = request.agent(t.app);
    const response = await signIn(agent, coach);
    expect(response.headers.location).toBe('/account/security?done=factorReset');
    expect((await agent.get('/account/security?done=factorReset')).text).toContain('Een beheerder heeft je tweede factor gewist');
    // Told once.
    expect((await signIn(request.agent(t.app), coach)).headers.location).toBe('/');
  });
});
