import { sql } from 'kysely';
import * as users from '../../src/users/service';
import { createTestUser, signedInAgent, startTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// Every signed-in request reads its session and then its user. The session store reads both in one
// statement (src/web/session-store.ts), and passport takes the user from there instead of asking
// the database a second time; what it decides must not change: a deactivated account is out at
// its next request, and a session whose account is gone signs nobody in.

let t: TestApp;
let database: TestDatabase;
beforeAll(async () => {
  // The database in another zone than this process (UTC+14 against UTC): a session's expiry must
  // be compared as connect-pg-simple compares it, not through a Date sent with this process's
  // offset, which the zoneless expire column would drop.
  database = await createTestDatabase();
  const setup = database.openPool();
  const { name } = (await setup.query<{ name: string }>('select current_database() as name')).rows[0]!;
  await setup.query(`alter database "${name}" set timezone to 'Pacific/Kiritimati'`);
  // The embedded database has one session for every connection, which ALTER DATABASE does not reach.
  await setup.query(`set time zone 'Pacific/Kiritimati'`);
  t = await startTestApp({ database });
});
afterAll(async () => {
  await t.close();
  await database.close();
});
afterEach(() => jest.restoreAllMocks());

test('a signed-in page gets its user with the session, without a lookup of its own', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', displayName: 'Sanne Sessielezer' });
  const agent = await signedInAgent(t.app, coach);
  const lookups = jest.spyOn(users, 'findSignedInUser');
  const page = await agent.get('/account');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Sanne Sessielezer');
  expect(lookups).not.toHaveBeenCalled();
});

test('the user read with the session is current: a changed name shows at the next request', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', displayName: 'Before Rename' });
  const agent = await signedInAgent(t.app, coach);
  await t.database.db.updateTable('users').set({ display_name: 'After Rename' }).where('id', '=', coach.id).execute();
  const page = await agent.get('/account');
  expect(page.text).toContain('After Rename');
  expect(page.text).not.toContain('Before Rename');
});

test('a deactivated account is signed out at its next request, without a second lookup', async () => {
  const coach = await createTestUser(t.database, { role: 'coach' });
  const agent = await signedInAgent(t.app, coach);
  expect((await agent.get('/today')).status).toBe(200);
  await t.database.db.updateTable('users').set({ active: false }).where('id', '=', coach.id).execute();
  const lookups = jest.spyOn(users, 'findSignedInUser');
  const page = await agent.get('/today');
  expect(page.status).toBe(303);
  expect(page.headers.location).toBe('/login?next=%2Ftoday');
  expect(lookups).not.toHaveBeenCalled();
});

test('the user read is the one the session names, also after its data changed', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', displayName: 'Eerste Coach' });
  const other = await createTestUser(t.database, { role: 'manager', displayName: 'Andere Manager' });
  const agent = await signedInAgent(t.app, coach);
  // The statement joins on sessions.user_id, which a trigger copies from the session's data on
  // every write: here the data comes to name another user.
  const session = await t.database.db
    .selectFrom('sessions')
    .select(['sid', 'sess'])
    .where('user_id', '=', coach.id)
    .executeTakeFirstOrThrow();
  const data = session.sess as { passport: { user: string } };
  await t.database.db
    .updateTable('sessions')
    .set({ sess: JSON.stringify({ ...data, passport: { user: String(other.id) } }) })
    .where('sid', '=', session.sid)
    .execute();
  const lookups = jest.spyOn(users, 'findSignedInUser');
  const page = await agent.get('/account');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Andere Manager');
  expect(lookups).not.toHaveBeenCalled();
});

test('an expired session signs nobody in; one about to expire still does', async () => {
  const coach = await createTestUser(t.database, { role: 'coach' });
  const agent = await signedInAgent(t.app, coach);
  // expire is written as connect-pg-simple writes it: an instant turned into the server's local time.
  const expireIn = (seconds: number) =>
    t.database.db
      .updateTable('sessions')
      .set({ expire: sql<Date>`(now() + make_interval(secs => ${seconds}))::timestamp` })
      .where('user_id', '=', coach.id)
      .execute();
  await expireIn(90);
  expect((await agent.get('/today')).status).toBe(200);
  await expireIn(-90);
  const page = await agent.get('/today');
  expect(page.status).toBe(303);
  expect(page.headers.location).toBe('/login?next=%2Ftoday');
});
