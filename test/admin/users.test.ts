import request from 'supertest';
import { createTestUser, csrfToken, signIn, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';

let t: TestApp;
let admin: UserFixture;
let coach: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  coach = await createTestUser(t.database, { role: 'coach', displayName: 'Cas Coach' });
});
afterAll(() => t.close());

async function sessionsOf(userId: number): Promise<number> {
  const rows = await t.database.db.selectFrom('sessions').select('sess').execute();
  return rows.filter((row) => String((row.sess as { passport?: { user?: string } }).passport?.user) === String(userId)).length;
}

describe('deactivating a user', () => {
  test('lists users with their role, team and status', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/users');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cas Coach');
    expect(page.text).toContain('Jobcoach');
    expect(page.text).toContain('Team Test');
    expect(page.text).toContain('Dit ben jij');
  });

  test('asks for confirmation, then ends every session of the user at once', async () => {
    const coachLaptop = await signedInAgent(t.app, coach);
    const coachPhone = await signedInAgent(t.app, coach);
    expect(await sessionsOf(coach.id)).toBe(2);

    const agent = await signedInAgent(t.app, admin);
    const confirm = await agent.get(`/admin/users/${coach.id}/deactivate`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Cas Coach deactiveren?');
    const token = await csrfToken(agent, `/admin/users/${coach.id}/deactivate`);
    const done = await agent.post(`/admin/users/${coach.id}/deactivate`).type('form').send({ _csrf: token });
    expect(done.status).toBe(303);

    expect(await sessionsOf(coach.id)).toBe(0);
    for (const device of [coachLaptop, coachPhone]) {
      const response = await device.get('/today');
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/login?next=%2Ftoday');
    }
    // The right password no longer opens the account, with the same message as a wrong one.
    const again = await signIn(request.agent(t.app), coach);
    expect(again.status).toBe(401);
    expect(again.text).toContain('horen niet bij een actief account');

    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'deactivate')
      .where('entity_id', '=', String(coach.id))
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(admin.id);
    expect(audit.details).toEqual({ endedSessions: 2 });

    const reactivate = await agent.post(`/admin/users/${coach.id}/reactivate`).type('form').send({ _csrf: token });
    expect(reactivate.status).toBe(303);
    expect((await signIn(request.agent(t.app), coach)).status).toBe(303);
  });

  test('a session that survives in the store is still refused once the user is inactive', async () => {
    const device = await signedInAgent(t.app, coach);
    await t.database.db.updateTable('users').set({ active: false }).where('id', '=', coach.id).execute();
    const response = await device.get('/today');
    expect(response.status).toBe(303);
    await t.database.db.updateTable('users').set({ active: true }).where('id', '=', coach.id).execute();
  });

  test('an administrator cannot deactivate themselves', async () => {
    const agent = await signedInAgent(t.app, admin);
    const token = await csrfToken(agent, '/admin/users');
    const response = await agent.post(`/admin/users/${admin.id}/deactivate`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    const row = await t.database.db.selectFrom('users').select('active').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(true);
  });

  test('an unknown or malformed user id is a 404', async () => {
    const agent = await signedInAgent(t.app, admin);
    expect((await agent.get('/admin/users/999999/deactivate')).status).toBe(404);
    expect((await agent.get('/admin/users/abc/deactivate')).status).toBe(404);
    expect((await agent.get('/admin/users/99999999999999/deactivate')).status).toBe(404);
  });

  test('a coach cannot deactivate anyone, and nothing changes', async () => {
    const agent = await signedInAgent(t.app, coach);
    const token = await csrfToken(agent, '/account');
    const response = await agent.post(`/admin/users/${admin.id}/deactivate`).type('form').send({ _csrf: token });
    expect(response.status).toBe(404);
    const row = await t.database.db.selectFrom('users').select('active').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(true);
  });
});
