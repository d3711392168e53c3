import type { Database } from '../../src/db/schema';
import type { Insertable } from 'kysely';
import { contactBelongsToEmployer, listContactOptions, listEmployerOptions } from '../../src/employers/service';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import {
  auditEventsOf,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertStandin,
  openForm,
} from '../helpers/fixtures';
import { withoutCellLabels } from '../helpers/html';
import { readable } from '../helpers/readable';

let t: TestApp;
let coachA: UserFixture;
let coachB: UserFixture;
let manager: UserFixture;
let admin: UserFixture;
let english: UserFixture;

beforeAll(async () => {
  t = await startTestApp();
  coachA = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Coach' });
  coachB = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Bart Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  admin = await createTestUser(t.database, { role: 'admin' });
  english = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', locale: 'en' });
});
afterAll(() => t.close());

const validEmployer = {
  name: 'Fietsenmakerij De Ketting',
  sector: 'bicycle_repair',
  addressLine: 'Oudegracht 12',
  postalCode: '3511 AB',
  city: 'Utrecht',
  phone: '030 123 4567',
  notes: 'Open van 9 tot 17 uur.\nBel voor een bezoek.',
};

async function createEmployerAs(user: UserFixture, fields: Record<string, string> = {}): Promise<number> {
  const agent = await signedInAgent(t.app, user);
  const form = await openForm(agent, '/employers/new');
  const response = await agent
    .post('/employers')
    .type('form')
    .send({ ...form, ...validEmployer, ...fields });
  expect(response.status).toBe(303);
  expect(response.headers.location).toMatch(/^\/employers\/\d+\?done=created$/);
  return Number(/\/employers\/(\d+)/.exec(response.headers.location!)![1]);
}

function addEmployer(name: string, fields: Partial<Insertable<Database['employers']>> = {}): Promise<number> {
  return insertEmployer(t.database.db, { name, sector: 'other', ...fields });
}

function addContact(employerId: number, name: string): Promise<number> {
  return insertContact(t.database.db, {
    employer_id: employerId,
    name,
    role: 'supervisor',
    phone: '06 1111 2222',
    email: 'werk@example.test',
  });
}

function addParticipant(coachId: number, firstName: string, lastName: string): Promise<number> {
  return insertParticipant(t.database.db, { first_name: firstName, last_name: lastName, coach_id: coachId, status: 'active' });
}

function addPlacement(
  participantId: number,
  employerId: number,
  status: 'active' | 'paused' | 'ended',
  jobTitle = 'Medewerker',
): Promise<number> {
  return insertPlacement(t.database.db, {
    participant_id: participantId,
    employer_id: employerId,
    kind: 'work_experience',
    job_title: jobTitle,
    start_date: '2026-09-01',
    status,
    end_date: status === 'ended' ? '2026-10-31' : null,
    pause_reason: status === 'paused' ? 'Ziek' : null,
    paused_since: status === 'paused' ? '2026-11-01' : null,
  });
}

function auditOf(entityType: string, entityId: number) {
  return auditEventsOf(t.database.db, entityType, entityId);
}

