import request from 'supertest';
import { FixedClock } from '../../src/lib/clock';
import { findUserForAdmin as findUser } from '../../src/admin/service';
import {
  createTestUser,
  csrfTokenFrom,
  sessionCookie,
  signIn,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';

// Sign-in throttling (defaults: 100 failures per address, 10 per account from one address, in 15
// minutes): successful sign-ins never count, a stranger's failures never refuse the right password
// from another address, and failures on one account from anywhere only slow it down. TRUST_PROXY
// lets each attempt come from the address of its X-Forwarded-For header, as behind a proxy.

const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;
/** A second app process on the same database (one for the file: the embedded database takes two connections). */
let second: TestApp['app'];
let coach: UserFixture;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { TRUST_PROXY: 'loopback' } });
  coach = await createTestUser(t.database, { role: 'coach' });
  second = t.secondInstance();
});
afterAll(() => t.close());
beforeEach(async () => {
  clock.set('2026-11-23T09:00:00+01:00');
  await t.database.db.deleteFrom('rate_limit_hits').execute();
  await t.database.db.updateTable('users').set({ failed_sign_ins: 0, last_failed_sign_in_at: null }).execute();
  t.sleeps.length = 0;
});

/** Opens the sign-in page and posts it, both from `address`. */
async function attempt(app: TestApp['app'], email: string, password: string, address: string) {
  const agent = request.agent(app);
  const page = await agent.get('/login').set('X-Forwarded-For', address);
  return agent
    .post('/login')
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email, password });
}

const WRONG = 'not the password at all';

describe('successful sign-ins never count', () => {
  test('30 colleagues behind one office address each mistype once and then all sign in', async () => {
    const colleagues: UserFixture[] = [];
    for (let i = 0; i < 30; i += 1) colleagues.push(await createTestUser(t.database, { role: 'coach', team: 'Kantoor' }));
    const statuses: number[] = [];
    for (const colleague of colleagues) {
      statuses.push((await attempt(t.app, colleague.email, WRONG, '198.51.100.7')).status);
      statuses.push((await attempt(t.app, colleague.email, colleague.password, '198.51.100.7')).status);
    }
    expect(statuses).toEqual(Array.from({ length: 30 }, () => [401, 303]).flat());
    // Only the 30 failures count against the address; the 30 sign-ins were taken back.
    const row = await t.database.db
      .selectFrom('rate_limit_hits')
      .select('hits')
      .where('key', '=', 'sign-in-failures:address:198.51.100.7')
      .executeTakeFirstOrThrow();
    expect(row.hits).toBe(30);
  });
});

