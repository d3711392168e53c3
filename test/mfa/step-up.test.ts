import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { totpCodeAt } from '../../src/mfa/totp';
import { createTestUser, csrfToken, signIn, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant, openForm } from '../helpers/fixtures';

// Step-up (issue 18 item 4): a period export, a subject-access ZIP and administrative changes ask
// for the second factor again when the last one is older than STEP_UP_MINUTES, and come back after.

const START = '2026-11-23T09:00:00+01:00';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const clock = new FixedClock(START);
let t: TestApp;
let manager: UserFixture;
let admin: UserFixture;
let participantId: number;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { MFA_REQUIRED_ROLES: 'manager,admin', STEP_UP_MINUTES: '5' } });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Stap' });
  admin = await createTestUser(t.database, { role: 'admin' });
  const coach = await createTestUser(t.database, { role: 'coach', team: 'Team Stap' });
  for (const user of [manager, admin]) {
    await t.database.db.insertInto('user_totp').values({ user_id: user.id, secret: SECRET, last_used_step: null }).execute();
  }
  participantId = await insertParticipant(t.database.db, {
    first_name: 'Stef',
    last_name: 'Stapop',
    coach_id: coach.id,
    status: 'active',
  });
});
afterAll(() => t.close());
// Every test starts later than the last one ended: each code of the shared key is used once.
beforeEach(() => clock.advance({ minutes: 20 }));

const now = () => clock.now().toJSDate();

async function codeSignedIn(user: UserFixture): Promise<TestAgent> {
  const agent = request.agent(t.app);
  expect((await signIn(agent, user)).headers.location).toBe('/login/second-factor');
  const token = await csrfToken(agent, '/login/second-factor');
  const response = await agent
    .post('/login/second-factor')
    .type('form')
    .send({ _csrf: token, code: totpCodeAt(SECRET, now()) });
  expect(response.status).toBe(303);
  return agent;
}

async function stepUp(agent: TestAgent, next: string, code = totpCodeAt(SECRET, now())) {
  const token = await csrfToken(agent, `/login/step-up?next=${encodeURIComponent(next)}`);
  return agent.post('/login/step-up').type('form').send({ _csrf: token, code, next });
}

/** The key shown on an enrolment page, without its spaces (as test/mfa/sign-in.test.ts reads it). */
function keyFrom(html: string): string {
  const match = /<code class="totp-key" id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match) throw new Error('no key on the page');
  return match[1]!.replace(/ /g, '');
}

const EXPORT = '/reports/export?periodKind=month&month=2026-10';