describe('employer list', () => {
  test('before any employer exists the list says so and offers to add the first', async () => {
    const agent = await signedInAgent(t.app, coachA);
    const response = await agent.get('/employers');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Er zijn nog geen werkgevers');
    expect(response.text).toContain('Eerste werkgever toevoegen');
    expect(response.text).toContain('href="/employers/new"');
    expect(response.text).toContain('0 werkgevers');
  });

  test('search by name or town, filter by sector, sorted by name, with current placements counted', async () => {
    const zeeman = await addEmployer('Zorgboerderij Zeeman', { sector: 'care', city: 'Amersfoort' });
    await addEmployer('appelhof horeca', { sector: 'hospitality', city: 'Zeist' });
    await addEmployer('Bakkerij Brood', { sector: 'manufacturing', city: 'Houten' });
    const participant = await addParticipant(coachA.id, 'Lijst', 'Telling');
    await addPlacement(participant, zeeman, 'active');
    await addPlacement(participant, zeeman, 'paused');
    await addPlacement(participant, zeeman, 'ended');

    const agent = await signedInAgent(t.app, coachA);
    const all = await agent.get('/employers');
    expect(all.text).toContain('3 werkgevers');
    const order = ['appelhof horeca', 'Bakkerij Brood', 'Zorgboerderij Zeeman'].map((name) => all.text.indexOf(name));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(all.text).toContain('Horeca');
    const zeemanRow = withoutCellLabels(all.text.slice(all.text.indexOf('Zorgboerderij Zeeman')));
    expect(zeemanRow).toMatch(/Zorgboerderij Zeeman<\/a><\/td>\s*<td>Zorg<\/td>\s*<td>Amersfoort<\/td>\s*<td>2<\/td>/);

    const byName = await agent.get('/employers?q=BAKKER');
    expect(byName.text).toContain('Bakkerij Brood');
    expect(byName.text).not.toContain('Zorgboerderij Zeeman');
    expect(byName.text).toContain('1 werkgever');

    const byCity = await agent.get('/employers?q=zeist');
    expect(byCity.text).toContain('appelhof horeca');
    expect(byCity.text).not.toContain('Bakkerij Brood');

    const bySector = await agent.get('/employers?sector=care');
    expect(bySector.text).toContain('Zorgboerderij Zeeman');
    expect(bySector.text).not.toContain('appelhof horeca');
    expect(bySector.text).toMatch(/<option value="care" selected>Zorg<\/option>/);

    const wildcard = await agent.get('/employers?q=%25');
    expect(wildcard.text).toContain('Geen werkgevers gevonden');

    const nothing = await agent.get('/employers?q=bestaat-niet&sector=cleaning');
    expect(nothing.status).toBe(200);
    expect(nothing.text).toContain('Geen werkgevers gevonden met deze zoekopdracht of sector');
    expect(nothing.text).not.toContain('Eerste werkgever toevoegen');
    expect(nothing.text).toContain('Filters wissen');

    const junk = await agent.get('/employers?sector=mining&page=abc');
    expect(junk.status).toBe(200);
    expect(junk.text).toContain('3 werkgevers');
  });

  test('the list shows 50 per page with totals and keeps the search on the next page', async () => {
    for (let n = 1; n <= 55; n += 1) await addEmployer(`Pagina Werkgever ${String(n).padStart(2, '0')}`);
    const agent = await signedInAgent(t.app, coachA);
    const first = await agent.get('/employers?q=pagina');
    expect(first.text).toContain('55 werkgevers');
    expect(readable(first.text)).toContain('1–50 van 55');
    expect(first.text).toContain('Pagina Werkgever 50');
    expect(first.text).not.toContain('Pagina Werkgever 51');
    expect(first.text).toContain('href="?q=pagina&amp;page=2"');
    const second = await agent.get('/employers?q=pagina&page=2');
    expect(readable(second.text)).toContain('51–55 van 55');
    expect(second.text).toContain('Pagina Werkgever 55');
    expect(second.text).not.toContain('Pagina Werkgever 50<');
  });

  test('English readers see English sector labels', async () => {
    const agent = await signedInAgent(t.app, english);
    const response = await agent.get('/employers?sector=hospitality');
    expect(response.text).toContain('Hospitality');
    expect(response.text).toContain('Bicycle repair');
    expect(response.text).toContain('New employer');
  });
});

