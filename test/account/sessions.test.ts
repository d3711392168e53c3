import { sql } from 'kysely';
import request from 'supertest';
import { createLogger } from '../../src/lib/logger';
import { parseConfig } from '../../src/config';
import { FixedClock } from '../../src/lib/clock';
import { createSessionStore, sessionPruneInterval } from '../../src/web/session-store';
import { createMigrator, migrateToLatest } from '../../src/db/migrate';
import { createTestDatabase } from '../helpers/database';
import {
  createTestUser,
  csrfTokenFrom,
  sessionCookie,
  signIn,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';

// One's own sessions on /account: where one is signed in (browser and system, address, signed in,
// last seen), ending one or all others. TRUST_PROXY lets each sign-in come from its own address.

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => t.close());
beforeEach(() => clock.set('2026-11-23T09:00:00+01:00'));

/** Signs in from a browser at an address; the session cookie to use next. */
async function signInFrom(user: UserFixture, userAgent: string, address: string): Promise<string> {
  const agent = request.agent(t.app);
  const page = await agent.get('/login').set('User-Agent', userAgent).set('X-Forwarded-For', address);
  const reply = await agent
    .post('/login')
    .set('User-Agent', userAgent)
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email: user.email, password: user.password });
  expect(reply.status).toBe(303);
  return sessionCookie(reply)!;
}

const get = (path: string, cookie: string) => request(t.app).get(path).set('Cookie', cookie).set('User-Agent', FIREFOX_LINUX);
const post = (path: string, cookie: string, body: Record<string, string>) =>
  request(t.app).post(path).set('Cookie', cookie).set('User-Agent', FIREFOX_LINUX).type('form').send(body);

/** The end-session forms of a page: one handle per session that is not this one. */
function handlesIn(html: string): string[] {
  return [...html.matchAll(/action="\/account\/sessions\/([0-9a-f-]{36})\/end"/g)].map((match) => match[1]!);
}

async function sessionsOf(userId: number) {
  return t.database.db.selectFrom('sessions').select(['sid', 'handle']).where('user_id', '=', userId).execute();
}

async function auditOf(userId: number, action: string) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'details'])
    .where('action', '=', action)
    .where('entity_id', '=', String(userId))
    .execute();
}

describe('the list of own sessions', () => {
  test('shows browser and system, address, signed in and last seen of each, marks this one and shows no session id', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.1');
    clock.advance({ minutes: 20 });
    await signInFrom(coach, CHROME_WINDOWS, '203.0.113.9');
    const page = await get('/account', here);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Waar je bent aangemeld');
    expect(page.text).toContain('Firefox 133 op Linux');
    expect(page.text).toContain('Chrome 131 op Windows 10');
    expect(page.text).toContain('198.51.100.1');
    expect(page.text).toContain('203.0.113.9');
    expect(page.text).toContain('23-11-2026 09:00');
    expect(page.text).toContain('23-11-2026 09:20');
    expect(page.text).toContain('Deze sessie');
    // One "end" button: for the other session, named by its handle, never by its id.
    const stored = await sessionsOf(coach.id);
    expect(stored).toHaveLength(2);
    const other = stored.find((row) => !here.includes(row.sid))!;
    expect(handlesIn(page.text)).toEqual([other.handle]);
    for (const row of stored) expect(page.text).not.toContain(row.sid);
    expect(page.text).toContain('Alle andere sessies beëindigen');
  });

  test('an English reader gets the words in English; an unknown browser says so', async () => {
    const reader = await createTestUser(t.database, { role: 'manager', locale: 'en' });
    const here = await signInFrom(reader, SAFARI_IPHONE, '198.51.100.2');
    await signInFrom(reader, 'curl/8.5.0', '198.51.100.3');
    const page = await get('/account', here);
    expect(page.text).toContain('Where you are signed in');
    expect(page.text).toContain('Safari 17 on iOS 17.5');
    expect(page.text).toContain('Unknown browser');
  });

  test('expired sessions and those past the absolute lifetime are not listed', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.4');
    await signInFrom(coach, CHROME_WINDOWS, '198.51.100.5');
    await signInFrom(coach, SAFARI_IPHONE, '198.51.100.6');
    const [hereSid] = decodeURIComponent(here.split('=')[1]!).slice(2).split('.');
    const others = (await sessionsOf(coach.id)).filter((row) => row.sid !== hereSid);
    await sql`update sessions set expire = now() - interval '1 minute' where sid = ${others[0]!.sid}`.execute(t.database.db);
    await sql`update sessions set sess = jsonb_set(sess::jsonb, '{signedInAt}', '0')::json where sid = ${others[1]!.sid}`.execute(
      t.database.db,
    );
    const page = await get('/account', here);
    expect(handlesIn(page.text)).toEqual([]);
    expect(page.text).toContain('Je bent nergens anders aangemeld.');
  });
});