describe('a period export', () => {
  it('goes ahead within STEP_UP_MINUTES of the second factor, and asks again after', async () => {
    const agent = await codeSignedIn(manager);
    // Reaches the export's own handler (not a redirect to step-up).
    expect((await agent.get(EXPORT)).headers.location ?? '').not.toMatch(/step-up/);
    clock.advance({ minutes: 6 });
    const asked = await agent.get(EXPORT);
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/login/step-up?next=${encodeURIComponent(EXPORT)}`);
    const page = await agent.get(asked.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="code"');

    const back = await stepUp(agent, EXPORT);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(EXPORT);
    expect((await agent.get(EXPORT)).headers.location ?? '').not.toMatch(/step-up/);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'step_up')
      .where('actor_user_id', '=', manager.id)
      .execute();
    expect(events.map((event) => event.details)).toEqual([{ method: 'totp' }]);
  });

  it("its step-up page's Back link leads to the page the download was asked from, not to the download again", async () => {
    const agent = await codeSignedIn(manager);
    clock.advance({ minutes: 6 });
    const asked = await agent.get(EXPORT).set('Referer', 'http://127.0.0.1/reports?periodKind=month');
    // A browser keeps the first page's Referer through the redirect.
    const page = await agent
      .get(asked.headers.location as string)
      .set('Referer', 'http://127.0.0.1/reports?periodKind=month')
      .set('Host', '127.0.0.1');
    expect(page.text).toContain('class="back-link" href="/reports?periodKind=month"');
    // Without a Referer of this site, Back goes home rather than into the download's loop.
    const bare = await agent.get(asked.headers.location as string);
    expect(bare.text).toContain('class="back-link" href="/"');
    expect(bare.text).not.toContain(`class="back-link" href="${EXPORT.replace(/&/g, '&amp;')}"`);
  });

  it('a wrong or replayed code at step-up is refused and counts toward the limit', async () => {
    const agent = await codeSignedIn(manager);
    clock.advance({ minutes: 6 });
    expect((await stepUp(agent, EXPORT, '000000')).status).toBe(401);
    expect((await stepUp(agent, EXPORT)).status).toBe(303);
    // The same code again: replay.
    expect((await stepUp(agent, EXPORT)).status).toBe(401);
    const failures = await t.database.db
      .selectFrom('rate_limit_hits')
      .select('hits')
      .where('key', '=', `second-factor-failures:user:${manager.id}`)
      .executeTakeFirstOrThrow();
    expect(failures.hits).toBeGreaterThanOrEqual(2);
  });

  it('step-up never sends anyone elsewhere: a foreign `next` lands on the home page', async () => {
    const agent = await codeSignedIn(manager);
    clock.advance({ seconds: 30 });
    const response = await stepUp(agent, 'https://evil.example/');
    expect(response.headers.location).toBe('/');
  });
});

describe('a subject-access ZIP', () => {
  it('asks again when the factor is old, and returns to the page the form was on', async () => {
    const agent = await codeSignedIn(manager);
    clock.advance({ minutes: 6 });
    const page = `/participants/${participantId}/subject-access`;
    const token = await csrfToken(agent, page);
    const before = await t.database.db.selectFrom('audit_events').select('id').where('action', '=', 'export').execute();
    const asked = await agent
      .post(page)
      .set('Referer', `http://127.0.0.1${page}`)
      .set('Host', '127.0.0.1')
      .type('form')
      .send({ _csrf: token });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/login/step-up?next=${encodeURIComponent(page)}`);
    const after = await t.database.db.selectFrom('audit_events').select('id').where('action', '=', 'export').execute();
    expect(after).toHaveLength(before.length);
    await stepUp(agent, page);
    const download = await agent
      .post(page)
      .type('form')
      .send({ _csrf: await csrfToken(agent, page) });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toMatch(/zip/);
  });
});

describe('administrative changes', () => {
  it('every POST under /admin/ asks again when the factor is old; reading does not', async () => {
    const agent = await codeSignedIn(admin);
    clock.advance({ minutes: 6 });
    expect((await agent.get('/admin/teams')).status).toBe(200);
    const form = await openForm(agent, '/admin/teams');
    const asked = await agent
      .post('/admin/teams')
      .set('Referer', 'https://elsewhere.example/admin/teams')
      .type('form')
      .send({ ...form, name: 'Team Nieuw' });
    expect(asked.status).toBe(303);
    // A Referer of another site is not followed: back to the home page.
    expect(asked.headers.location).toBe(`/login/step-up?next=${encodeURIComponent('/')}`);
    expect(await t.database.db.selectFrom('teams').select('id').where('name', '=', 'Team Nieuw').execute()).toEqual([]);
    await stepUp(agent, '/admin/teams');
    const created = await agent
      .post('/admin/teams')
      .type('form')
      .send({ ...(await openForm(agent, '/admin/teams')), name: 'Team Nieuw' });
    expect(created.status).toBe(303);
    expect(await t.database.db.selectFrom('teams').select('id').where('name', '=', 'Team Nieuw').execute()).toHaveLength(1);
  });
});

describe('downloading the audit log', () => {
  it('asks again when the factor is old, and goes ahead after', async () => {
    const agent = await codeSignedIn(admin);
    const download = '/admin/audit/export.csv';
    expect((await agent.get(download)).status).toBe(200);
    clock.advance({ minutes: 6 });
    const asked = await agent.get(download);
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/login/step-up?next=${encodeURIComponent(download)}`);
    await stepUp(agent, download);
    expect((await agent.get(download)).status).toBe(200);
  });
});

