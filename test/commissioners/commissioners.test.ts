import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { listActiveCommissionerOptions } from '../../src/commissioners/service';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { auditEventsOf, insertParticipant, insertTrajectory, openForm } from '../helpers/fixtures';
import { withoutCellLabels } from '../helpers/html';
import { readable } from '../helpers/readable';

let t: TestApp;
let admin: UserFixture;
let coach: UserFixture;
let manager: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Anna Beheer' });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
});
afterAll(() => t.close());

function newForm(agent: request.Agent) {
  return openForm(agent, '/admin/commissioners/new');
}

async function commissionerNamed(name: string) {
  return t.database.db.selectFrom('commissioners').selectAll().where('name', '=', name).executeTakeFirst();
}

function auditOf(entityId: number) {
  return auditEventsOf(t.database.db, 'commissioner', entityId);
}

async function countCommissioners(): Promise<number> {
  const row = await t.database.db
    .selectFrom('commissioners')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('commissioners (admin)', () => {
  test('an empty list says what to do', async () => {
    const agent = await signedInAgent(t.app, admin);
    const list = await agent.get('/admin/commissioners');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Er zijn nog geen opdrachtgevers');
    expect(list.text).toContain('href="/admin/commissioners/new"');
  });

  test('an admin adds a commissioner; it is listed, active and audited', async () => {
    const agent = await signedInAgent(t.app, admin);
    const form = await newForm(agent);
    const created = await agent
      .post('/admin/commissioners')
      .type('form')
      .send({ ...form, name: '  UWV Utrecht  ', kind: 'uwv', active: 'false', version: '7', id: '999' });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/admin/commissioners?done=created');
    const stored = await commissionerNamed('UWV Utrecht');
    expect(stored).toMatchObject({ kind: 'uwv', active: true, version: 1 });
    expect(stored!.id).not.toBe(999);
    const list = await agent.get(created.headers.location!);
    expect(list.text).toContain('De opdrachtgever is opgeslagen.');
    expect(list.text).toContain('UWV Utrecht');
    expect(list.text).toContain('>Actief<');
    expect(list.text).toContain('1 opdrachtgever');
    const audit = await auditOf(stored!.id);
    expect(audit).toEqual([{ action: 'create', actor_user_id: admin.id, participant_id: null, details: { kind: 'uwv' } }]);
  });

  test('submitting the same form twice stores one commissioner', async () => {
    const agent = await signedInAgent(t.app, admin);
    const form = await newForm(agent);
    const body = { ...form, name: 'Gemeente Amersfoort', kind: 'municipality' };
    const [first, second] = await Promise.all([
      agent.post('/admin/commissioners').type('form').send(body),
      agent.post('/admin/commissioners').type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.headers.location!.split('?')[0]).toBe(second.headers.location!.split('?')[0]);
    const rows = await t.database.db.selectFrom('commissioners').select('id').where('name', '=', 'Gemeente Amersfoort').execute();
    expect(rows).toHaveLength(1);
  });

  test('a name already in use (in any case) is a field error, with the typed values kept', async () => {
    const agent = await signedInAgent(t.app, admin);
    const before = await countCommissioners();
    const form = await newForm(agent);
    const response = await agent
      .post('/admin/commissioners')
      .type('form')
      .send({ ...form, name: 'uwv UTRECHT', kind: 'other' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('Er is al een opdrachtgever met deze naam.');
    expect(response.text).toContain('value="uwv UTRECHT"');
    expect(response.text).toMatch(/<option value="other" selected>/);
    expect(response.text).toContain(form.submissionToken);
    expect(await countCommissioners()).toBe(before);
    // The same form can still be used with another name: the refused submit did not use up the token.
    const retry = await agent
      .post('/admin/commissioners')
      .type('form')
      .send({ ...form, name: 'OCMW Gent', kind: 'ocmw' });
    expect(retry.status).toBe(303);
  });

  test('two admins saving the same new name at once store one; the other gets the field error', async () => {
    const agent = await signedInAgent(t.app, admin);
    const [formA, formB] = [await newForm(agent), await newForm(agent)];
    const responses = await Promise.all([
      agent
        .post('/admin/commissioners')
        .type('form')
        .send({ ...formA, name: 'VDAB Antwerpen', kind: 'vdab' }),
      agent
        .post('/admin/commissioners')
        .type('form')
        .send({ ...formB, name: 'vdab antwerpen', kind: 'vdab' }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([303, 422]);
    expect(responses.find((response) => response.status === 422)!.text).toContain('Er is al een opdrachtgever met deze naam.');
    const rows = await t.database.db
      .selectFrom('commissioners')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', 'vdab antwerpen'))
      .execute();
    expect(rows).toHaveLength(1);
  });

  test('invalid input answers 422 with a message at each field', async () => {
    const agent = await signedInAgent(t.app, admin);
    const form = await newForm(agent);
    const response = await agent
      .post('/admin/commissioners')
      .type('form')
      .send({ ...form, name: '   ', kind: 'bank' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Vul dit veld in.');
    expect(response.text).toContain('Kies een van de mogelijkheden.');
    const tooLong = await agent
      .post('/admin/commissioners')
      .type('form')
      .send({ ...form, name: 'x'.repeat(151), kind: 'vdab' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Dit is te lang.');
  });

  test('editing saves with a version; a stale form shows the conflict page and changes nothing', async () => {
    const agent = await signedInAgent(t.app, admin);
    const stored = (await commissionerNamed('Gemeente Amersfoort'))!;
    const edit = await agent.get(`/admin/commissioners/${stored.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('value="Gemeente Amersfoort"');
    expect(edit.text).toContain('name="version" value="1"');
    const csrf = csrfTokenFrom(edit.text);
    const saved = await agent
      .post(`/admin/commissioners/${stored.id}/edit`)
      .type('form')
      .send({ _csrf: csrf, name: 'Gemeente Amersfoort (Werk & Inkomen)', kind: 'municipality', version: '1' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/admin/commissioners?done=updated');
    const stale = await agent
      .post(`/admin/commissioners/${stored.id}/edit`)
      .type('form')
      .send({ _csrf: csrf, name: 'Gemeente Leusden', kind: 'other', version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('Gemeente Amersfoort (Werk &amp; Inkomen)');
    expect(stale.text).toContain('Gemeente Leusden');
    expect(stale.text).toContain('Anders');
    expect(stale.text).toContain('name="version" value="2"');
    const after = (await t.database.db.selectFrom('commissioners').selectAll().where('id', '=', stored.id).executeTakeFirst())!;
    expect(after).toMatchObject({ name: 'Gemeente Amersfoort (Werk & Inkomen)', kind: 'municipality', version: 2 });
    const audit = await auditOf(stored.id);
    expect(audit.map((event) => event.action)).toEqual(['create', 'update']);
    expect(audit[1]!.details).toEqual({ changed: ['name'] });
  });

  test('renaming to a name in use is a field error', async () => {
    const agent = await signedInAgent(t.app, admin);
    const stored = (await commissionerNamed('OCMW Gent'))!;
    const edit = await agent.get(`/admin/commissioners/${stored.id}/edit`);
    const response = await agent
      .post(`/admin/commissioners/${stored.id}/edit`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(edit.text), name: 'UWV utrecht', kind: 'ocmw', version: String(stored.version) });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Er is al een opdrachtgever met deze naam.');
    expect(response.text).toContain('value="UWV utrecht"');
    expect((await commissionerNamed('OCMW Gent'))!.version).toBe(stored.version);
  });

  test('a deactivated commissioner cannot be chosen for new trajectories, but existing trajectories keep it', async () => {
    const agent = await signedInAgent(t.app, admin);
    const stored = (await commissionerNamed('OCMW Gent'))!;
    const participantId = await insertParticipant(t.database.db, {
      first_name: 'Lotte',
      last_name: 'Peeters',
      coach_id: coach.id,
      status: 'active',
    });
    await insertTrajectory(t.database.db, {
      participant_id: participantId,
      commissioner_id: stored.id,
      kind: 'work_experience',
      start_date: '2026-01-05',
      granted_hours: '40',
    });

    const confirm = await agent.get(`/admin/commissioners/${stored.id}/deactivate`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('OCMW Gent op inactief zetten');
    expect(confirm.text).toContain('Deze opdrachtgever heeft 1 traject.');
    const deactivated = await agent
      .post(`/admin/commissioners/${stored.id}/deactivate`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(confirm.text) });
    expect(deactivated.status).toBe(303);
    expect((await commissionerNamed('OCMW Gent'))!.active).toBe(false);
    expect((await listActiveCommissionerOptions(t.database.db)).map((option) => option.name)).not.toContain('OCMW Gent');

    const list = await agent.get('/admin/commissioners?done=deactivated');
    expect(list.text).toContain('De opdrachtgever staat op inactief.');
    expect(list.text).toContain('>Inactief<');
    expect(list.text).toContain(`action="/admin/commissioners/${stored.id}/reactivate"`);

    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('OCMW Gent');
    const trajectory = await t.database.db
      .selectFrom('trajectories')
      .select('commissioner_id')
      .where('participant_id', '=', participantId)
      .executeTakeFirstOrThrow();
    expect(trajectory.commissioner_id).toBe(stored.id);

    const reactivated = await agent
      .post(`/admin/commissioners/${stored.id}/reactivate`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(list.text) });
    expect(reactivated.status).toBe(303);
    expect(reactivated.headers.location).toBe('/admin/commissioners?done=reactivated');
    expect((await commissionerNamed('OCMW Gent'))!.active).toBe(true);
    expect((await listActiveCommissionerOptions(t.database.db)).map((option) => option.name)).toContain('OCMW Gent');
    // A second click changes and records nothing more.
    await agent
      .post(`/admin/commissioners/${stored.id}/reactivate`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(list.text) });
    const audit = await auditOf(stored.id);
    expect(audit.map((event) => event.action)).toEqual(['create', 'deactivate', 'reactivate']);
  });

  test('the list shows how many trajectories each commissioner funds', async () => {
    const agent = await signedInAgent(t.app, admin);
    const list = await agent.get('/admin/commissioners');
    const row = /<tr>\s*<td>OCMW Gent<\/td>[\s\S]*?<\/tr>/.exec(withoutCellLabels(list.text))![0];
    expect(row).toContain('<td>OCMW</td>');
    expect(row.match(/<td>1<\/td>/g)).toHaveLength(2);
    const empty = /<tr>\s*<td>UWV Utrecht<\/td>[\s\S]*?<\/tr>/.exec(withoutCellLabels(list.text))![0];
    expect(empty.match(/<td>0<\/td>/g)).toHaveLength(2);
  });

  test('names with markup, quotes and ampersands are shown as text', async () => {
    const agent = await signedInAgent(t.app, admin);
    const form = await newForm(agent);
    const name = `<script>alert("x")</script> O'Neill & "Zonen"`;
    const created = await agent
      .post('/admin/commissioners')
      .type('form')
      .send({ ...form, name, kind: 'other' });
    expect(created.status).toBe(303);
    const list = await agent.get('/admin/commissioners');
    expect(list.text).not.toContain('<script>alert');
    expect(list.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Neill &amp; &#34;Zonen&#34;');
    const stored = (await commissionerNamed(name))!;
    const edit = await agent.get(`/admin/commissioners/${stored.id}/edit`);
    expect(edit.text).toContain('value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Neill &amp; &#34;Zonen&#34;"');
    const confirm = await agent.get(`/admin/commissioners/${stored.id}/deactivate`);
    expect(confirm.text).not.toContain('<script>alert');
  });

  test('the list is paginated by 50', async () => {
    const agent = await signedInAgent(t.app, admin);
    const existing = await countCommissioners();
    await t.database.db
      .insertInto('commissioners')
      .values(
        Array.from({ length: 55 - existing }, (_, i) => ({
          name: `Zz Gemeente ${String(i).padStart(2, '0')}`,
          kind: 'municipality' as const,
        })),
      )
      .execute();
    const first = await agent.get('/admin/commissioners');
    expect(first.text).toContain('55 opdrachtgevers');
    expect(readable(first.text)).toContain('1–50 van 55');
    expect(first.text).toContain('href="?page=2"');
    const second = await agent.get('/admin/commissioners?page=2');
    expect(readable(second.text)).toContain('51–55 van 55');
    expect(second.text).toContain('Zz Gemeente');
  });

  test.each([
    ['coach', () => coach],
    ['manager', () => manager],
  ])('a %s gets 404 on every commissioner page and changes nothing', async (_role, who) => {
    const agent = await signedInAgent(t.app, who());
    const stored = (await commissionerNamed('UWV Utrecht'))!;
    for (const path of [
      '/admin/commissioners',
      '/admin/commissioners/new',
      `/admin/commissioners/${stored.id}/edit`,
      `/admin/commissioners/${stored.id}/deactivate`,
    ]) {
      expect((await agent.get(path)).status).toBe(404);
    }
    const csrf = await csrfToken(agent, '/participants');
    const before = await countCommissioners();
    const posts = await Promise.all([
      agent
        .post('/admin/commissioners')
        .type('form')
        .send({ _csrf: csrf, submissionToken: randomUUID(), name: 'Sneaky', kind: 'other' }),
      agent
        .post(`/admin/commissioners/${stored.id}/edit`)
        .type('form')
        .send({ _csrf: csrf, name: 'Hacked', kind: 'other', version: String(stored.version) }),
      agent.post(`/admin/commissioners/${stored.id}/deactivate`).type('form').send({ _csrf: csrf }),
    ]);
    expect(posts.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(await countCommissioners()).toBe(before);
    expect(await commissionerNamed('UWV Utrecht')).toEqual(stored);
  });

  test('an unknown commissioner is 404', async () => {
    const agent = await signedInAgent(t.app, admin);
    expect((await agent.get('/admin/commissioners/999999/edit')).status).toBe(404);
    expect((await agent.get('/admin/commissioners/abc/edit')).status).toBe(404);
  });
});
