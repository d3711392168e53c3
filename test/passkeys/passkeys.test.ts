import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  setCookie,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { SoftwareAuthenticator, type Spoil } from './software-authenticator';

// Passkeys over HTTP with a software authenticator (test/passkeys/software-authenticator.ts): the
// registration ceremony on one's own passkeys page, passwordless sign-in, and every refusal the
// issue names (wrong challenge, unknown credential, another person's credential, no user
// verification), plus renaming and removing. PUBLIC_URL is http://localhost:3000 (the default of the
// test config), so the relying party is `localhost` and the only origin http://localhost:3000.

const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(() => t.close());
beforeEach(() => clock.set('2026-11-23T09:00:00+01:00'));

interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string };
  excludeCredentials: Array<{ id: string }>;
  authenticatorSelection: { residentKey: string; userVerification: string };
}

async function registrationOptions(agent: TestAgent): Promise<CreationOptions> {
  const token = await csrfToken(agent, '/account/security');
  const response = await agent.post('/account/passkeys/options').set('X-CSRF-Token', token).set('Accept', 'application/json');
  expect(response.status).toBe(200);
  return response.body as CreationOptions;
}

async function postRegistration(agent: TestAgent, credential: unknown, name = 'Laptop') {
  const token = await csrfToken(agent, '/account/security');
  return agent
    .post('/account/passkeys')
    .type('form')
    .send({ _csrf: token, name, credential: typeof credential === 'string' ? credential : JSON.stringify(credential) });
}

/** A person with a passkey registered through the pages; their signed-in agent and authenticator. */
async function withPasskey(role: 'coach' | 'manager' = 'coach') {
  const user = await createTestUser(t.database, { role });
  const agent = await signedInAgent(t.app, user);
  const authenticator = new SoftwareAuthenticator();
  const options = await registrationOptions(agent);
  const response = await postRegistration(agent, authenticator.register(options));
  // The first second factor: ten recovery codes, shown once, then the security page.
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe(
    `/account/security/recovery-codes?next=${encodeURIComponent('/account/security?done=passkeyAdded#passkeys')}`,
  );
  return { user, agent, authenticator };
}

async function passkeysOf(userId: number) {
  return t.database.db
    .selectFrom('passkeys')
    .select(['id', 'name', 'credential_id', 'last_used_at'])
    .where('user_id', '=', userId)
    .execute();
}

async function auditOf(userId: number, action: string) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'details'])
    .where('action', '=', action)
    .where('entity_id', '=', String(userId))
    .execute();
}

/** A signed-out visitor's passwordless sign-in: the options (and challenge cookie), then the answer the test makes of them. */
async function passwordless(answer: (options: { challenge: string }) => unknown, agent = request.agent(t.app)) {
  const page = await agent.get('/login');
  const token = csrfTokenFrom(page.text);
  const optionsResponse = await agent.post('/login/passkey/options').set('X-CSRF-Token', token);
  expect(optionsResponse.status).toBe(200);
  const options = optionsResponse.body as { challenge: string; userVerification: string; allowCredentials: unknown[] };
  const credential = answer(options);
  const response = await agent
    .post('/login/passkey')
    .type('form')
    .send({
      _csrf: token,
      credential: typeof credential === 'string' ? credential : JSON.stringify(credential),
      next: '/account',
    });
  return { agent, options, optionsResponse, response };
}

async function isSignedIn(agent: TestAgent): Promise<boolean> {
  return (await agent.get('/account')).status === 200;
}