describe('failures per account from one address (10 in 15 minutes)', () => {
  test("ten wrong passwords from address A do not lock the owner out: the right one from B works, A's 11th gets 429", async () => {
    for (let i = 1; i <= 10; i += 1) {
      expect((await attempt(t.app, coach.email, WRONG, '203.0.113.1')).status).toBe(401);
    }
    expect((await attempt(t.app, coach.email, coach.password, '198.51.100.20')).status).toBe(303);

    const eleventh = await attempt(t.app, coach.email, WRONG, '203.0.113.1');
    expect(eleventh.status).toBe(429);
    expect(eleventh.text).toContain('Te veel aanmeldpogingen. Wacht 15 minuten');
    expect(eleventh.text).toContain(`value="${coach.email}"`);
    // Strict per account at that address, whatever the password ...
    expect((await attempt(t.app, coach.email, coach.password, '203.0.113.1')).status).toBe(429);
    // ... but the address itself may still sign others in.
    const colleague = await createTestUser(t.database, { role: 'coach' });
    expect((await attempt(t.app, colleague.email, colleague.password, '203.0.113.1')).status).toBe(303);
  });

  test('a fresh window starts 15 minutes after the first failure', async () => {
    for (let i = 1; i <= 10; i += 1) await attempt(t.app, coach.email, WRONG, '203.0.113.2');
    expect((await attempt(t.app, coach.email, WRONG, '203.0.113.2')).status).toBe(429);
    clock.advance({ minutes: 15, seconds: 1 });
    expect((await attempt(t.app, coach.email, WRONG, '203.0.113.2')).status).toBe(401);
    expect((await attempt(t.app, coach.email, coach.password, '203.0.113.2')).status).toBe(303);
  });

  test('the counters live in PostgreSQL, so the limit holds across app processes', async () => {
    for (let i = 1; i <= 5; i += 1) {
      expect((await attempt(t.app, coach.email, WRONG, '203.0.113.3')).status).toBe(401);
      expect((await attempt(second, coach.email, WRONG, '203.0.113.3')).status).toBe(401);
    }
    expect((await attempt(second, coach.email, WRONG, '203.0.113.3')).status).toBe(429);
    expect((await attempt(t.app, coach.email, coach.password, '203.0.113.3')).status).toBe(429);
    expect((await attempt(second, coach.email, coach.password, '198.51.100.21')).status).toBe(303);
    const rows = await t.database.db.selectFrom('rate_limit_hits').select(['key', 'hits']).orderBy('key').execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: 'sign-in-failures:address:203.0.113.3', hits: 10 },
        { key: `sign-in-failures:account-at-address:203.0.113.3 ${coach.email}`, hits: 10 },
        { key: `sign-in-failures:account:${coach.email}`, hits: 10 },
      ]),
    );
  });
});

describe('failures per address', () => {
  test('an address that fails too often is refused for every account, other addresses are not', async () => {
    const strict = await startTestApp({
      clock,
      database: t.database,
      env: { TRUST_PROXY: 'loopback', LOGIN_FAILURES_PER_ADDRESS: '12' },
    });
    try {
      for (let i = 1; i <= 12; i += 1) {
        expect((await attempt(strict.app, `onbekend${i}@example.test`, WRONG, '203.0.113.50')).status).toBe(401);
      }
      const refused = await attempt(strict.app, coach.email, coach.password, '203.0.113.50');
      expect(refused.status).toBe(429);
      expect(refused.text).toContain('Te veel aanmeldpogingen');
      expect((await attempt(strict.app, coach.email, coach.password, '203.0.113.51')).status).toBe(303);
    } finally {
      await strict.close();
    }
  });

  test('the default is 100 failures per address and 10 per account from one address', () => {
    expect(t.config.loginRateLimit).toEqual({ failuresPerAddress: 100, failuresPerAccount: 10, windowMinutes: 15 });
  });
});

describe('failures on one account from many addresses: a growing delay, never a lock-out', () => {
  test('no delay for the first five failures, then 0.25 s doubling to 8 s, before the password is checked', async () => {
    for (let i = 1; i <= 12; i += 1) {
      expect((await attempt(t.app, coach.email, WRONG, `192.0.2.${i}`)).status).toBe(401);
    }
    expect(t.sleeps).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000]);
    // The owner still gets in, after the longest delay.
    expect((await attempt(t.app, coach.email, coach.password, '198.51.100.22')).status).toBe(303);
    expect(t.sleeps.at(-1)).toBe(8000);
    // The delay counts failures of the window (a guesser stays slow while the owner signs in) ...
    t.sleeps.length = 0;
    await attempt(t.app, coach.email, coach.password, '198.51.100.22');
    expect(t.sleeps).toEqual([8000]);
    // ... and ends with it.
    clock.advance({ minutes: 15, seconds: 1 });
    t.sleeps.length = 0;
    expect((await attempt(t.app, coach.email, coach.password, '198.51.100.22')).status).toBe(303);
    expect(t.sleeps).toEqual([]);
  });

  test('an unknown email is slowed down the same way, so the delay does not tell which accounts exist', async () => {
    for (let i = 1; i <= 7; i += 1) await attempt(t.app, 'niemand@example.test', WRONG, `192.0.2.${100 + i}`);
    expect(t.sleeps).toEqual([250, 500]);
  });

  test('the account keeps its failed sign-ins since the last success for the administrator, audited, reset by a sign-in', async () => {
    const target = await createTestUser(t.database, { role: 'coach' });
    for (let i = 1; i <= 3; i += 1) await attempt(t.app, target.email, WRONG, `192.0.2.${200 + i}`);
    clock.advance({ minutes: 2 });
    await attempt(t.app, target.email.toUpperCase(), WRONG, '192.0.2.210');
    const shown = await findUser(t.database.db, target.id);
    expect(shown).toMatchObject({ failedSignIns: 4, lastFailedSignInAt: new Date('2026-11-23T08:02:00Z') });
    const failures = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'details'])
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(target.id))
      .where('action', '=', 'login_failed')
      .orderBy('id')
      .execute();
    expect(failures.map((event) => event.details)).toEqual([1, 2, 3, 4].map((n) => ({ failedSignIns: n })));
    expect(failures.every((event) => event.actor_user_id === null)).toBe(true);

    expect((await attempt(t.app, target.email, target.password, '198.51.100.23')).status).toBe(303);
    expect(await findUser(t.database.db, target.id)).toMatchObject({ failedSignIns: 0, lastFailedSignInAt: null });
    const login = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('actor_user_id', '=', target.id)
      .where('action', '=', 'login')
      .executeTakeFirstOrThrow();
    expect(login.details).toEqual({ method: 'password', failedSignInsBefore: 4 });
  });
});

