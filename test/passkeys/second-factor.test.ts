import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { totpCodeAt } from '../../src/mfa/totp';
import { createTestUser, csrfTokenFrom, signIn, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { SoftwareAuthenticator, type Spoil } from './software-authenticator';

// A passkey in the sign-in's second step (src/auth/sign-in.ts, src/mfa): as the second step after the
// password, as the enrolment a role requires (MFA_REQUIRED_ROLES here: manager, admin), as step-up,
// and what a second factor rule means for removing one and for an administrator's reset.

const START = '2026-11-23T09:00:00+01:00';
const clock = new FixedClock(START);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { MFA_REQUIRED_ROLES: 'manager,admin' } });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

/** Options from a page's passkey form (its CSRF token), as the browser script asks for them. */
async function optionsFrom(agent: TestAgent, page: string, optionsPath: string) {
  const html = (await agent.get(page)).text;
  const token = csrfTokenFrom(html);
  const response = await agent.post(optionsPath).set('X-CSRF-Token', token);
  return {
    token,
    html,
    status: response.status,
    options: response.body as { challenge: string; user: { id: string }; allowCredentials: Array<{ id: string }> },
  };
}

/** A manager who must enrol and does so with a passkey at /login/enrol: signed in, with their authenticator. */
async function managerEnrolledWithPasskey(next = '/dashboard') {
  const user = await createTestUser(t.database, { role: 'manager' });
  const agent = request.agent(t.app);
  const first = await signIn(agent, user, next);
  expect(first.headers.location).toBe('/login/enrol');
  const authenticator = new SoftwareAuthenticator();
  const { token, html, options } = await optionsFrom(agent, '/login/enrol', '/login/enrol/passkey/options');
  expect(html).toContain('action="/login/enrol/passkey"');
  const enrolled = await agent
    .post('/login/enrol/passkey')
    .type('form')
    .send({ _csrf: token, name: 'Telefoon', credential: JSON.stringify(authenticator.register(options)) });
  return { user, agent, authenticator, enrolled };
}

/** A coach with a passkey (registered on /account/security), signed out again. */
async function coachWithPasskey(): Promise<{ user: UserFixture; authenticator: SoftwareAuthenticator }> {
  const user = await createTestUser(t.database, { role: 'coach' });
  const agent = request.agent(t.app);
  expect((await signIn(agent, user)).headers.location).toBe('/');
  const authenticator = new SoftwareAuthenticator();
  const { token, options } = await optionsFrom(agent, '/account/security', '/account/passkeys/options');
  const added = await agent
    .post('/account/passkeys')
    .type('form')
    .send({ _csrf: token, name: 'Laptop', credential: JSON.stringify(authenticator.register(options)) });
  expect(added.status).toBe(303);
  return { user, authenticator };
}

/** The password of a person with a passkey: the second step follows. */
async function passwordThenSecondStep(user: UserFixture, next = '/account') {
  const agent = request.agent(t.app);
  const first = await signIn(agent, user, next);
  expect(first.headers.location).toBe('/login/second-factor');
  return agent;
}

async function answerSecondStep(agent: TestAgent, answer: (options: { challenge: string }) => unknown) {
  const { token, options, status } = await optionsFrom(agent, '/login/second-factor', '/login/second-factor/passkey/options');
  expect(status).toBe(200);
  return {
    options,
    response: await agent
      .post('/login/second-factor/passkey')
      .type('form')
      .send({ _csrf: token, credential: JSON.stringify(answer(options)) }),
  };
}

const signedIn = async (agent: TestAgent) => (await agent.get('/account')).status === 200;

async function loginMethods(userId: number) {
  const rows = await t.database.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'login')
    .where('actor_user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((row) => (row.details as { method?: string }).method);
}

