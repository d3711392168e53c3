import request from 'supertest';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { openForm } from '../helpers/fixtures';

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Olga Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
});
afterAll(() => t.close());

function createForm(agent: request.Agent) {
  return openForm(agent, '/participants/new');
}

const validParticipant = {
  firstName: 'Sem',
  lastName: 'de Jong',
  dateOfBirth: '14-02-1998',
  phone: '06 1234 5678',
  email: 'sem@example.test',
  preferredChannel: 'phone',
  status: 'active',
  externalReference: 'UWV-2026-001',
};

describe('participants', () => {
  test('a coach registers a participant and sees the profile; the view is audited', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await createForm(agent);
    const created = await agent
      .post('/participants')
      .type('form')
      .send({ ...form, ...validParticipant });
    expect(created.status).toBe(303);
    const location = created.headers.location!;
    expect(location).toMatch(/^\/participants\/\d+\?done=created$/);
    const profile = await agent.get(location);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('Sem de Jong');
    expect(profile.text).toContain('14-02-1998');
    expect(profile.text).toContain('href="tel:0612345678"');
    const id = Number(/\/participants\/(\d+)/.exec(location)![1]);
    const row = await t.database.db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.coach_id).toBe(coach.id);
    expect(row.date_of_birth).toBe('1998-02-14');
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action'])
      .where('participant_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(['create', 'view']);
  });

  test('invalid input answers 422 with every value kept and a message at each field', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await createForm(agent);
    const response = await agent
      .post('/participants')
      .type('form')
      .send({
        ...form,
        firstName: '',
        lastName: 'O"Brien <b>',
        dateOfBirth: '31-02-2001',
        phone: 'call me',
        email: 'not-an-email',
        preferredChannel: 'pigeon',
        status: 'active',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('value="O&#34;Brien &lt;b&gt;"');
    expect(response.text).toContain('value="31-02-2001"');
    expect(response.text).toContain('value="call me"');
    expect(response.text).toContain('Vul een datum in als dd-mm-jjjj');
    expect(response.text).toContain('Vul een telefoonnummer in');
    expect(response.text).toContain('Kies een van de mogelijkheden.');
    expect(response.text).toContain(form.submissionToken);
  });

  test('submitting the same create form twice stores one participant and lands on it', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await createForm(agent);
    const body = { ...form, ...validParticipant, lastName: 'Dubbel' };
    const [first, second] = await Promise.all([
      agent.post('/participants').type('form').send(body),
      agent.post('/participants').type('form').send(body),
    ]);
    const locations = [first.headers.location, second.headers.location].map((l) => l!.replace('?done=created', ''));
    expect(locations[0]).toBe(locations[1]);
    const count = await t.database.db
      .selectFrom('participants')
      .where('last_name', '=', 'Dubbel')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  test('a coach cannot assign the participant to another coach', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await createForm(agent);
    const created = await agent
      .post('/participants')
      .type('form')
      .send({
        ...form,
        ...validParticipant,
        lastName: 'Massa',
        coachId: String(otherCoach.id),
        version: '99',
        closed_on: '2020-01-01',
        coach_id: String(otherCoach.id),
      });
    expect(created.status).toBe(303);
    const row = await t.database.db
      .selectFrom('participants')
      .selectAll()
      .where('last_name', '=', 'Massa')
      .executeTakeFirstOrThrow();
    expect(row.coach_id).toBe(coach.id);
    expect(row.version).toBe(1);
    expect(row.closed_on).toBeNull();
  });

  test('saving from a stale page changes nothing and shows both versions', async () => {
    const agent = await signedInAgent(t.app, coach);
    const row = await t.database.db
      .selectFrom('participants')
      .select(['id'])
      .where('last_name', '=', 'de Jong')
      .executeTakeFirstOrThrow();
    const editPage = await agent.get(`/participants/${row.id}/edit`);
    const csrf = csrfTokenFrom(editPage.text);
    const values = { ...validParticipant, version: '1', _csrf: csrf };
    const firstSave = await agent
      .post(`/participants/${row.id}/edit`)
      .type('form')
      .send({ ...values, city: 'Utrecht' });
    expect(firstSave.status).toBe(303);
    const stale = await agent
      .post(`/participants/${row.id}/edit`)
      .type('form')
      .send({ ...values, city: 'Amersfoort' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('Utrecht');
    expect(stale.text).toContain('Amersfoort');
    const stored = await t.database.db
      .selectFrom('participants')
      .select(['city', 'version'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ city: 'Utrecht', version: 2 });
    // "Save my input anyway" re-submits the typed values against the current version.
    const resubmit = await agent
      .post(`/participants/${row.id}/edit`)
      .type('form')
      .send({ ...values, city: 'Amersfoort', version: '2' });
    expect(resubmit.status).toBe(303);
  });

  test('another coach of the same team gets 404 and cannot change the participant', async () => {
    const row = await t.database.db
      .selectFrom('participants')
      .select(['id', 'version'])
      .where('last_name', '=', 'de Jong')
      .executeTakeFirstOrThrow();
    const agent = await signedInAgent(t.app, otherCoach);
    expect((await agent.get(`/participants/${row.id}`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const response = await agent
      .post(`/participants/${row.id}/edit`)
      .type('form')
      .send({ ...validParticipant, version: String(row.version), _csrf: csrf, city: 'Hacked' });
    expect(response.status).toBe(404);
    const stored = await t.database.db
      .selectFrom('participants')
      .select(['city'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored.city).not.toBe('Hacked');
  });

  test('a manager of the team lists and reassigns; the reassignment is audited', async () => {
    const row = await t.database.db
      .selectFrom('participants')
      .select(['id', 'version'])
      .where('last_name', '=', 'de Jong')
      .executeTakeFirstOrThrow();
    const agent = await signedInAgent(t.app, manager);
    const list = await agent.get('/participants?q=jong');
    expect(list.text).toContain('de Jong, Sem');
    const editPage = await agent.get(`/participants/${row.id}/edit`);
    expect(editPage.text).toContain('Olga Coach');
    const csrf = csrfTokenFrom(editPage.text);
    const response = await agent
      .post(`/participants/${row.id}/edit`)
      .type('form')
      .send({ ...validParticipant, version: String(row.version), _csrf: csrf, coachId: String(otherCoach.id) });
    expect(response.status).toBe(303);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'reassign')
      .where('participant_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ fromCoachId: coach.id, toCoachId: otherCoach.id });
  });
});