describe('registering a passkey', () => {
  test('the options ask for a discoverable passkey with user verification, for the relying party of PUBLIC_URL', async () => {
    const user = await createTestUser(t.database, { role: 'coach' });
    const agent = await signedInAgent(t.app, user);
    const options = await registrationOptions(agent);
    expect(options.rp.id).toBe('localhost');
    expect(options.user.name).toBe(user.email);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  test('is stored under its name, listed with when it was added and "not used yet", and audited', async () => {
    const { user, agent, authenticator } = await withPasskey();
    const rows = await passkeysOf(user.id);
    expect(rows).toEqual([expect.objectContaining({ name: 'Laptop', credential_id: authenticator.id, last_used_at: null })]);
    const page = await agent.get('/account/security');
    expect(page.text).toContain('Laptop');
    expect(page.text).toContain('Nog niet gebruikt');
    expect(await auditOf(user.id, 'add_passkey')).toEqual([{ actor_user_id: user.id, details: { passkeyId: rows[0]!.id } }]);
  });

  test('a second passkey of the same person excludes the first and shares its user handle', async () => {
    const { user, agent, authenticator } = await withPasskey();
    const options = await registrationOptions(agent);
    expect(options.excludeCredentials.map((c) => c.id)).toEqual([authenticator.id]);
    expect(options.user.id).toBe(authenticator.userHandle);
    const second = new SoftwareAuthenticator();
    const added = await postRegistration(agent, second.register(options), 'Telefoon');
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/account/security?done=passkeyAdded#passkeys');
    expect((await passkeysOf(user.id)).map((row) => row.name).sort()).toEqual(['Laptop', 'Telefoon']);
  });

  test.each<[string, Spoil]>([
    ['another challenge', { challenge: 'c29tZS1vdGhlci1jaGFsbGVuZ2UtdGhhdC13YXMtbmV2ZXItaXNzdWVk' }],
    ['another origin', { origin: 'http://evil.example' }],
    ['another relying party', { rpId: 'evil.example' }],
    ['no user verification', { userVerified: false }],
    ['an assertion type', { type: 'webauthn.get' }],
  ])('an answer with %s is refused (422), the name kept, nothing stored', async (_case, spoil) => {
    const user = await createTestUser(t.database, { role: 'coach' });
    const agent = await signedInAgent(t.app, user);
    const options = await registrationOptions(agent);
    const response = await postRegistration(agent, new SoftwareAuthenticator().register(options, spoil), 'Mijn <sleutel>');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Deze passkey kon niet worden gecontroleerd');
    expect(response.text).toContain('value="Mijn &lt;sleutel&gt;"');
    expect(await passkeysOf(user.id)).toEqual([]);
  });

  test('an answer without a ceremony, a second answer to one ceremony, and a malformed one are refused', async () => {
    const user = await createTestUser(t.database, { role: 'coach' });
    const agent = await signedInAgent(t.app, user);
    const authenticator = new SoftwareAuthenticator();
    const withoutCeremony = await postRegistration(
      agent,
      authenticator.register({ challenge: 'AAAAAAAAAAAAAAAAAAAAAA', user: { id: 'AAAA' } }),
    );
    expect(withoutCeremony.status).toBe(422);
    expect(withoutCeremony.text).toContain('Dit verzoek is verlopen');

    const options = await registrationOptions(agent);
    const answer = authenticator.register(options);
    expect((await postRegistration(agent, answer)).status).toBe(303);
    const again = await postRegistration(agent, answer);
    expect(again.status).toBe(422);
    expect((await passkeysOf(user.id)).length).toBe(1);

    await registrationOptions(agent);
    for (const junk of ['not json', '{"id":"x"}', '[]', 'null']) {
      const response = await postRegistration(agent, junk);
      expect(response.status).toBe(422);
    }
    // Without the script (no JavaScript), the form says what is needed.
    const empty = await agent
      .post('/account/passkeys')
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/account/security'), name: 'X', credential: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Er kwam geen passkey mee');
  });

  test('an expired ceremony is refused', async () => {
    const user = await createTestUser(t.database, { role: 'coach' });
    const agent = await signedInAgent(t.app, user);
    const options = await registrationOptions(agent);
    clock.advance({ minutes: 6 });
    const response = await postRegistration(agent, new SoftwareAuthenticator().register(options));
    expect(response.status).toBe(422);
    expect(await passkeysOf(user.id)).toEqual([]);
  });
});

describe('passwordless sign-in', () => {
  test('a registered passkey signs its owner in: to `next`, last used recorded, audited as a passkey sign-in', async () => {
    const { user, authenticator } = await withPasskey();
    clock.advance({ minutes: 3 });
    const { agent, options, optionsResponse, response } = await passwordless((o) => authenticator.assert(o));
    expect(options.userVerification).toBe('required');
    expect(options.allowCredentials).toEqual([]);
    expect(setCookie(optionsResponse, 'inbeeld.passkey')).toMatch(/HttpOnly/i);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/account');
    expect(await isSignedIn(agent)).toBe(true);
    expect((await passkeysOf(user.id))[0]!.last_used_at).toEqual(clock.now().toJSDate());
    const logins = await auditOf(user.id, 'login');
    expect(logins.at(-1)).toEqual({ actor_user_id: user.id, details: { method: 'passkey' } });
  });

  test.each<[string, Spoil & { userHandle?: string | null }]>([
    ['another challenge', { challenge: 'c29tZS1vdGhlci1jaGFsbGVuZ2UtdGhhdC13YXMtbmV2ZXItaXNzdWVk' }],
    ['another origin', { origin: 'http://localhost:4000' }],
    ['no user verification', { userVerified: false }],
    ['another person’s user handle', { userHandle: 'c29tZWJvZHktZWxzZQ' }],
  ])('an answer with %s is refused: back to sign in, not signed in', async (_case, spoil) => {
    const { authenticator } = await withPasskey();
    const { agent, response } = await passwordless((o) => authenticator.assert(o, spoil));
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?passkey=failed&next=%2Faccount');
    expect(await isSignedIn(agent)).toBe(false);
    const page = await agent.get(response.headers.location as string);
    expect(page.text).toContain('Aanmelden met deze passkey lukte niet');
  });

  test('an unknown credential is refused', async () => {
    const stranger = new SoftwareAuthenticator();
    stranger.userHandle = 'AAAA';
    const { agent, response } = await passwordless((o) => stranger.assert(o));
    expect(response.headers.location).toBe('/login?passkey=failed&next=%2Faccount');
    expect(await isSignedIn(agent)).toBe(false);
  });

  test('a challenge works once: the same answer again, or an answer without the challenge cookie, is refused', async () => {
    const { authenticator } = await withPasskey();
    let answer: unknown;
    const first = await passwordless((o) => (answer = authenticator.assert(o)));
    expect(first.response.headers.location).toBe('/account');

    const replay = request.agent(t.app);
    const token = csrfTokenFrom((await replay.get('/login')).text);
    const again = await replay
      .post('/login/passkey')
      .type('form')
      .send({ _csrf: token, credential: JSON.stringify(answer) });
    expect(again.headers.location).toBe('/login?passkey=failed');
    expect(await isSignedIn(replay)).toBe(false);

    // The options were asked for by another browser: this one has no challenge cookie.
    const other = request.agent(t.app);
    const otherToken = csrfTokenFrom((await other.get('/login')).text);
    const { options } = await passwordless((o) => o);
    const noCookie = await other
      .post('/login/passkey')
      .type('form')
      .send({ _csrf: otherToken, credential: JSON.stringify(authenticator.assert(options)) });
    expect(noCookie.headers.location).toBe('/login?passkey=failed');
    expect(await isSignedIn(other)).toBe(false);
  });

  test('an expired challenge is refused', async () => {
    const { authenticator } = await withPasskey();
    const { agent, response } = await passwordless((o) => {
      clock.advance({ minutes: 6 });
      return authenticator.assert(o);
    });
    expect(response.headers.location).toBe('/login?passkey=failed&next=%2Faccount');
    expect(await isSignedIn(agent)).toBe(false);
  });

  test("a deactivated person's passkey signs nobody in", async () => {
    const { user, authenticator } = await withPasskey();
    await t.database.db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute();
    const { agent, response } = await passwordless((o) => authenticator.assert(o));
    expect(response.headers.location).toBe('/login?passkey=failed&next=%2Faccount');
    expect(await isSignedIn(agent)).toBe(false);
  });

  test('without a form token the options and the answer are refused (403)', async () => {
    expect((await request(t.app).post('/login/passkey/options')).status).toBe(403);
    expect((await request(t.app).post('/login/passkey').type('form').send({ credential: '{}' })).status).toBe(403);
  });

  test('the sign-in page offers it, hidden until the script finds passkey support, and says what it needs', async () => {
    const page = await request(t.app).get('/login');
    expect(page.text).toContain('action="/login/passkey"');
    expect(page.text).toMatch(/<form method="post" action="\/login\/passkey" class="form" hidden/);
    expect(page.text).toContain('Aanmelden met een passkey kan alleen in een browser met JavaScript');
    expect(page.text).toContain('<script src="/assets/js/passkeys.js" defer></script>');
    const script = await request(t.app).get('/assets/js/passkeys.js');
    expect(script.status).toBe(200);
  });
});

describe("another person's passkey", () => {
  test('is refused as the second step of someone else (the service checks whose it is)', async () => {
    const { authenticator } = await withPasskey();
    const other = await createTestUser(t.database, { role: 'coach' });
    const rp = { id: 'localhost', origin: 'http://localhost:3000', name: 'InBeeld' };
    const start = await t.services.passkeys.authenticationOptions(rp, other.id, clock.now().toMillis());
    const outcome = await t.services.passkeys.verifyPasskey(
      rp,
      start.ceremony,
      JSON.stringify(authenticator.assert(start.options)),
      other.id,
      clock.now().toJSDate(),
    );
    expect(outcome).toEqual({ kind: 'refused', reason: 'otherUser' });
  });

  test('cannot be renamed or removed (404), nor its pages opened', async () => {
    const { user } = await withPasskey();
    const [passkey] = await passkeysOf(user.id);
    const intruder = await signedInAgent(t.app, await createTestUser(t.database, { role: 'admin' }));
    const token = await csrfToken(intruder, '/account/security');
    expect((await intruder.get(`/account/passkeys/${passkey!.id}/rename`)).status).toBe(404);
    expect((await intruder.get(`/account/passkeys/${passkey!.id}/remove`)).status).toBe(404);
    expect(
      (await intruder.post(`/account/passkeys/${passkey!.id}/rename`).type('form').send({ _csrf: token, name: 'Mine' })).status,
    ).toBe(404);
    const removed = await intruder.post(`/account/passkeys/${passkey!.id}/remove`).type('form').send({ _csrf: token });
    expect(removed.headers.location).toBe('/account/security?done=passkeyGone#passkeys');
    expect(await passkeysOf(user.id)).toEqual([expect.objectContaining({ name: 'Laptop' })]);
  });
});

describe('renaming and removing one’s own passkey', () => {
  test('rename: an empty name is refused with the form again; a new name is stored and audited', async () => {
    const { user, agent } = await withPasskey();
    const [passkey] = await passkeysOf(user.id);
    const form = await agent.get(`/account/passkeys/${passkey!.id}/rename`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Laptop"');
    const token = csrfTokenFrom(form.text);
    const empty = await agent.post(`/account/passkeys/${passkey!.id}/rename`).type('form').send({ _csrf: token, name: '  ' });
    expect(empty.status).toBe(422);
    const renamed = await agent
      .post(`/account/passkeys/${passkey!.id}/rename`)
      .type('form')
      .send({ _csrf: token, name: 'Werklaptop' });
    expect(renamed.status).toBe(303);
    expect(renamed.headers.location).toBe('/account/security?done=passkeyRenamed#passkeys');
    expect((await passkeysOf(user.id))[0]!.name).toBe('Werklaptop');
    expect(await auditOf(user.id, 'rename_passkey')).toEqual([{ actor_user_id: user.id, details: { passkeyId: passkey!.id } }]);
  });

  test('remove: asks first (saying it is the last one), then the passkey no longer signs in; audited', async () => {
    const { user, agent, authenticator } = await withPasskey();
    const [passkey] = await passkeysOf(user.id);
    const confirm = await agent.get(`/account/passkeys/${passkey!.id}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Dit is je laatste tweede stap');
    const removed = await agent
      .post(`/account/passkeys/${passkey!.id}/remove`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(confirm.text) });
    expect(removed.headers.location).toBe('/account/security?done=passkeyRemoved#passkeys');
    expect(await passkeysOf(user.id)).toEqual([]);
    expect(await auditOf(user.id, 'remove_passkey')).toEqual([{ actor_user_id: user.id, details: { passkeyId: passkey!.id } }]);
    const { response } = await passwordless((o) => authenticator.assert(o));
    expect(response.headers.location).toBe('/login?passkey=failed&next=%2Faccount');
    const page = await agent.get('/account/security');
    expect(page.text).toContain('Je hebt nog geen passkey.');
  });

  test('a malformed passkey id is 404', async () => {
    const user: UserFixture = await createTestUser(t.database, { role: 'coach' });
    const agent = await signedInAgent(t.app, user);
    for (const id of ['abc', '0', '99999999999', '-1'])
      expect((await agent.get(`/account/passkeys/${id}/rename`)).status).toBe(404);
  });
});