describe('erasing a participant on request', () => {
  it("is an administrator's change outside /admin/, and asks again when the factor is old", async () => {
    const agent = await codeSignedIn(admin);
    clock.advance({ minutes: 6 });
    const page = `/participants/${participantId}/erase`;
    const token = await csrfToken(agent, page);
    const asked = await agent.post(page).type('form').send({ _csrf: token, reason: 'Verzoek van de deelnemer (AVG art. 17)' });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toMatch(/^\/login\/step-up\?next=/);
    const row = await t.database.db
      .selectFrom('participants')
      .select(['first_name', 'erased_at'])
      .where('id', '=', participantId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ first_name: 'Stef', erased_at: null });
  });
});

describe('who has no second factor', () => {
  it('and whose role requires none is not asked (MFA_REQUIRED_ROLES empty)', async () => {
    const relaxed = await startTestApp({ clock, database: t.database, env: { STEP_UP_MINUTES: '5' } });
    try {
      const plain = await createTestUser(t.database, { role: 'manager', team: 'Team Stap' });
      const agent = request.agent(relaxed.app);
      expect((await signIn(agent, plain)).headers.location).toBe('/');
      clock.advance({ minutes: 10 });
      expect((await agent.get(EXPORT)).headers.location ?? '').not.toMatch(/step-up/);
      // The step-up page itself says there is nothing to give, and where to set one up.
      expect((await agent.get('/login/step-up?next=/reports')).text).toContain('href="/account/security"');
    } finally {
      await relaxed.close();
    }
  });
});

describe('adding a second factor', () => {
  // A stale session must not add a factor of its own and then count it as a fresh step-up.
  it('asks for the factor the person already has first: the app page, and the passkey options a script asks for', async () => {
    const agent = await codeSignedIn(manager);
    clock.advance({ minutes: 6 });
    const page = await agent.get('/account/security/totp');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(`/login/step-up?next=${encodeURIComponent('/account/security/totp')}`);

    const token = await csrfToken(agent, '/account/security');
    const options = await agent.post('/account/passkeys/options').set('Accept', 'application/json').set('X-CSRF-Token', token);
    expect(options.status).toBe(403);
    expect(options.body).toEqual({ stepUp: expect.stringMatching(/^\/login\/step-up\?next=/) });
    const register = await agent.post('/account/passkeys').type('form').send({ _csrf: token, name: 'Sleutel', credential: '{}' });
    expect(register.status).toBe(303);
    expect(register.headers.location).toMatch(/^\/login\/step-up\?next=/);
    expect(await t.database.db.selectFrom('passkeys').select('id').where('user_id', '=', manager.id).execute()).toEqual([]);
  });

  it('never replaces the app there, even right after a step-up', async () => {
    const agent = await codeSignedIn(admin);
    // The enrolment page of a person with an app sends them back; a posted code for a new key does not replace it.
    expect((await agent.get('/account/security/totp')).headers.location).toBe('/account/security');
    // A refused code shows the enrolment page with a new key; a code of that key must not replace the app.
    const token = await csrfToken(agent, '/account/security');
    const refused = await agent.post('/account/security/totp').type('form').send({ _csrf: token, code: '000000' });
    expect(refused.status).toBe(422);
    const newKey = keyFrom(refused.text);
    expect(newKey).not.toBe(SECRET);
    const response = await agent
      .post('/account/security/totp')
      .type('form')
      .send({ _csrf: token, code: totpCodeAt(newKey, now()) });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/account/security');
    const stored = await t.database.db
      .selectFrom('user_totp')
      .select('secret')
      .where('user_id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).toBe(SECRET);
  });
});