describe('wrong current passwords on /account/password (5 in 15 minutes per person)', () => {
  /** A signed-in session as a cookie (usable on any process) and its CSRF token. */
  async function signedInSession(person: UserFixture): Promise<{ cookie: string; token: string }> {
    const cookie = sessionCookie(await signIn(request.agent(t.app), person))!;
    const token = csrfTokenFrom((await request(t.app).get('/account').set('Cookie', cookie)).text);
    return { cookie, token };
  }

  const change = (app: TestApp['app'], session: { cookie: string; token: string }, currentPassword: string) =>
    request(app).post('/account/password').set('Cookie', session.cookie).type('form').send({
      _csrf: session.token,
      currentPassword,
      newPassword: 'een heel nieuwe wachtzin',
      confirmPassword: 'een heel nieuwe wachtzin',
    });

  test('the sixth try gets 429 with a clear message, even with the right password, across processes', async () => {
    const person = await createTestUser(t.database, { role: 'coach' });
    const session = await signedInSession(person);
    for (let i = 1; i <= 3; i += 1) expect((await change(t.app, session, `wrong ${i}`)).status).toBe(422);
    for (let i = 4; i <= 5; i += 1) expect((await change(second, session, `wrong ${i}`)).status).toBe(422);
    const refused = await change(t.app, session, person.password);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Je hebt te vaak een verkeerd huidig wachtwoord ingevuld');
    expect(refused.text).toContain('Wacht 15 minuten');
    const counter = await t.database.db
      .selectFrom('rate_limit_hits')
      .select('hits')
      .where('key', '=', `current-password-failures:user:${person.id}`)
      .executeTakeFirstOrThrow();
    expect(counter.hits).toBe(5);
    // Nothing changed: the old password still signs in.
    expect((await attempt(t.app, person.email, person.password, '198.51.100.24')).status).toBe(303);

    clock.advance({ minutes: 15, seconds: 1 });
    expect((await change(t.app, session, person.password)).status).toBe(303);
  });

  test('a right current password is not counted', async () => {
    const person = await createTestUser(t.database, { role: 'coach' });
    const session = await signedInSession(person);
    for (let i = 1; i <= 4; i += 1) expect((await change(t.app, session, `wrong ${i}`)).status).toBe(422);
    expect((await change(t.app, session, person.password)).status).toBe(303);
    // Had the right one counted, this would be the sixth.
    expect((await change(t.app, session, 'wrong 5')).status).toBe(422);
    expect((await change(t.app, session, 'wrong 6')).status).toBe(429);
  });
});
