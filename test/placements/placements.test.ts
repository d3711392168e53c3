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
  formTokensFrom,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  postForm,
  submissionTokenFrom,
  versionFrom,
} from '../helpers/fixtures';
import { readable } from '../helpers/readable';

// The clock of startTestApp stands on 23-11-2026 (Europe/Amsterdam).

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;
let otherManager: UserFixture;
let admin: UserFixture;
let kitchen: { id: number; supervisorId: number };
let shop: { id: number; supervisorId: number };

async function employerWithSupervisor(name: string, supervisor: string, phone: string) {
  const id = await insertEmployer(t.database.db, { name, sector: 'hospitality', city: 'Utrecht' });
  const supervisorId = await insertContact(t.database.db, { employer_id: id, name: supervisor, role: 'supervisor', phone });
  return { id, supervisorId };
}

function addParticipant(lastName: string, coachId: number, status: 'active' | 'closed' = 'active') {
  return insertParticipant(t.database.db, {
    first_name: 'Sam',
    last_name: lastName,
    coach_id: coachId,
    status,
    closed_on: status === 'closed' ? '2026-11-01' : null,
  });
}

/** A placement stored directly: active from 01-09-2026 at the given hours. */
function addPlacement(participantId: number, jobTitle: string, hours = 40, employer = kitchen) {
  return insertPlacement(
    t.database.db,
    {
      participant_id: participantId,
      employer_id: employer.id,
      supervisor_contact_id: employer.supervisorId,
      kind: 'paid_job',
      job_title: jobTitle,
      start_date: '2026-09-01',
    },
    { hoursPerWeek: hours },
  );
}

async function placementRow(id: number) {
  return t.database.db.selectFrom('placements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function hoursRows(placementId: number) {
  const rows = await t.database.db
    .selectFrom('placement_hours')
    .select(['effective_from', 'hours_per_week', 'note'])
    .where('placement_id', '=', placementId)
    .orderBy('effective_from')
    .execute();
  return rows.map((row) => ({ from: row.effective_from, hours: Number(row.hours_per_week), note: row.note }));
}

function auditOf(placementId: number) {
  return auditEventsOf(t.database.db, 'placement', placementId);
}

const base = (participantId: number, placementId: number) => `/participants/${participantId}/placements/${placementId}`;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Olga Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin' });
  kitchen = await employerWithSupervisor('Restaurant De Keuken', 'Jan Werkvloer', '06 1111 2222');
  shop = await employerWithSupervisor('Kringloop Noord', 'Kim Winkel', '030 123 45 67');
});
afterAll(() => t.close());