describe('creating and editing employers', () => {
  test('a coach adds an employer, lands on its profile, and the create is audited', async () => {
    const id = await createEmployerAs(coachA);
    const agent = await signedInAgent(t.app, coachA);
    const profile = await agent.get(`/employers/${id}?done=created`);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('De werkgever is opgeslagen.');
    expect(profile.text).toContain('Fietsenmakerij De Ketting');
    expect(profile.text).toContain('<dt>Sector</dt><dd>Fietsenmakerij</dd>');
    expect(profile.text).toContain('Oudegracht 12, 3511 AB Utrecht');
    expect(profile.text).toContain('href="tel:0301234567"');
    expect(profile.text).toContain('Nog geen contactpersonen');
    expect(profile.text).toContain('Er zijn op dit moment geen lopende plaatsingen bij deze werkgever.');
    const row = await t.database.db.selectFrom('employers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Fietsenmakerij De Ketting', sector: 'bicycle_repair', city: 'Utrecht', version: 1 });
    expect(await auditOf('employer', id)).toEqual([
      { action: 'create', actor_user_id: coachA.id, details: {}, participant_id: null },
    ]);
  });

  test('submitting the same create form twice stores one employer and lands on it', async () => {
    const agent = await signedInAgent(t.app, coachA);
    const form = await openForm(agent, '/employers/new');
    const body = { ...form, ...validEmployer, name: 'Dubbel BV' };
    const [first, second] = await Promise.all([
      agent.post('/employers').type('form').send(body),
      agent.post('/employers').type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const locations = [first.headers.location, second.headers.location].map((l) => l!.replace('?done=created', ''));
    expect(locations[0]).toBe(locations[1]);
    const third = await agent.post('/employers').type('form').send(body);
    expect(third.headers.location).toBe(locations[0]);
    const rows = await t.database.db.selectFrom('employers').select('id').where('name', '=', 'Dubbel BV').execute();
    expect(rows).toHaveLength(1);
  });

  test('invalid input answers 422 with every value kept and a message at each field', async () => {
    const agent = await signedInAgent(t.app, coachA);
    const form = await openForm(agent, '/employers/new');
    const before = await t.database.db
      .selectFrom('employers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const response = await agent
      .post('/employers')
      .type('form')
      .send({
        ...form,
        name: '   ',
        sector: 'mining',
        addressLine: 'Kerkstraat "1" <b>',
        postalCode: '1234 AB',
        city: 'Gouda',
        phone: 'bel maar',
        notes: 'x'.repeat(4001),
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('Er zijn 4 fouten in het formulier');
    expect(response.text).toContain('Naam: Vul dit veld in.');
    expect(response.text).toContain('Sector: Kies een van de mogelijkheden.');
    expect(response.text).toContain('Telefoon: Vul een telefoonnummer in');
    expect(response.text).toContain('Notities: Dit is te lang.');
    expect(response.text).toContain('value="Kerkstraat &#34;1&#34; &lt;b&gt;"');
    expect(response.text).toContain('value="Gouda"');
    expect(response.text).toContain('value="bel maar"');
    expect(response.text).toContain(form.submissionToken);
    const after = await t.database.db
      .selectFrom('employers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  test('a crafted form cannot set the id or version', async () => {
    const id = await createEmployerAs(coachA, { name: 'Gemaakt BV', id: '999999', version: '42', created_at: '2000-01-01' });
    expect(id).not.toBe(999999);
    const row = await t.database.db.selectFrom('employers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.version).toBe(1);
  });

  test('editing saves with the version, and a stale page shows the conflict and changes nothing', async () => {
    const id = await createEmployerAs(coachA, { name: 'Versie BV' });
    const agent = await signedInAgent(t.app, coachA);
    const editPage = await agent.get(`/employers/${id}/edit`);
    expect(editPage.status).toBe(200);
    expect(editPage.text).toContain('value="Versie BV"');
    expect(editPage.text).toContain('name="version" value="1"');
    expect(editPage.text).toMatch(/<option value="bicycle_repair" selected>Fietsenmakerij<\/option>/);
    const csrf = csrfTokenFrom(editPage.text);
    const values = { ...validEmployer, name: 'Versie BV', version: '1', _csrf: csrf };

    const saved = await agent
      .post(`/employers/${id}/edit`)
      .type('form')
      .send({ ...values, city: 'Zwolle', sector: 'cleaning' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/employers/${id}?done=updated`);
    expect((await agent.get(saved.headers.location!)).text).toContain('De wijzigingen zijn opgeslagen.');

    const stale = await agent
      .post(`/employers/${id}/edit`)
      .type('form')
      .send({ ...values, city: 'Deventer' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('Zwolle');
    expect(stale.text).toContain('Deventer');
    // Choice fields are compared as people read them.
    expect(withoutCellLabels(stale.text)).toContain('<td>Schoonmaak</td>');
    expect(withoutCellLabels(stale.text)).toContain('<td>Fietsenmakerij</td>');
    expect(stale.text).toContain('name="version" value="2"');
    const stored = await t.database.db
      .selectFrom('employers')
      .select(['city', 'sector', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ city: 'Zwolle', sector: 'cleaning', version: 2 });

    const invalid = await agent
      .post(`/employers/${id}/edit`)
      .type('form')
      .send({ ...values, version: '2', name: '' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Naam: Vul dit veld in.');

    const resubmit = await agent
      .post(`/employers/${id}/edit`)
      .type('form')
      .send({ ...values, city: 'Deventer', version: '2' });
    expect(resubmit.status).toBe(303);
    expect(await auditOf('employer', id)).toEqual([
      expect.objectContaining({ action: 'create' }),
      expect.objectContaining({ action: 'update', actor_user_id: coachA.id }),
      expect.objectContaining({ action: 'update', actor_user_id: coachA.id }),
    ]);
  });

  test('an unknown employer is a 404 on every page', async () => {
    const agent = await signedInAgent(t.app, coachA);
    for (const path of ['/employers/999999', '/employers/abc', '/employers/999999/edit', '/employers/999999/contacts/new']) {
      expect((await agent.get(path)).status).toBe(404);
    }
    const csrf = await csrfToken(agent, '/employers/new');
    const edit = await agent
      .post('/employers/999999/edit')
      .type('form')
      .send({ ...validEmployer, version: '1', _csrf: csrf });
    expect(edit.status).toBe(404);
  });

  test('every role reads the list and profiles and may add and edit employers', async () => {
    const sharedId = await createEmployerAs(coachB, { name: 'Gedeeld Groen', sector: 'green_maintenance' });
    for (const user of [coachA, coachB, manager, admin]) {
      const agent = await signedInAgent(t.app, user);
      expect((await agent.get('/employers?q=gedeeld')).text).toContain('Gedeeld Groen');
      const profile = await agent.get(`/employers/${sharedId}`);
      expect(profile.status).toBe(200);
      expect(profile.text).toContain('Groenonderhoud');
      expect((await agent.get(`/employers/${sharedId}/edit`)).status).toBe(200);
    }
    const byManager = await createEmployerAs(manager, { name: 'Van de teamleider' });
    const byAdmin = await createEmployerAs(admin, { name: 'Van de beheerder' });
    let version = 1;
    for (const user of [coachA, manager, admin]) {
      const agent = await signedInAgent(t.app, user);
      const csrf = await csrfToken(agent, `/employers/${sharedId}/edit`);
      const saved = await agent
        .post(`/employers/${sharedId}/edit`)
        .type('form')
        .send({
          ...validEmployer,
          name: 'Gedeeld Groen',
          sector: 'green_maintenance',
          notes: `door ${user.email}`,
          version: String(version),
          _csrf: csrf,
        });
      expect(saved.status).toBe(303);
      version += 1;
    }
    expect((await auditOf('employer', sharedId)).map((e) => e.actor_user_id)).toEqual([
      coachB.id,
      coachA.id,
      manager.id,
      admin.id,
    ]);
    expect((await auditOf('employer', byManager))[0]!.actor_user_id).toBe(manager.id);
    expect((await auditOf('employer', byAdmin))[0]!.actor_user_id).toBe(admin.id);
  });

  test('a name with quotes, ampersands and a script tag is escaped on the list, profile and edit form', async () => {
    const name = `Bakker & Zn "De Korf" <script>alert('x')</script>`;
    const id = await createEmployerAs(coachA, { name, city: `'s-Hertogenbosch` });
    const escaped = 'Bakker &amp; Zn &#34;De Korf&#34; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;';
    const agent = await signedInAgent(t.app, coachA);
    const pages = [
      await agent.get('/employers?q=korf'),
      await agent.get(`/employers/${id}`),
      await agent.get(`/employers/${id}/edit`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain(escaped);
      expect(page.text).not.toContain("<script>alert('x')");
    }
    expect(pages[2]!.text).toContain(`value="${escaped}"`);
    const contactPage = await agent.get(`/employers/${id}/contacts/new`);
    expect(contactPage.text).toContain(escaped);
    expect(contactPage.text).not.toContain("<script>alert('x')");
  });
});

describe('contact persons', () => {
  test('a coach adds a contact once, edits it, and a stale edit shows the conflict', async () => {
    const employerId = await createEmployerAs(coachA, { name: 'Contact BV' });
    const agent = await signedInAgent(t.app, coachA);
    const form = await openForm(agent, `/employers/${employerId}/contacts/new`);
    const body = {
      ...form,
      name: 'Petra de Vries',
      role: 'supervisor',
      jobTitle: 'Chef werkplaats',
      phone: '06-12345678',
      email: 'petra@example.test',
      employer_id: '1',
    };
    const [first, second] = await Promise.all([
      agent.post(`/employers/${employerId}/contacts`).type('form').send(body),
      agent.post(`/employers/${employerId}/contacts`).type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const created = [first, second].find((r) => r.headers.location!.includes('done='))!;
    expect(created.headers.location).toBe(`/employers/${employerId}?done=contactCreated`);
    const contacts = await t.database.db
      .selectFrom('employer_contacts')
      .selectAll()
      .where('name', '=', 'Petra de Vries')
      .execute();
    expect(contacts).toHaveLength(1);
    const contact = contacts[0]!;
    expect(contact.employer_id).toBe(employerId);

    const profile = await agent.get(created.headers.location!);
    expect(profile.text).toContain('De contactpersoon is opgeslagen.');
    expect(profile.text).toContain('Petra de Vries');
    expect(profile.text).toContain('Begeleider op de werkvloer');
    expect(profile.text).toContain('Chef werkplaats');
    expect(profile.text).toContain('href="tel:0612345678"');
    expect(profile.text).toContain('href="mailto:petra@example.test"');
    expect(profile.text).toContain(`href="/employers/${employerId}/contacts/${contact.id}/edit"`);

    const editPath = `/employers/${employerId}/contacts/${contact.id}/edit`;
    const editPage = await agent.get(editPath);
    expect(editPage.status).toBe(200);
    expect(editPage.text).toContain('value="Petra de Vries"');
    expect(editPage.text).toMatch(/<option value="supervisor" selected>/);
    const values = {
      _csrf: csrfTokenFrom(editPage.text),
      name: 'Petra de Vries',
      role: 'supervisor',
      phone: '06-12345678',
      email: 'petra@example.test',
      version: '1',
    };
    const saved = await agent
      .post(editPath)
      .type('form')
      .send({ ...values, role: 'hr', jobTitle: 'HR-adviseur' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/employers/${employerId}?done=contactUpdated`);

    const invalid = await agent
      .post(editPath)
      .type('form')
      .send({ ...values, version: '2', email: 'geen-mail', role: 'boss' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('E-mailadres: Vul een geldig e-mailadres in');
    expect(invalid.text).toContain('Rol: Kies een van de mogelijkheden.');
    expect(invalid.text).toContain('value="geen-mail"');

    const stale = await agent
      .post(editPath)
      .type('form')
      .send({ ...values, jobTitle: 'Teamleider' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('HR-adviseur');
    expect(stale.text).toContain('Teamleider');
    expect(withoutCellLabels(stale.text)).toContain('<td>HR / personeelszaken</td>');
    const stored = await t.database.db
      .selectFrom('employer_contacts')
      .select(['role', 'job_title', 'version', 'phone', 'email'])
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      role: 'hr',
      job_title: 'HR-adviseur',
      version: 2,
      phone: '06-12345678',
      email: 'petra@example.test',
    });

    expect((await auditOf('employer_contact', contact.id)).map((e) => [e.action, e.details])).toEqual([
      ['create', { employerId }],
      ['update', { employerId }],
    ]);
  });

  test("a contact of another employer is a 404 and can't be changed through the wrong employer", async () => {
    const employerA = await addEmployer('Werkgever Een');
    const employerB = await addEmployer('Werkgever Twee');
    const contactOfB = await addContact(employerB, 'Kees van Twee');
    const agent = await signedInAgent(t.app, admin);
    expect((await agent.get(`/employers/${employerA}/contacts/${contactOfB}/edit`)).status).toBe(404);
    expect((await agent.get(`/employers/${employerB}/contacts/${contactOfB}/edit`)).status).toBe(200);
    expect((await agent.get(`/employers/${employerA}/contacts/999999/edit`)).status).toBe(404);
    expect((await agent.get(`/employers/${employerA}/contacts/x/edit`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/employers/new');
    const response = await agent
      .post(`/employers/${employerA}/contacts/${contactOfB}/edit`)
      .type('form')
      .send({ _csrf: csrf, name: 'Overgenomen', role: 'hr', version: '1' });
    expect(response.status).toBe(404);
    const stored = await t.database.db
      .selectFrom('employer_contacts')
      .select(['name', 'employer_id', 'version'])
      .where('id', '=', contactOfB)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: 'Kees van Twee', employer_id: employerB, version: 1 });
    const toUnknown = await agent
      .post('/employers/999999/contacts')
      .type('form')
      .send({ _csrf: csrf, submissionToken: '3f1c2a9e-4b7d-4e8a-9c1f-2d3e4f5a6b7c', name: 'Niemand', role: 'hr' });
    expect(toUnknown.status).toBe(404);
  });
});

describe('current placements on the profile', () => {
  test("participants outside the viewer's caseload are counted, never named", async () => {
    const employerId = await addEmployer('Kringloop Het Rad', { sector: 'retail' });
    const ofA = await addParticipant(coachA.id, 'Ayla', 'Aksoy');
    const ofB = await addParticipant(coachB.id, 'Bram', 'Bos');
    const ofB2 = await addParticipant(coachB.id, 'Bo', 'Brink');
    await addPlacement(ofA, employerId, 'active', 'Winkelmedewerker');
    await addPlacement(ofB, employerId, 'paused', 'Magazijn');
    await addPlacement(ofB2, employerId, 'active', 'Kassa');
    await addPlacement(ofB2, employerId, 'ended', 'Oude klus');

    const asA = await (await signedInAgent(t.app, coachA)).get(`/employers/${employerId}`);
    expect(asA.status).toBe(200);
    expect(asA.text).toContain(`<a href="/participants/${ofA}">Ayla Aksoy</a>`);
    expect(asA.text).toContain('Winkelmedewerker');
    expect(asA.text).toContain('Werkervaringsplek');
    expect(asA.text).toContain('badge--status-active');
    expect(asA.text).toContain('01-09-2026');
    expect(asA.text).not.toContain('Bram');
    expect(asA.text).not.toContain('Bos<');
    expect(asA.text).not.toContain('Brink');
    expect(asA.text).not.toContain('Magazijn');
    expect(asA.text).not.toContain(`/participants/${ofB}`);
    expect(asA.text).toContain('En nog 2 lopende plaatsingen in andere caseloads.');

    const asB = await (await signedInAgent(t.app, coachB)).get(`/employers/${employerId}`);
    expect(asB.text).toContain('Bram Bos');
    expect(asB.text).toContain('Bo Brink');
    expect(asB.text).toContain('Gepauzeerd');
    expect(asB.text).not.toContain('Ayla');
    expect(asB.text).not.toContain('Oude klus');
    expect(asB.text).toContain('En nog 1 lopende plaatsing in andere caseloads.');

    // The manager of team Noord sees coach A's caseload only.
    const asManager = await (await signedInAgent(t.app, manager)).get(`/employers/${employerId}`);
    expect(asManager.text).toContain('Ayla Aksoy');
    expect(asManager.text).not.toContain('Bram Bos');
    expect(asManager.text).toContain('En nog 2 lopende plaatsingen');

    const asAdmin = await (await signedInAgent(t.app, admin)).get(`/employers/${employerId}`);
    for (const name of ['Ayla Aksoy', 'Bram Bos', 'Bo Brink']) expect(asAdmin.text).toContain(name);
    expect(asAdmin.text).not.toContain('andere caseloads');
    expect(asAdmin.text).not.toContain('Oude klus');

    // Someone who sees none of them is told they exist, without a name.
    const onlyHidden = await addEmployer('Alleen Zuid');
    await addPlacement(ofB, onlyHidden, 'active', 'Schoonmaker');
    const hiddenOnly = await (await signedInAgent(t.app, coachA)).get(`/employers/${onlyHidden}`);
    expect(hiddenOnly.text).toContain('Er is 1 lopende plaatsing bij deze werkgever in een caseload die je niet ziet.');
    expect(hiddenOnly.text).not.toContain('Schoonmaker');
    expect(hiddenOnly.text).not.toContain('Bram');

    // The list counts current placements of every caseload (a number, no names).
    const list = await (await signedInAgent(t.app, coachA)).get('/employers?q=het%20rad');
    expect(readable(withoutCellLabels(list.text))).toMatch(
      /Kringloop Het Rad<\/a><\/td>\s*<td>Detailhandel\/kringloop<\/td>\s*<td>—<\/td>\s*<td>3<\/td>/,
    );
  });

  test('a coach standing in for a colleague today sees that caseload too', async () => {
    const employerId = await addEmployer('Waarneming BV');
    const ofB = await addParticipant(coachB.id, 'Sanne', 'Standin');
    await addPlacement(ofB, employerId, 'active');
    const agent = await signedInAgent(t.app, coachA);
    expect((await agent.get(`/employers/${employerId}`)).text).not.toContain('Sanne Standin');
    await insertStandin(t.database.db, {
      absent_coach_id: coachB.id,
      standin_coach_id: coachA.id,
      starts_on: '2026-11-20',
      ends_on: '2026-11-27',
      created_by: admin.id,
    });
    const during = await agent.get(`/employers/${employerId}`);
    expect(during.text).toContain('Sanne Standin');
    expect(during.text).not.toContain('andere caseloads');
  });
});

describe('options for the placements feature', () => {
  test('employers and contacts come back ordered by name, and a contact belongs only to its employer', async () => {
    const zebra = await addEmployer('zz Zebra Options', { city: 'Breda' });
    const aap = await addEmployer('AA Aap Options');
    const contactZ2 = await addContact(zebra, 'Zoë');
    const contactZ1 = await addContact(zebra, 'anton');
    const contactA = await addContact(aap, 'Mila');

    const employers = await listEmployerOptions(t.database.db);
    const names = employers.map((e) => e.name);
    expect(names.indexOf('AA Aap Options')).toBeLessThan(names.indexOf('zz Zebra Options'));
    expect(employers.find((e) => e.id === zebra)).toEqual({ id: zebra, name: 'zz Zebra Options', city: 'Breda' });

    const contacts = (await listContactOptions(t.database.db)).filter((c) => [zebra, aap].includes(c.employerId));
    expect(contacts).toEqual([
      { id: contactA, employerId: aap, employerName: 'AA Aap Options', name: 'Mila', role: 'supervisor' },
      { id: contactZ1, employerId: zebra, employerName: 'zz Zebra Options', name: 'anton', role: 'supervisor' },
      { id: contactZ2, employerId: zebra, employerName: 'zz Zebra Options', name: 'Zoë', role: 'supervisor' },
    ]);

    expect(await contactBelongsToEmployer(t.database.db, contactA, aap)).toBe(true);
    expect(await contactBelongsToEmployer(t.database.db, contactA, zebra)).toBe(false);
    expect(await contactBelongsToEmployer(t.database.db, 999999, aap)).toBe(false);
  });
});