describe('ending sessions', () => {
  test('ending another session signs it out at once, and is audited', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.10');
    const there = await signInFrom(coach, CHROME_WINDOWS, '198.51.100.11');
    const page = await get('/account', here);
    const [handle] = handlesIn(page.text);
    const ended = await post(`/account/sessions/${handle}/end`, here, { _csrf: csrfTokenFrom(page.text) });
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toBe('/account?done=sessionEnded#sessions');
    expect((await get('/account?done=sessionEnded', here)).text).toContain('De sessie is beëindigd.');
    const thereNow = await get('/today', there);
    expect(thereNow.status).toBe(303);
    expect(thereNow.headers.location).toMatch(/^\/login/);
    expect((await get('/today', here)).status).toBe(200);
    expect(await sessionsOf(coach.id)).toHaveLength(1);
    expect(await auditOf(coach.id, 'end_session')).toEqual([{ actor_user_id: coach.id, details: { sessions: 1 } }]);

    // The same form again: that session had already ended.
    const again = await post(`/account/sessions/${handle}/end`, here, { _csrf: csrfTokenFrom(page.text) });
    expect(again.headers.location).toBe('/account?done=sessionGone#sessions');
    expect((await get('/account?done=sessionGone', here)).text).toContain('Die sessie was al beëindigd.');
  });

  test("one cannot end another person's session, nor one's own current one by its handle", async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const manager = await createTestUser(t.database, { role: 'manager' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.12');
    const managers = await signInFrom(manager, CHROME_WINDOWS, '198.51.100.13');
    const token = csrfTokenFrom((await get('/account', here)).text);
    const [theirs] = await sessionsOf(manager.id);
    const [mine] = await sessionsOf(coach.id);
    for (const handle of [theirs!.handle, mine!.handle]) {
      const reply = await post(`/account/sessions/${handle}/end`, here, { _csrf: token });
      expect(reply.headers.location).toBe('/account?done=sessionGone#sessions');
    }
    expect((await get('/dashboard', managers)).status).toBe(200);
    expect((await get('/today', here)).status).toBe(200);
    expect(await auditOf(coach.id, 'end_session')).toEqual([]);
  });

  test('a handle that is not one answers 404', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.14');
    const token = csrfTokenFrom((await get('/account', here)).text);
    for (const handle of ['1', 'not-a-handle', `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(11)}%00`]) {
      expect((await post(`/account/sessions/${handle}/end`, here, { _csrf: token })).status).toBe(404);
    }
  });

  test('"end all others" asks first, listing them, then keeps only this session (audited)', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.15');
    const phone = await signInFrom(coach, SAFARI_IPHONE, '198.51.100.16');
    const laptop = await signInFrom(coach, CHROME_WINDOWS, '198.51.100.17');
    const confirm = await get('/account/sessions/end-others', here);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Alle andere sessies beëindigen?');
    expect(confirm.text).toContain('Safari 17 op iOS 17.5 · 198.51.100.16');
    expect(confirm.text).toContain('Chrome 131 op Windows 10 · 198.51.100.17');
    expect(confirm.text).not.toContain('Firefox 133 op Linux');
    const ended = await post('/account/sessions/end-others', here, { _csrf: csrfTokenFrom(confirm.text) });
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toBe('/account?done=othersEnded#sessions');
    for (const cookie of [phone, laptop]) expect((await get('/today', cookie)).status).toBe(303);
    expect((await get('/today', here)).status).toBe(200);
    expect(await sessionsOf(coach.id)).toHaveLength(1);
    expect(await auditOf(coach.id, 'end_other_sessions')).toEqual([{ actor_user_id: coach.id, details: { sessions: 2 } }]);
    const none = await get('/account/sessions/end-others', here);
    expect(none.text).toContain('Je bent nergens anders aangemeld.');
    expect(none.text).not.toContain('action="/account/sessions/end-others"');
  });

  test('ending sessions needs the form token', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const here = await signInFrom(coach, FIREFOX_LINUX, '198.51.100.18');
    await signInFrom(coach, CHROME_WINDOWS, '198.51.100.19');
    expect((await post('/account/sessions/end-others', here, {})).status).toBe(403);
    expect(await sessionsOf(coach.id)).toHaveLength(2);
  });
});