describe('creating a placement', () => {
  test('stores the placement with its first hours row, audits it and shows it on the profile', async () => {
    const participantId = await addParticipant('Create', coach.id);
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(`/participants/${participantId}/placements/new`);
    expect(page.status).toBe(200);
    // Supervisors are grouped by employer.
    expect(page.text).toMatch(/<optgroup label="Kringloop Noord" data-employer-id="\d+">/);
    expect(page.text).toMatch(/<optgroup label="Restaurant De Keuken" data-employer-id="\d+">/);
    const created = await agent
      .post(`/participants/${participantId}/placements/new`)
      .type('form')
      .send({
        ...formTokensFrom(page.text),
        employerId: String(kitchen.id),
        supervisorContactId: String(kitchen.supervisorId),
        kind: 'paid_job',
        jobTitle: 'Hulpkok',
        startDate: '01-10-2026',
        hoursPerWeek: '12,5',
        status: 'ended',
        version: '7',
      });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe(`/participants/${participantId}?done=placementCreated`);
    const stored = await t.database.db
      .selectFrom('placements')
      .selectAll()
      .where('participant_id', '=', participantId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      employer_id: kitchen.id,
      supervisor_contact_id: kitchen.supervisorId,
      kind: 'paid_job',
      job_title: 'Hulpkok',
      start_date: '2026-10-01',
      status: 'active',
      end_date: null,
      version: 1,
    });
    expect(await hoursRows(stored.id)).toEqual([{ from: '2026-10-01', hours: 12.5, note: null }]);
    const audit = await auditOf(stored.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', participant_id: participantId, actor_user_id: coach.id });
    expect(audit[0]!.details).toMatchObject({ employerId: kitchen.id, hoursPerWeek: 12.5, startDate: '2026-10-01' });

    const profile = await agent.get(created.headers.location!);
    expect(profile.text).toContain('De plaatsing is opgeslagen.');
    expect(profile.text).toContain('Hulpkok');
    expect(profile.text).toContain('12,5 uur per week');
    expect(profile.text).toContain('href="tel:0611112222"');
    expect(profile.text).toContain(`href="/participants/${participantId}/placements/new"`);
    expect(profile.text).toContain(`href="${base(participantId, stored.id)}/hours"`);
    expect(profile.text).toContain(`href="${base(participantId, stored.id)}/pause"`);
    expect(profile.text).toContain(`href="${base(participantId, stored.id)}/end"`);
    expect(profile.text).toContain(`href="${base(participantId, stored.id)}/edit"`);
  });

  test('accepts 12.5 as well, and a double submit stores one placement', async () => {
    const participantId = await addParticipant('Double', coach.id);
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(`/participants/${participantId}/placements/new`);
    const body = {
      ...formTokensFrom(page.text),
      employerId: String(shop.id),
      supervisorContactId: '',
      kind: 'volunteering',
      jobTitle: 'Winkelhulp',
      startDate: '2026-11-02',
      hoursPerWeek: '12.5',
    };
    const url = `/participants/${participantId}/placements/new`;
    const [first, second] = await Promise.all([agent.post(url).type('form').send(body), agent.post(url).type('form').send(body)]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const rows = await t.database.db.selectFrom('placements').select('id').where('participant_id', '=', participantId).execute();
    expect(rows).toHaveLength(1);
    expect(await hoursRows(rows[0]!.id)).toEqual([{ from: '2026-11-02', hours: 12.5, note: null }]);
    const third = await agent.post(url).type('form').send(body);
    expect(third.status).toBe(303);
    expect(third.headers.location).toBe(`/participants/${participantId}`);
    expect(
      await t.database.db.selectFrom('placements').select('id').where('participant_id', '=', participantId).execute(),
    ).toHaveLength(1);
  });

  test('invalid input answers 422 with every value kept and messages at the fields', async () => {
    const participantId = await addParticipant('Invalid', coach.id);
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(`/participants/${participantId}/placements/new`);
    const token = submissionTokenFrom(page.text);
    const response = await agent
      .post(`/participants/${participantId}/placements/new`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        submissionToken: token,
        employerId: String(kitchen.id),
        supervisorContactId: String(kitchen.supervisorId),
        kind: 'paid_job',
        jobTitle: 'Kok "chef" <b>',
        startDate: '31-02-2026',
        hoursPerWeek: '61',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('value="Kok &#34;chef&#34; &lt;b&gt;"');
    expect(response.text).toContain('value="31-02-2026"');
    expect(response.text).toContain('value="61"');
    expect(response.text).toContain(token);
    expect(response.text).toMatch(new RegExp(`<option value="${kitchen.id}"\\s+selected>`));
    expect(response.text).toMatch(new RegExp(`<option value="${kitchen.supervisorId}"\\s+selected>`));
    expect(response.text).toContain('Vul een datum in als dd-mm-jjjj');
    expect(response.text).toContain('Vul een aantal uren in van 0 tot en met 60');
    expect(
      await t.database.db.selectFrom('placements').select('id').where('participant_id', '=', participantId).execute(),
    ).toHaveLength(0);

    const missing = await agent
      .post(`/participants/${participantId}/placements/new`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        submissionToken: token,
        employerId: '',
        kind: '',
        jobTitle: '',
        startDate: '',
        hoursPerWeek: '',
      });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Er zijn 5 fouten in het formulier');
  });

  test('a supervisor of another employer is refused at the field and nothing is stored', async () => {
    const participantId = await addParticipant('Supervisor', coach.id);
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get(`/participants/${participantId}/placements/new`);
    const response = await agent
      .post(`/participants/${participantId}/placements/new`)
      .type('form')
      .send({
        ...formTokensFrom(page.text),
        employerId: String(kitchen.id),
        supervisorContactId: String(shop.supervisorId),
        kind: 'paid_job',
        jobTitle: 'Afwasser',
        startDate: '01-11-2026',
        hoursPerWeek: '20',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Deze begeleider hoort niet bij de gekozen werkgever.');
    expect(response.text).toContain('value="Afwasser"');
    expect(
      await t.database.db.selectFrom('placements').select('id').where('participant_id', '=', participantId).execute(),
    ).toHaveLength(0);
    // The form can be sent again with a valid supervisor: the token was not used up.
    const retry = await agent
      .post(`/participants/${participantId}/placements/new`)
      .type('form')
      .send({
        ...formTokensFrom(page.text),
        employerId: String(kitchen.id),
        supervisorContactId: String(kitchen.supervisorId),
        kind: 'paid_job',
        jobTitle: 'Afwasser',
        startDate: '01-11-2026',
        hoursPerWeek: '20',
      });
    expect(retry.status).toBe(303);
  });
});

describe('the life of a placement', () => {
  let participantId: number;
  let placementId: number;

  beforeAll(async () => {
    participantId = await addParticipant('Kitchen', coach.id);
    placementId = await addPlacement(participantId, 'Kok', 40);
  });

  test('pausing needs a reason, then sets the hours to 0 from that date and the profile says why', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${base(participantId, placementId)}/pause`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="2026-11-23"');
    const version = versionFrom(form.text);
    const noReason = await postForm(agent, `${base(participantId, placementId)}/pause`, {
      pauseReason: ' ',
      pausedSince: '16-11-2026',
      version,
    });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('value="2026-11-16"');
    const beforeStart = await postForm(agent, `${base(participantId, placementId)}/pause`, {
      pauseReason: 'Dicht',
      pausedSince: '01-08-2026',
      version,
    });
    expect(beforeStart.status).toBe(422);
    expect(beforeStart.text).toContain('De pauze kan niet vóór de startdatum van de plaatsing beginnen.');
    expect((await placementRow(placementId)).status).toBe('active');

    const paused = await postForm(agent, `${base(participantId, placementId)}/pause`, {
      pauseReason: 'Restaurant dicht <script>alert("x")</script> & \'lockdown\'',
      pausedSince: '16-11-2026',
      version,
    });
    expect(paused.status).toBe(303);
    expect(paused.headers.location).toBe(`/participants/${participantId}?done=placementPaused`);
    const row = await placementRow(placementId);
    expect(row).toMatchObject({ status: 'paused', paused_since: '2026-11-16', version: 2 });
    expect(row.pause_reason).toBe('Restaurant dicht <script>alert("x")</script> & \'lockdown\'');
    expect(await hoursRows(placementId)).toEqual([
      { from: '2026-09-01', hours: 40, note: null },
      { from: '2026-11-16', hours: 0, note: null },
    ]);

    expect((await agent.get(paused.headers.location!)).text).toContain('De plaatsing is gepauzeerd');
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain(
      'Gepauzeerd sinds 16-11-2026: Restaurant dicht &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;lockdown&#39;',
    );
    expect(profile.text).not.toContain('<script>alert');
    expect(profile.text).toContain('0 uur per week');
    expect(profile.text).toContain('vanaf 16-11-2026: 0 uur per week');
    expect(profile.text).toContain('vanaf 01-09-2026: 40 uur per week');
    expect(profile.text).toContain(`href="${base(participantId, placementId)}/resume"`);
    expect(profile.text).not.toContain(`href="${base(participantId, placementId)}/pause"`);
    expect(profile.text).not.toContain(`href="${base(participantId, placementId)}/hours"`);

    // Changing hours of a paused placement is not offered.
    expect((await agent.get(`${base(participantId, placementId)}/hours`)).status).toBe(404);
  });

  test('resuming sets the status back and records the new hours from the resume date', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${base(participantId, placementId)}/resume`);
    expect(form.status).toBe(200);
    // The hours before the pause are offered again.
    expect(form.text).toContain('value="40"');
    const version = versionFrom(form.text);
    const tooEarly = await postForm(agent, `${base(participantId, placementId)}/resume`, {
      resumedOn: '10-11-2026',
      hoursPerWeek: '8',
      version,
    });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.text).toContain('Hervatten kan niet vóór de datum waarop de pauze begon.');
    const resumed = await postForm(agent, `${base(participantId, placementId)}/resume`, {
      resumedOn: '23-11-2026',
      hoursPerWeek: '8',
      version,
    });
    expect(resumed.status).toBe(303);
    expect(await placementRow(placementId)).toMatchObject({
      status: 'active',
      pause_reason: null,
      paused_since: null,
      version: 3,
    });
    expect(await hoursRows(placementId)).toEqual([
      { from: '2026-09-01', hours: 40, note: null },
      { from: '2026-11-16', hours: 0, note: null },
      { from: '2026-11-23', hours: 8, note: null },
    ]);
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('<strong>8 uur per week</strong>');
    expect(profile.text).not.toContain('Gepauzeerd sinds');
  });

  test('a change of hours adds a history row; a second change on the same date replaces its figures', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${base(participantId, placementId)}/hours`);
    expect(form.status).toBe(200);
    const invalid = await postForm(agent, `${base(participantId, placementId)}/hours`, {
      effectiveFrom: '30-11-2026',
      hoursPerWeek: '12,55',
      note: 'Meer uren',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('value="12,55"');
    expect(invalid.text).toContain('Meer uren');
    const beforeStart = await postForm(agent, `${base(participantId, placementId)}/hours`, {
      effectiveFrom: '01-01-2026',
      hoursPerWeek: '10',
    });
    expect(beforeStart.status).toBe(422);
    expect(beforeStart.text).toContain('De uren kunnen niet ingaan vóór de startdatum van de plaatsing.');

    const added = await postForm(agent, `${base(participantId, placementId)}/hours`, {
      effectiveFrom: '2026-11-20',
      hoursPerWeek: '12,5',
      note: 'Weer <b>opgebouwd</b>',
    });
    expect(added.status).toBe(303);
    // 20-11 lies before the resume on 23-11, so today the 8 hours of the resume still apply.
    const replaced = await postForm(agent, `${base(participantId, placementId)}/hours`, {
      effectiveFrom: '23-11-2026',
      hoursPerWeek: '16',
      note: 'In overleg met de werkgever',
    });
    expect(replaced.status).toBe(303);
    expect(await hoursRows(placementId)).toEqual([
      { from: '2026-09-01', hours: 40, note: null },
      { from: '2026-11-16', hours: 0, note: null },
      { from: '2026-11-20', hours: 12.5, note: 'Weer <b>opgebouwd</b>' },
      { from: '2026-11-23', hours: 16, note: 'In overleg met de werkgever' },
    ]);
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('<strong>16 uur per week</strong>');
    expect(readable(profile.text)).toContain('vanaf 20-11-2026: 12,5 uur per week — Weer &lt;b&gt;opgebouwd&lt;/b&gt;');
  });

  test('editing changes kind, job title, supervisor and start date (the first hours row follows)', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${base(participantId, placementId)}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Kok"');
    expect(form.text).toContain('value="2026-09-01"');
    // Only the placement's own employer's contacts are offered.
    expect(form.text).not.toContain('Kim Winkel');
    const version = versionFrom(form.text);
    const otherSupervisor = await postForm(agent, `${base(participantId, placementId)}/edit`, {
      kind: 'work_experience',
      jobTitle: 'Leerling-kok',
      supervisorContactId: String(shop.supervisorId),
      startDate: '25-08-2026',
      version,
    });
    expect(otherSupervisor.status).toBe(422);
    expect(otherSupervisor.text).toContain('Deze begeleider hoort niet bij de gekozen werkgever.');
    const afterChanges = await postForm(agent, `${base(participantId, placementId)}/edit`, {
      kind: 'work_experience',
      jobTitle: 'Leerling-kok',
      supervisorContactId: '',
      startDate: '17-11-2026',
      version,
    });
    expect(afterChanges.status).toBe(422);
    expect(afterChanges.text).toContain('De startdatum moet vóór de latere urenwijzigingen');
    const saved = await postForm(agent, `${base(participantId, placementId)}/edit`, {
      kind: 'work_experience',
      jobTitle: 'Leerling-kok',
      supervisorContactId: '',
      startDate: '25-08-2026',
      version,
      employer_id: String(shop.id),
      status: 'ended',
    });
    expect(saved.status).toBe(303);
    expect(await placementRow(placementId)).toMatchObject({
      kind: 'work_experience',
      job_title: 'Leerling-kok',
      supervisor_contact_id: null,
      start_date: '2026-08-25',
      employer_id: kitchen.id,
      status: 'active',
      version: 4,
    });
    expect((await hoursRows(placementId))[0]).toEqual({ from: '2026-08-25', hours: 40, note: null });
  });

  test('a stale version answers 409 and changes nothing', async () => {
    const agent = await signedInAgent(t.app, coach);
    const before = await placementRow(placementId);
    const staleEdit = await postForm(agent, `${base(participantId, placementId)}/edit`, {
      kind: 'paid_job',
      jobTitle: 'Chef-kok',
      supervisorContactId: '',
      startDate: '25-08-2026',
      version: '1',
    });
    expect(staleEdit.status).toBe(409);
    expect(staleEdit.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(staleEdit.text).toContain('Leerling-kok');
    expect(staleEdit.text).toContain('Chef-kok');
    expect(staleEdit.text).toContain(`name="version" value="${before.version}"`);
    const stalePause = await postForm(
      agent,
      `${base(participantId, placementId)}/pause`,
      { pauseReason: 'Verbouwing', pausedSince: '23-11-2026', version: '2' },
      `${base(participantId, placementId)}/edit`,
    );
    expect(stalePause.status).toBe(409);
    expect(stalePause.text).toContain('Iemand anders heeft deze plaatsing intussen gewijzigd.');
    expect(stalePause.text).toContain('>Verbouwing</textarea>');
    const staleEnd = await postForm(
      agent,
      `${base(participantId, placementId)}/end`,
      { endDate: '23-11-2026', version: '3' },
      `${base(participantId, placementId)}/edit`,
    );
    expect(staleEnd.status).toBe(409);
    expect(await placementRow(placementId)).toEqual(before);
    expect(await hoursRows(placementId)).toHaveLength(4);
  });

  test('ending asks for confirmation and a valid end date, then closes the placement', async () => {
    const agent = await signedInAgent(t.app, coach);
    const confirm = await agent.get(`${base(participantId, placementId)}/end`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Ja, plaatsing beëindigen');
    expect(confirm.text).toContain('Dit kan niet ongedaan worden gemaakt.');
    expect((await placementRow(placementId)).status).toBe('active');
    const version = versionFrom(confirm.text);
    const beforeStart = await postForm(agent, `${base(participantId, placementId)}/end`, { endDate: '01-08-2026', version });
    expect(beforeStart.status).toBe(422);
    expect(beforeStart.text).toContain('De einddatum kan niet vóór de startdatum van de plaatsing liggen.');
    const invalid = await postForm(agent, `${base(participantId, placementId)}/end`, { endDate: 'morgen', version });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('value="morgen"');
    expect((await placementRow(placementId)).status).toBe('active');
    const ended = await postForm(agent, `${base(participantId, placementId)}/end`, { endDate: '23-11-2026', version });
    expect(ended.status).toBe(303);
    expect(await placementRow(placementId)).toMatchObject({ status: 'ended', end_date: '2026-11-23' });
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('Beëindigd');
    expect(profile.text).not.toContain(`href="${base(participantId, placementId)}/`);
    // Nothing more to do with an ended placement.
    for (const action of ['edit', 'pause', 'resume', 'hours', 'end']) {
      expect((await agent.get(`${base(participantId, placementId)}/${action}`)).status).toBe(404);
    }
    const hours = await postForm(
      agent,
      `${base(participantId, placementId)}/hours`,
      { effectiveFrom: '23-11-2026', hoursPerWeek: '4' },
      '/participants',
    );
    expect(hours.status).toBe(422);
    expect(await hoursRows(placementId)).toHaveLength(4);
  });

  test('every change was audited with the participant and the figures', async () => {
    const audit = await auditOf(placementId);
    expect(audit.map((event) => event.action)).toEqual(['pause', 'resume', 'change_hours', 'change_hours', 'update', 'end']);
    for (const event of audit) {
      expect(event.participant_id).toBe(participantId);
      expect(event.actor_user_id).toBe(coach.id);
    }
    expect(audit[0]!.details).toMatchObject({ pausedSince: '2026-11-16', hoursBefore: 40, hoursPerWeek: 0 });
    expect(audit[1]!.details).toMatchObject({ pausedSince: '2026-11-16', resumedOn: '2026-11-23', hoursPerWeek: 8 });
    expect(audit[2]!.details).toMatchObject({ effectiveFrom: '2026-11-20', hoursPerWeek: 12.5, replacedHoursPerWeek: null });
    expect(audit[3]!.details).toMatchObject({ effectiveFrom: '2026-11-23', hoursPerWeek: 16, replacedHoursPerWeek: 8 });
    expect(audit[4]!.details).toMatchObject({
      changes: {
        kind: { from: 'paid_job', to: 'work_experience' },
        startDate: { from: '2026-09-01', to: '2026-08-25' },
        supervisorContactId: { from: kitchen.supervisorId, to: null },
      },
    });
    expect(audit[5]!.details).toMatchObject({ endDate: '2026-11-23', statusBefore: 'active', hoursBefore: 16 });
  });
});