describe('a passkey as the second step after the password', () => {
  test('a person with a passkey is asked for it after the password; their own passkey signs them in', async () => {
    const { user, authenticator } = await coachWithPasskey();
    const agent = await passwordThenSecondStep(user);
    const page = await agent.get('/login/second-factor');
    expect(page.text).toContain('action="/login/second-factor/passkey"');
    expect(page.text).toContain('Bevestigen met een passkey');
    // Without an authenticator app the code field takes recovery codes only, and says so.
    expect(page.text).toContain('Geen passkey bij de hand? Vul een van je herstelcodes in.');
    expect(page.text).not.toContain('Zes cijfers uit je app');
    const { options, response } = await answerSecondStep(agent, (o) => authenticator.assert(o));
    expect(options.allowCredentials.map((c) => c.id)).toEqual([authenticator.id]);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/account');
    expect(await signedIn(agent)).toBe(true);
    expect((await loginMethods(user.id)).at(-1)).toBe('passkey');
  });

  test("another person's passkey is refused (401), and nobody is signed in", async () => {
    const { user } = await coachWithPasskey();
    const other = await coachWithPasskey();
    const agent = await passwordThenSecondStep(user);
    const { response } = await answerSecondStep(agent, (o) => other.authenticator.assert(o));
    expect(response.status).toBe(401);
    expect(response.text).toContain('Deze passkey kon niet worden gecontroleerd');
    expect(await signedIn(agent)).toBe(false);
  });

  test.each<[string, Spoil]>([
    ['another challenge', { challenge: 'c29tZS1vdGhlci1jaGFsbGVuZ2UtdGhhdC13YXMtbmV2ZXItaXNzdWVk' }],
    ['no user verification', { userVerified: false }],
  ])('an answer with %s is refused (401)', async (_case, spoil) => {
    const { user, authenticator } = await coachWithPasskey();
    const agent = await passwordThenSecondStep(user);
    const { response } = await answerSecondStep(agent, (o) => authenticator.assert(o, spoil));
    expect(response.status).toBe(401);
    expect(await signedIn(agent)).toBe(false);
  });

  test('without a pending sign-in there is nothing to answer', async () => {
    const { authenticator } = await coachWithPasskey();
    const agent = request.agent(t.app);
    const token = csrfTokenFrom((await agent.get('/login')).text);
    const options = await agent.post('/login/second-factor/passkey/options').set('X-CSRF-Token', token);
    expect(options.status).toBe(409);
    const answer = await agent
      .post('/login/second-factor/passkey')
      .type('form')
      .send({ _csrf: token, credential: JSON.stringify(authenticator.assert({ challenge: 'AAAA' })) });
    expect(answer.headers.location).toBe('/login?pendingExpired=1');
    expect(await signedIn(agent)).toBe(false);
  });
});