describe('where sessions are kept', () => {
  test('a trigger keeps the signed-in user in sessions.user_id, which an index serves', async () => {
    const coach = await createTestUser(t.database, { role: 'coach' });
    const before = await signIn(request.agent(t.app), coach);
    expect(before.status).toBe(303);
    const rows = await sessionsOf(coach.id);
    expect(rows).toHaveLength(1);
    const indexes = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'sessions'`.execute(
      t.database.db,
    );
    expect(indexes.rows.map((row) => row.indexdef)).toContainEqual(expect.stringMatching(/sessions_user_id .*\(user_id\)/));
  });

  test('the migration finds the user of sessions stored before it, and replaces the JSON index', async () => {
    const scratch = await createTestDatabase();
    try {
      const names = (await createMigrator(scratch.db).getMigrations()).map((migration) => migration.name);
      const before = names[names.indexOf('20261124100000_sign_in_and_own_sessions') - 1]!;
      expect((await createMigrator(scratch.db).migrateTo(before)).error).toBeUndefined();
      const user = await sql<{ id: number }>`
        insert into users (email, display_name, role, password_hash) values ('oud@example.test', 'Oud', 'admin', 'x') returning id`.execute(
        scratch.db,
      );
      const id = user.rows[0]!.id;
      await sql`insert into sessions (sid, sess, expire) values
        ('signed-in', ${JSON.stringify({ cookie: {}, passport: { user: String(id) } })}::json, now() + interval '1 hour'),
        ('anonymous', ${JSON.stringify({ cookie: {} })}::json, now() + interval '1 hour')`.execute(scratch.db);
      await migrateToLatest(scratch.db);
      const rows = await sql<{ sid: string; user_id: number | null }>`select sid, user_id from sessions order by sid`.execute(
        scratch.db,
      );
      expect(rows.rows).toEqual([
        { sid: 'anonymous', user_id: null },
        { sid: 'signed-in', user_id: id },
      ]);
      const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'sessions'`.execute(
        scratch.db,
      );
      expect(indexes.rows.map((row) => row.indexname).sort()).toEqual(['sessions_expire', 'sessions_pkey', 'sessions_user_id']);
    } finally {
      await scratch.close();
    }
  });

  test('expired sessions are pruned every 15 minutes by each long-lived process, and pruning removes only those', async () => {
    const production = parseConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(32),
      PSEUDONYM_SECRET: 'p'.repeat(32),
      PUBLIC_URL: 'https://inbeeld.example.test',
    });
    expect(sessionPruneInterval(production)).toBe(15 * 60);
    expect(sessionPruneInterval(parseConfig({ NODE_ENV: 'development' }))).toBe(15 * 60);
    expect(sessionPruneInterval(t.config)).toBe(false);

    const coach = await createTestUser(t.database, { role: 'coach' });
    await signInFrom(coach, FIREFOX_LINUX, '198.51.100.20');
    await signInFrom(coach, CHROME_WINDOWS, '198.51.100.21');
    const [stale, live] = await sessionsOf(coach.id);
    await sql`update sessions set expire = now() - interval '1 second' where sid = ${stale!.sid}`.execute(t.database.db);
    const store = createSessionStore(t.database.pool, t.config, createLogger('silent'));
    await new Promise<void>((resolve, reject) => store.pruneSessions((error) => (error ? reject(error) : resolve())));
    store.close();
    expect((await sessionsOf(coach.id)).map((row) => row.sid)).toEqual([live!.sid]);
  });
});