describe('who may change placements', () => {
  let participantId: number;
  let placementId: number;

  beforeAll(async () => {
    participantId = await addParticipant('Access', coach.id);
    placementId = await addPlacement(participantId, 'Fietsenmaker', 24, shop);
  });

  test('another coach and a manager of another team get 404 everywhere and change nothing', async () => {
    const before = await placementRow(placementId);
    for (const user of [otherCoach, otherManager]) {
      const agent = await signedInAgent(t.app, user);
      expect((await agent.get(`/participants/${participantId}/placements/new`)).status).toBe(404);
      for (const action of ['edit', 'pause', 'hours', 'end']) {
        expect((await agent.get(`${base(participantId, placementId)}/${action}`)).status).toBe(404);
      }
      const csrf = await csrfToken(agent, '/account');
      const send = (path: string, body: Record<string, string>) =>
        agent
          .post(path)
          .type('form')
          .send({ _csrf: csrf, ...body });
      expect(
        (
          await send(`/participants/${participantId}/placements/new`, {
            submissionToken: '4f0a3c1e-2b7d-4e8f-9a6b-1c2d3e4f5a6b',
            employerId: String(shop.id),
            kind: 'paid_job',
            jobTitle: 'Indringer',
            startDate: '01-11-2026',
            hoursPerWeek: '10',
          })
        ).status,
      ).toBe(404);
      const version = String(before.version);
      expect(
        (
          await send(`${base(participantId, placementId)}/edit`, {
            kind: 'paid_job',
            jobTitle: 'Hacked',
            startDate: '01-09-2026',
            version,
          })
        ).status,
      ).toBe(404);
      expect(
        (await send(`${base(participantId, placementId)}/pause`, { pauseReason: 'Hacked', pausedSince: '23-11-2026', version }))
          .status,
      ).toBe(404);
      expect((await send(`${base(participantId, placementId)}/end`, { endDate: '23-11-2026', version })).status).toBe(404);
      expect(
        (await send(`${base(participantId, placementId)}/hours`, { effectiveFrom: '23-11-2026', hoursPerWeek: '1' })).status,
      ).toBe(404);
    }
    expect(await placementRow(placementId)).toEqual(before);
    expect(await hoursRows(placementId)).toEqual([{ from: '2026-09-01', hours: 24, note: null }]);
    expect(await t.database.db.selectFrom('placements').select('id').where('job_title', '=', 'Indringer').execute()).toHaveLength(
      0,
    );
    expect(await auditOf(placementId)).toEqual([]);
  });

  test('the team manager and an admin may change the placement', async () => {
    const managerAgent = await signedInAgent(t.app, manager);
    const form = await managerAgent.get(`${base(participantId, placementId)}/edit`);
    expect(form.status).toBe(200);
    const edited = await postForm(managerAgent, `${base(participantId, placementId)}/edit`, {
      kind: 'paid_job',
      jobTitle: 'Fietsenmaker (leerling)',
      supervisorContactId: String(shop.supervisorId),
      startDate: '01-09-2026',
      version: versionFrom(form.text),
    });
    expect(edited.status).toBe(303);
    const adminAgent = await signedInAgent(t.app, admin);
    const hours = await postForm(adminAgent, `${base(participantId, placementId)}/hours`, {
      effectiveFrom: '23-11-2026',
      hoursPerWeek: '32',
    });
    expect(hours.status).toBe(303);
    expect((await placementRow(placementId)).job_title).toBe('Fietsenmaker (leerling)');
    expect(await hoursRows(placementId)).toEqual([
      { from: '2026-09-01', hours: 24, note: null },
      { from: '2026-11-23', hours: 32, note: null },
    ]);
    expect((await auditOf(placementId)).map((event) => [event.action, event.actor_user_id])).toEqual([
      ['update', manager.id],
      ['change_hours', admin.id],
    ]);
  });

  test("a placement addressed under another participant's URL is 404", async () => {
    const otherParticipant = await addParticipant('Other', coach.id);
    const agent = await signedInAgent(t.app, coach);
    const before = await placementRow(placementId);
    for (const action of ['edit', 'pause', 'hours', 'end']) {
      expect((await agent.get(`${base(otherParticipant, placementId)}/${action}`)).status).toBe(404);
    }
    const paused = await postForm(
      agent,
      `${base(otherParticipant, placementId)}/pause`,
      { pauseReason: 'Verkeerd', pausedSince: '23-11-2026', version: String(before.version) },
      '/account',
    );
    expect(paused.status).toBe(404);
    const hours = await postForm(
      agent,
      `${base(otherParticipant, placementId)}/hours`,
      { effectiveFrom: '23-11-2026', hoursPerWeek: '1' },
      '/account',
    );
    expect(hours.status).toBe(404);
    expect(await placementRow(placementId)).toEqual(before);
    expect((await agent.get(`/participants/${participantId}/placements/abc/edit`)).status).toBe(404);
  });

  test('placements of a closed participant cannot be changed', async () => {
    const closedId = await addParticipant('Closed', coach.id, 'closed');
    const closedPlacement = await addPlacement(closedId, 'Schoonmaker', 16);
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get(`/participants/${closedId}/placements/new`)).status).toBe(404);
    expect((await agent.get(`${base(closedId, closedPlacement)}/pause`)).status).toBe(404);
    const paused = await postForm(
      agent,
      `${base(closedId, closedPlacement)}/pause`,
      { pauseReason: 'x', pausedSince: '23-11-2026', version: '1' },
      '/account',
    );
    expect(paused.status).toBe(404);
    expect((await placementRow(closedPlacement)).status).toBe('active');
    const profile = await agent.get(`/participants/${closedId}`);
    expect(profile.text).toContain('Schoonmaker');
    expect(profile.text).not.toContain('/placements/new');
    expect(profile.text).not.toContain(`href="${base(closedId, closedPlacement)}/`);
  });
});