describe('enrolling with a passkey when the role requires a second factor', () => {
  test('the passkey is stored, signs the manager in, and ten recovery codes are shown once', async () => {
    const { user, agent, enrolled } = await managerEnrolledWithPasskey();
    expect(enrolled.status).toBe(303);
    expect(enrolled.headers.location).toBe('/account/security/recovery-codes?next=%2Fdashboard');
    const codes = await agent.get(enrolled.headers.location as string);
    expect([...codes.text.matchAll(/<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/g)]).toHaveLength(10);
    expect(await signedIn(agent)).toBe(true);
    const stored = await t.database.db.selectFrom('passkeys').select('name').where('user_id', '=', user.id).execute();
    expect(stored).toEqual([{ name: 'Telefoon' }]);
    expect((await loginMethods(user.id)).at(-1)).toBe('passkey');
  });

  test('an answer without user verification stores nothing and signs nobody in', async () => {
    const user = await createTestUser(t.database, { role: 'manager' });
    const agent = request.agent(t.app);
    await signIn(agent, user);
    const { token, options } = await optionsFrom(agent, '/login/enrol', '/login/enrol/passkey/options');
    const refused = await agent
      .post('/login/enrol/passkey')
      .type('form')
      .send({
        _csrf: token,
        name: 'X',
        credential: JSON.stringify(new SoftwareAuthenticator().register(options, { userVerified: false })),
      });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Passkey niet toegevoegd');
    expect(await signedIn(agent)).toBe(false);
    expect(await t.database.db.selectFrom('passkeys').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  test('the last passkey of a person whose role requires a second factor cannot be removed', async () => {
    const { user, agent } = await managerEnrolledWithPasskey();
    const [passkey] = await t.database.db.selectFrom('passkeys').select('id').where('user_id', '=', user.id).execute();
    const confirm = await agent.get(`/account/passkeys/${passkey!.id}/remove`);
    expect(confirm.text).toContain('Je rol vraagt om een tweede stap en dit is je laatste');
    expect(confirm.text).not.toContain('Ja, verwijderen');
    const removed = await agent
      .post(`/account/passkeys/${passkey!.id}/remove`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(confirm.text) });
    expect(removed.headers.location).toBe('/account/security?done=passkeyRequired#passkeys');
    expect(await t.database.db.selectFrom('passkeys').select('id').where('user_id', '=', user.id).execute()).toHaveLength(1);
    expect((await agent.get(removed.headers.location as string)).text).toContain('Je passkey is niet verwijderd');
  });
});

describe('step-up with a passkey', () => {
  test('an hour after the passkey, exporting asks again; the passkey renews it (audited) and goes on', async () => {
    const { user, agent, authenticator } = await managerEnrolledWithPasskey();
    clock.advance({ minutes: 61 });
    const asked = await agent.get('/reports/export');
    expect(asked.status).toBe(303);
    const stepUpPage = asked.headers.location as string;
    expect(stepUpPage).toMatch(/^\/login\/step-up\?next=/);
    const { token, html, options } = await optionsFrom(agent, stepUpPage, '/login/step-up/passkey/options');
    expect(html).toContain('action="/login/step-up/passkey"');
    expect(options.allowCredentials.map((c) => c.id)).toEqual([authenticator.id]);
    const confirmed = await agent
      .post('/login/step-up/passkey')
      .type('form')
      .send({ _csrf: token, next: '/reports/export', credential: JSON.stringify(authenticator.assert(options)) });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe('/reports/export');
    expect((await agent.get('/reports/export')).status).not.toBe(303);
    const stepUps = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'step_up')
      .where('actor_user_id', '=', user.id)
      .execute();
    expect(stepUps).toEqual([{ details: { method: 'passkey' } }]);
  });

  test("another person's passkey does not step up (401)", async () => {
    const { agent } = await managerEnrolledWithPasskey();
    const other = await managerEnrolledWithPasskey();
    clock.advance({ minutes: 61 });
    const { token, options } = await optionsFrom(
      agent,
      '/login/step-up?next=%2Freports%2Fexport',
      '/login/step-up/passkey/options',
    );
    const refused = await agent
      .post('/login/step-up/passkey')
      .type('form')
      .send({ _csrf: token, next: '/reports/export', credential: JSON.stringify(other.authenticator.assert(options)) });
    expect(refused.status).toBe(401);
    expect((await agent.get('/reports/export')).status).toBe(303);
  });
});

describe('second factors and an administrator’s reset', () => {
  test('passkeys count as a second factor, and a reset removes them', async () => {
    const { user } = await coachWithPasskey();
    expect(await t.services.mfa.secondFactorsOf(user.id)).toEqual({ totp: false, passkeys: 1 });
    const admin = await createTestUser(t.database, { role: 'admin' });
    expect(await t.services.mfa.resetSecondFactor(admin.id, user.id, clock.now().toJSDate())).toEqual({ kind: 'reset' });
    expect(await t.services.mfa.secondFactorsOf(user.id)).toEqual({ totp: false, passkeys: 0 });
    const reset = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'reset_second_factor')
      .where('entity_id', '=', String(user.id))
      .execute();
    expect(reset).toEqual([{ details: { totp: false, recoveryCodes: 10, passkeys: 1 } }]);
  });

  test("the administrator's page of a person with passkeys only says so, and offers the reset even with no recovery codes left", async () => {
    const { user } = await coachWithPasskey();
    const admin = await createTestUser(t.database, { role: 'admin', team: null });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await t.database.db.insertInto('user_totp').values({ user_id: admin.id, secret, last_used_step: null }).execute();
    const agent = request.agent(t.app);
    expect((await signIn(agent, admin)).headers.location).toBe('/login/second-factor');
    const page = await agent.get('/login/second-factor');
    const code = totpCodeAt(secret, clock.now().toJSDate());
    expect(
      (
        await agent
          .post('/login/second-factor')
          .type('form')
          .send({ _csrf: csrfTokenFrom(page.text), code })
      ).status,
    ).toBe(303);
    const section = async () => {
      const html = (await agent.get(`/admin/users/${user.id}`)).text;
      return /<section[^>]*id="second-factor"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    };
    const before = await section();
    expect(before).not.toContain('Authenticator-app ingesteld');
    expect(before).toContain('Passkeys: 1.');
    expect(before).toContain('Ongebruikte herstelcodes: 10.');
    expect(before).toContain(`/admin/users/${user.id}/second-factor/reset`);
    // Every recovery code spent: the passkey is still a second factor to reset.
    await t.database.db
      .updateTable('recovery_codes')
      .set({ used_at: clock.now().toJSDate() })
      .where('user_id', '=', user.id)
      .execute();
    const after = await section();
    expect(after).not.toContain('Geen tweede factor ingesteld');
    expect(after).toContain(`/admin/users/${user.id}/second-factor/reset`);
  });
});