describe('escaping', () => {
  test('a job title with markup and quotes is shown as text everywhere', async () => {
    const participantId = await addParticipant('Escape', coach.id);
    const placementId = await addPlacement(participantId, `<script>alert('x')</script> "Kok"`, 20);
    const agent = await signedInAgent(t.app, coach);
    const escaped = '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &#34;Kok&#34;';
    for (const path of [
      `/participants/${participantId}`,
      `${base(participantId, placementId)}/pause`,
      `${base(participantId, placementId)}/end`,
    ]) {
      const page = await agent.get(path);
      expect(page.text).toContain(escaped);
      expect(page.text).not.toContain("<script>alert('x')");
    }
    const edit = await agent.get(`${base(participantId, placementId)}/edit`);
    expect(edit.text).toContain(`value="${escaped}"`);
  });
});

describe('in English', () => {
  test('the create form and the hours page read in English', async () => {
    const english = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', locale: 'en' });
    const participantId = await addParticipant('English', english.id);
    const placementId = await addPlacement(participantId, 'Cook', 12.5);
    const agent = await signedInAgent(t.app, english);
    const form = await agent.get(`/participants/${participantId}/placements/new`);
    expect(form.text).toContain('New placement for Sam English');
    expect(form.text).toContain('No supervisor (not known yet)');
    const hours = await agent.get(`${base(participantId, placementId)}/hours`);
    expect(hours.text).toContain('value="12.5"');
    expect(hours.text).toContain('12.5 hours a week');
  });
});
