import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { formTokensFrom, insertCommissioner, insertParticipant, insertTrajectory, openForm } from '../helpers/fixtures';
import { parseDateInput } from '../../src/lib/form-fields';

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;
let otherTeamManager: UserFixture;
let admin: UserFixture;
let uwv: number;
let municipality: number;
let inactive: number;
let tricky: number;

const TRICKY_NAME = `<script>alert("c")</script> Kringloop & "Zorg" 'BV'`;
const TRICKY_REFERENCE = `<script>x</script> "R&D" 'ref'`;

function addParticipant(coachId: number, lastName: string, status: 'active' | 'closed' = 'active'): Promise<number> {
  return insertParticipant(t.database.db, {
    first_name: 'Sem',
    last_name: lastName,
    coach_id: coachId,
    status,
    closed_on: status === 'closed' ? '2026-10-01' : null,
  });
}

function addCommissioner(name: string, kind: 'uwv' | 'municipality' | 'other', active = true): Promise<number> {
  return insertCommissioner(t.database.db, { name, kind, active });
}

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Olga Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  otherTeamManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  uwv = await addCommissioner('UWV Utrecht', 'uwv');
  municipality = await addCommissioner('Gemeente Zeist', 'municipality');
  inactive = await addCommissioner('Gemeente Opgeheven', 'municipality', false);
  tricky = await addCommissioner(TRICKY_NAME, 'other');
});
afterAll(() => t.close());

function newForm(agent: request.Agent, participantId: number) {
  return openForm(agent, `/participants/${participantId}/trajectories/new`);
}

const validTrajectory = {
  kind: 'jobcoaching',
  reference: 'UWV-2026-17',
  startDate: '01-03-2026',
  plannedEndDate: '28-02-2027',
  grantedHours: '12,5',
};

async function trajectoriesOf(participantId: number) {
  return t.database.db.selectFrom('trajectories').selectAll().where('participant_id', '=', participantId).orderBy('id').execute();
}

async function auditOf(participantId: number) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['action', 'entity_id', 'actor_user_id', 'details'])
    .where('entity_type', '=', 'trajectory')
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

/** Creates an open trajectory through the form, as the given agent. */
async function createThroughForm(agent: request.Agent, participantId: number, fields: Record<string, string> = {}) {
  const form = await newForm(agent, participantId);
  const response = await agent
    .post(`/participants/${participantId}/trajectories/new`)
    .type('form')
    .send({ ...form, commissionerId: String(uwv), ...validTrajectory, ...fields });
  expect(response.status).toBe(303);
  const rows = await trajectoriesOf(participantId);
  return rows[rows.length - 1]!;
}

describe('creating a trajectory', () => {
  test('a coach records a trajectory for their participant; Dutch hours are read, the change is audited', async () => {
    const participantId = await addParticipant(coach.id, 'Aalbers');
    const agent = await signedInAgent(t.app, coach);
    const profileBefore = await agent.get(`/participants/${participantId}`);
    expect(profileBefore.text).toContain(`href="/participants/${participantId}/trajectories/new"`);

    const page = await agent.get(`/participants/${participantId}/trajectories/new`);
    expect(page.text).toContain('Nieuw traject voor Sem Aalbers');
    expect(page.text).toContain('UWV Utrecht');
    expect(page.text).toContain('Gemeente Zeist');
    expect(page.text).not.toContain('Gemeente Opgeheven');
    expect(page.text).toContain('value="2026-11-23"');

    const response = await agent
      .post(`/participants/${participantId}/trajectories/new`)
      .type('form')
      .send({
        ...formTokensFrom(page.text),
        commissionerId: String(uwv),
        ...validTrajectory,
      });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=trajectoryCreated`);
    const [row] = await trajectoriesOf(participantId);
    expect(row).toMatchObject({
      commissioner_id: uwv,
      kind: 'jobcoaching',
      reference: 'UWV-2026-17',
      start_date: '2026-03-01',
      planned_end_date: '2027-02-28',
      actual_end_date: null,
      outcome: null,
      version: 1,
    });
    expect(Number(row!.granted_hours)).toBe(12.5);

    const profile = await agent.get(response.headers.location!);
    expect(profile.text).toContain('Het traject is opgeslagen.');
    expect(profile.text).toContain('UWV-2026-17');
    expect(profile.text).toContain('12,5');
    expect(profile.text).toContain(`/participants/${participantId}/trajectories/${row!.id}/edit`);
    expect(profile.text).toContain(`/participants/${participantId}/trajectories/${row!.id}/close`);
    expect(profile.text).not.toContain(`href="/participants/${participantId}/trajectories/new"`);

    expect(await auditOf(participantId)).toEqual([
      {
        action: 'create',
        entity_id: String(row!.id),
        actor_user_id: coach.id,
        details: { commissionerId: uwv, kind: 'jobcoaching', startDate: '2026-03-01' },
      },
    ]);
  });

  test('English hours (12.5) are read too, and a planned end is optional', async () => {
    const participantId = await addParticipant(coach.id, 'Engels');
    const agent = await signedInAgent(t.app, admin);
    const row = await createThroughForm(agent, participantId, {
      grantedHours: '12.5',
      plannedEndDate: '',
      startDate: '2026-04-01',
    });
    expect(Number(row.granted_hours)).toBe(12.5);
    expect(row.planned_end_date).toBeNull();
    expect(row.start_date).toBe('2026-04-01');
  });

  test('submitting the same form twice stores one trajectory and lands on the participant', async () => {
    const participantId = await addParticipant(coach.id, 'Dubbel');
    const agent = await signedInAgent(t.app, coach);
    const form = await newForm(agent, participantId);
    const body = { ...form, commissionerId: String(uwv), ...validTrajectory };
    const [first, second] = await Promise.all([
      agent.post(`/participants/${participantId}/trajectories/new`).type('form').send(body),
      agent.post(`/participants/${participantId}/trajectories/new`).type('form').send(body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect([first.headers.location, second.headers.location].map((location) => location!.split('?')[0])).toEqual([
      `/participants/${participantId}`,
      `/participants/${participantId}`,
    ]);
    expect(await trajectoriesOf(participantId)).toHaveLength(1);
    expect((await auditOf(participantId)).map((event) => event.action)).toEqual(['create']);
  });

  test('a second open trajectory is refused with a message, keeping the typed values', async () => {
    const participantId = await addParticipant(coach.id, 'Tweede');
    const agent = await signedInAgent(t.app, coach);
    const open = await createThroughForm(agent, participantId);

    const page = await agent.get(`/participants/${participantId}/trajectories/new`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('heeft al een lopend traject (sinds 01-03-2026)');
    expect(page.text).toContain(`/participants/${participantId}/trajectories/${open.id}/close`);
    expect(page.text).not.toContain('name="submissionToken"');

    // A form opened before the first trajectory was saved.
    const response = await agent
      .post(`/participants/${participantId}/trajectories/new`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        submissionToken: randomUUID(),
        commissionerId: String(municipality),
        ...validTrajectory,
        reference: 'GEM-99',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Deze deelnemer heeft al een lopend traject. Sluit dat eerst af');
    expect(response.text).toContain('value="GEM-99"');
    expect(response.text).toMatch(new RegExp(`<option value="${municipality}" selected>`));
    expect(await trajectoriesOf(participantId)).toHaveLength(1);
  });

  test('two different forms saved at once store only one open trajectory', async () => {
    const participantId = await addParticipant(coach.id, 'Tegelijk');
    const agent = await signedInAgent(t.app, coach);
    const [formA, formB] = [await newForm(agent, participantId), await newForm(agent, participantId)];
    const responses = await Promise.all(
      [formA, formB].map((form) =>
        agent
          .post(`/participants/${participantId}/trajectories/new`)
          .type('form')
          .send({ ...form, commissionerId: String(uwv), ...validTrajectory }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([303, 422]);
    expect(await trajectoriesOf(participantId)).toHaveLength(1);
  });

  test.each([
    ['an impossible start date', { startDate: '31-02-2026' }, 'startDate', 'Vul een datum in als dd-mm-jjjj'],
    [
      'a planned end before the start',
      { plannedEndDate: '28-02-2026' },
      'plannedEndDate',
      'De geplande einddatum ligt vóór de startdatum.',
    ],
    ['a malformed planned end', { plannedEndDate: 'volgend jaar' }, 'plannedEndDate', 'Vul een datum in als dd-mm-jjjj'],
    ['too many hours', { grantedHours: '2000,01' }, 'grantedHours', 'Vul een getal in binnen het toegestane bereik.'],
    ['negative hours', { grantedHours: '-1' }, 'grantedHours', 'Vul een getal in binnen het toegestane bereik.'],
    ['hours that are no number', { grantedHours: 'twaalf' }, 'grantedHours', 'Vul een getal in binnen het toegestane bereik.'],
    ['no hours', { grantedHours: '' }, 'grantedHours', 'Vul dit veld in.'],
    ['no commissioner', { commissionerId: '' }, 'commissionerId', 'Kies een van de mogelijkheden.'],
    ['an unknown kind', { kind: 'holiday' }, 'kind', 'Kies een van de mogelijkheden.'],
    ['a reference that is too long', { reference: 'R'.repeat(51) }, 'reference', 'Dit is te lang.'],
  ])('%s answers 422 with the values kept and a message at the field', async (_case, fields, field, message) => {
    const participantId = await addParticipant(coach.id, 'Fout');
    const agent = await signedInAgent(t.app, coach);
    const form = await newForm(agent, participantId);
    const body: Record<string, string> = { ...form, commissionerId: String(uwv), ...validTrajectory, ...fields };
    const response = await agent.post(`/participants/${participantId}/trajectories/new`).type('form').send(body);
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain(`id="${field}-error"`);
    expect(response.text).toContain(message);
    for (const name of ['reference', 'startDate', 'plannedEndDate', 'grantedHours']) {
      // A readable date comes back in the date field's own form (ISO); an unreadable one as typed.
      const shown = name.endsWith('Date') ? (parseDateInput(body[name]!) ?? body[name]) : body[name];
      expect(response.text).toContain(`name="${name}" value="${shown}"`);
    }
    expect(response.text).toContain(form.submissionToken);
    expect(await trajectoriesOf(participantId)).toHaveLength(0);
  });

  test('every problem is reported at once, the date order too', async () => {
    const participantId = await addParticipant(coach.id, 'Alles');
    const agent = await signedInAgent(t.app, coach);
    const form = await newForm(agent, participantId);
    const response = await agent
      .post(`/participants/${participantId}/trajectories/new`)
      .type('form')
      .send({
        ...form,
        commissionerId: '',
        kind: 'holiday',
        startDate: '01-03-2026',
        plannedEndDate: '01-01-2026',
        grantedHours: '3000',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Er zijn 4 fouten in het formulier');
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(response.text)![0];
    const order = ['#commissionerId', '#kind', '#plannedEndDate', '#grantedHours'].map((anchor) => summary.indexOf(anchor));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(response.text).toContain('De geplande einddatum ligt vóór de startdatum.');
  });

  test('an inactive commissioner cannot be chosen, even in a crafted form; crafted columns are ignored', async () => {
    const participantId = await addParticipant(coach.id, 'Gemaakt');
    const agent = await signedInAgent(t.app, coach);
    const form = await newForm(agent, participantId);
    const refused = await agent
      .post(`/participants/${participantId}/trajectories/new`)
      .type('form')
      .send({ ...form, commissionerId: String(inactive), ...validTrajectory });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Deze opdrachtgever is niet (meer) actief.');
    expect(await trajectoriesOf(participantId)).toHaveLength(0);

    const otherParticipant = await addParticipant(otherCoach.id, 'Ander');
    const saved = await agent
      .post(`/participants/${participantId}/trajectories/new`)
      .type('form')
      .send({
        ...form,
        commissionerId: String(uwv),
        ...validTrajectory,
        participantId: String(otherParticipant),
        participant_id: String(otherParticipant),
        version: '9',
        outcome: 'regular_job',
        actualEndDate: '01-04-2026',
      });
    expect(saved.status).toBe(303);
    const [row] = await trajectoriesOf(participantId);
    expect(row).toMatchObject({ version: 1, outcome: null, actual_end_date: null });
    expect(await trajectoriesOf(otherParticipant)).toHaveLength(0);
  });
});

describe('editing a trajectory', () => {
  test('the edit form shows the stored values; saving bumps the version; a stale form gets the conflict page', async () => {
    const participantId = await addParticipant(coach.id, 'Wijziging');
    const agent = await signedInAgent(t.app, coach);
    const row = await createThroughForm(agent, participantId);
    const editPath = `/participants/${participantId}/trajectories/${row.id}/edit`;

    const edit = await agent.get(editPath);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('value="12,5"');
    expect(edit.text).toContain('value="2026-03-01"');
    expect(edit.text).toContain('value="2027-02-28"');
    expect(edit.text).toContain('name="version" value="1"');
    const csrf = csrfTokenFrom(edit.text);
    const values = { _csrf: csrf, commissionerId: String(uwv), ...validTrajectory, version: '1' };

    const saved = await agent
      .post(editPath)
      .type('form')
      .send({ ...values, reference: 'UWV-2026-18', grantedHours: '20' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/participants/${participantId}?done=trajectoryUpdated`);

    const stale = await agent
      .post(editPath)
      .type('form')
      .send({ ...values, reference: 'UWV-OUD', commissionerId: String(municipality) });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('UWV-2026-18');
    expect(stale.text).toContain('UWV-OUD');
    expect(stale.text).toContain('Gemeente Zeist');
    expect(stale.text).toContain('name="version" value="2"');
    const [stored] = await trajectoriesOf(participantId);
    expect(stored).toMatchObject({ reference: 'UWV-2026-18', commissioner_id: uwv, version: 2 });
    expect(Number(stored!.granted_hours)).toBe(20);

    // "Save my input anyway" re-submits against the current version.
    const resubmit = await agent
      .post(editPath)
      .type('form')
      .send({ ...values, reference: 'UWV-OUD', commissionerId: String(municipality), version: '2' });
    expect(resubmit.status).toBe(303);
    const audit = await auditOf(participantId);
    expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'update']);
    // The changed fields, and the values of ids, codes and hours for the log's sentence; the
    // reference is typed text, so only that it changed.
    expect(audit[1]!.details).toEqual({
      changed: ['reference', 'grantedHours'],
      changes: { grantedHours: { from: 12.5, to: 20 } },
    });
    expect(audit[2]!.details).toEqual({
      changed: ['commissionerId', 'reference', 'grantedHours'],
      changes: { commissionerId: { from: uwv, to: municipality }, grantedHours: { from: 20, to: 12.5 } },
    });
  });

  test('edit validation answers 422 and keeps the values', async () => {
    const participantId = await addParticipant(coach.id, 'Wijzigfout');
    const agent = await signedInAgent(t.app, coach);
    const row = await createThroughForm(agent, participantId);
    const editPath = `/participants/${participantId}/trajectories/${row.id}/edit`;
    const csrf = await csrfToken(agent, editPath);
    const response = await agent
      .post(editPath)
      .type('form')
      .send({
        _csrf: csrf,
        commissionerId: String(uwv),
        ...validTrajectory,
        plannedEndDate: '01-01-2026',
        grantedHours: '3000',
        version: '1',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('De geplande einddatum ligt vóór de startdatum.');
    expect(response.text).toContain('value="3000"');
    expect(response.text).toContain('value="2026-01-01"');
    expect((await trajectoriesOf(participantId))[0]!.version).toBe(1);
  });

  test('a commissioner deactivated later stays on the trajectory and can be kept when editing', async () => {
    const participantId = await addParticipant(coach.id, 'Behoud');
    const agent = await signedInAgent(t.app, coach);
    const fading = await addCommissioner('Gemeente Vervalt', 'municipality');
    const row = await createThroughForm(agent, participantId, { commissionerId: String(fading) });
    await t.database.db.updateTable('commissioners').set({ active: false }).where('id', '=', fading).execute();
    const editPath = `/participants/${participantId}/trajectories/${row.id}/edit`;
    const edit = await agent.get(editPath);
    expect(edit.text).toContain('Gemeente Vervalt (inactief)');
    const saved = await agent
      .post(editPath)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(edit.text),
        commissionerId: String(fading),
        ...validTrajectory,
        reference: 'BLIJFT',
        version: '1',
      });
    expect(saved.status).toBe(303);
    expect((await trajectoriesOf(participantId))[0]).toMatchObject({ commissioner_id: fading, reference: 'BLIJFT' });
    // Switching to another inactive commissioner is refused.
    const refused = await agent
      .post(editPath)
      .type('form')
      .send({ _csrf: csrfTokenFrom(edit.text), commissionerId: String(inactive), ...validTrajectory, version: '2' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Deze opdrachtgever is niet (meer) actief.');
  });
});

describe('closing a trajectory', () => {
  test('closing needs an outcome and a valid end date not before the start; then it is closed and audited', async () => {
    const participantId = await addParticipant(coach.id, 'Afsluiting');
    const agent = await signedInAgent(t.app, coach);
    const row = await createThroughForm(agent, participantId);
    const closePath = `/participants/${participantId}/trajectories/${row.id}/close`;

    const confirm = await agent.get(closePath);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Traject van Sem Afsluiting afsluiten');
    expect(confirm.text).toContain('UWV Utrecht · Jobcoaching · gestart op 01-03-2026');
    expect(confirm.text).toContain('value="2026-11-23"');
    const csrf = csrfTokenFrom(confirm.text);

    const noOutcome = await agent
      .post(closePath)
      .type('form')
      .send({ _csrf: csrf, endDate: '20-11-2026', outcome: '', version: '1' });
    expect(noOutcome.status).toBe(422);
    expect(noOutcome.text).toContain('Kies de uitkomst van het traject.');
    expect(noOutcome.text).toContain('value="2026-11-20"');

    const badDate = await agent
      .post(closePath)
      .type('form')
      .send({ _csrf: csrf, endDate: '32-11-2026', outcome: 'education', version: '1' });
    expect(badDate.status).toBe(422);
    expect(badDate.text).toContain('Vul een datum in als dd-mm-jjjj');
    expect(badDate.text).toMatch(/<option value="education" selected>/);

    const beforeStart = await agent
      .post(closePath)
      .type('form')
      .send({ _csrf: csrf, endDate: '28-02-2026', outcome: 'education', version: '1' });
    expect(beforeStart.status).toBe(422);
    expect(beforeStart.text).toContain('De einddatum ligt vóór de startdatum van het traject.');
    expect((await trajectoriesOf(participantId))[0]).toMatchObject({ actual_end_date: null, outcome: null, version: 1 });

    const closed = await agent
      .post(closePath)
      .type('form')
      .send({ _csrf: csrf, endDate: '20-11-2026', outcome: 'subsidised_job', version: '1' });
    expect(closed.status).toBe(303);
    expect(closed.headers.location).toBe(`/participants/${participantId}?done=trajectoryClosed`);
    expect((await trajectoriesOf(participantId))[0]).toMatchObject({
      actual_end_date: '2026-11-20',
      outcome: 'subsidised_job',
      version: 2,
    });

    const profile = await agent.get(closed.headers.location!);
    expect(profile.text).toContain('Het traject is afgesloten.');
    expect(profile.text).toContain('Gesubsidieerd werk');
    expect(profile.text).toContain('20-11-2026');
    expect(profile.text).not.toContain(closePath);
    expect(profile.text).toContain(`href="/participants/${participantId}/trajectories/new"`);

    const audit = await auditOf(participantId);
    expect(audit.map((event) => event.action)).toEqual(['create', 'close']);
    expect(audit[1]!.details).toEqual({ endDate: '2026-11-20', outcome: 'subsidised_job' });

    // A closed trajectory can no longer be changed: the pages say so and a late submit changes nothing.
    expect((await agent.get(closePath)).text).toContain('Dit traject is al afgesloten');
    const late = await agent
      .post(closePath)
      .type('form')
      .send({ _csrf: csrf, endDate: '21-11-2026', outcome: 'dropout', version: '2' });
    expect(late.status).toBe(409);
    const lateEdit = await agent
      .post(`/participants/${participantId}/trajectories/${row.id}/edit`)
      .type('form')
      .send({ _csrf: csrf, commissionerId: String(uwv), ...validTrajectory, reference: 'NA', version: '2' });
    expect(lateEdit.status).toBe(409);
    expect((await trajectoriesOf(participantId))[0]).toMatchObject({
      actual_end_date: '2026-11-20',
      outcome: 'subsidised_job',
      reference: 'UWV-2026-17',
      version: 2,
    });
    expect(await auditOf(participantId)).toHaveLength(2);
  });

  test('closing from a stale page asks again and changes nothing', async () => {
    const participantId = await addParticipant(coach.id, 'Verouderd');
    const agent = await signedInAgent(t.app, coach);
    const row = await createThroughForm(agent, participantId);
    await t.database.db.updateTable('trajectories').set({ reference: 'ELDERS', version: 2 }).where('id', '=', row.id).execute();
    const closePath = `/participants/${participantId}/trajectories/${row.id}/close`;
    const csrf = await csrfToken(agent, closePath);
    const response = await agent
      .post(closePath)
      .type('form')
      .send({ _csrf: csrf, endDate: '20-11-2026', outcome: 'dropout', version: '1' });
    expect(response.status).toBe(409);
    expect(response.text).toContain('Iemand anders heeft dit traject intussen gewijzigd.');
    expect(response.text).toContain('name="version" value="2"');
    expect(response.text).toContain('ELDERS');
    expect((await trajectoriesOf(participantId))[0]).toMatchObject({ actual_end_date: null, version: 2 });
  });
});

describe('who may change trajectories', () => {
  let participantId: number;
  let trajectoryId: number;

  beforeAll(async () => {
    participantId = await addParticipant(coach.id, 'Toegang');
    const agent = await signedInAgent(t.app, coach);
    trajectoryId = (await createThroughForm(agent, participantId)).id;
  });

  test.each([
    ['the team manager', () => manager],
    ['an admin', () => admin],
  ])('%s may open every trajectory page of the participant', async (_who, user) => {
    const agent = await signedInAgent(t.app, user());
    for (const path of [
      `/participants/${participantId}/trajectories/${trajectoryId}/edit`,
      `/participants/${participantId}/trajectories/${trajectoryId}/close`,
      `/participants/${participantId}/trajectories/new`,
    ]) {
      expect((await agent.get(path)).status).toBe(200);
    }
  });

  test('the team manager may edit the trajectory', async () => {
    const agent = await signedInAgent(t.app, manager);
    const editPath = `/participants/${participantId}/trajectories/${trajectoryId}/edit`;
    const edit = await agent.get(editPath);
    const response = await agent
      .post(editPath)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(edit.text),
        commissionerId: String(uwv),
        ...validTrajectory,
        reference: 'DOOR-MANAGER',
        version: '1',
      });
    expect(response.status).toBe(303);
    expect((await trajectoriesOf(participantId))[0]!.reference).toBe('DOOR-MANAGER');
  });

  test.each([
    ['another coach of the team', () => otherCoach],
    ["another team's manager", () => otherTeamManager],
  ])('%s gets 404 everywhere and changes nothing', async (_who, user) => {
    const agent = await signedInAgent(t.app, user());
    const before = await trajectoriesOf(participantId);
    const base = `/participants/${participantId}/trajectories`;
    for (const path of [`${base}/new`, `${base}/${trajectoryId}/edit`, `${base}/${trajectoryId}/close`]) {
      expect((await agent.get(path)).status).toBe(404);
    }
    const csrf = await csrfToken(agent, '/participants');
    const responses = [
      await agent
        .post(`${base}/new`)
        .type('form')
        .send({ _csrf: csrf, submissionToken: randomUUID(), commissionerId: String(uwv), ...validTrajectory }),
      await agent
        .post(`${base}/${trajectoryId}/edit`)
        .type('form')
        .send({
          _csrf: csrf,
          commissionerId: String(uwv),
          ...validTrajectory,
          reference: 'HACKED',
          version: String(before[0]!.version),
        }),
      await agent
        .post(`${base}/${trajectoryId}/close`)
        .type('form')
        .send({ _csrf: csrf, endDate: '20-11-2026', outcome: 'dropout', version: String(before[0]!.version) }),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(await trajectoriesOf(participantId)).toEqual(before);
  });

  test("a trajectory of one participant under another participant's URL is 404", async () => {
    const otherParticipant = await addParticipant(coach.id, 'Buur');
    const agent = await signedInAgent(t.app, admin);
    const before = await trajectoriesOf(participantId);
    expect((await agent.get(`/participants/${otherParticipant}/trajectories/${trajectoryId}/edit`)).status).toBe(404);
    expect((await agent.get(`/participants/${otherParticipant}/trajectories/${trajectoryId}/close`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const edit = await agent
      .post(`/participants/${otherParticipant}/trajectories/${trajectoryId}/edit`)
      .type('form')
      .send({
        _csrf: csrf,
        commissionerId: String(uwv),
        ...validTrajectory,
        reference: 'VERKEERD',
        version: String(before[0]!.version),
      });
    const close = await agent
      .post(`/participants/${otherParticipant}/trajectories/${trajectoryId}/close`)
      .type('form')
      .send({ _csrf: csrf, endDate: '20-11-2026', outcome: 'dropout', version: String(before[0]!.version) });
    expect([edit.status, close.status]).toEqual([404, 404]);
    expect(await trajectoriesOf(participantId)).toEqual(before);
    expect((await agent.get(`/participants/${participantId}/trajectories/999999/edit`)).status).toBe(404);
    expect((await agent.get(`/participants/${participantId}/trajectories/abc/edit`)).status).toBe(404);
  });

  test('a closed participant gets no new or changed trajectories (404)', async () => {
    const closedId = await addParticipant(coach.id, 'Gesloten', 'closed');
    const closedTrajectory = await insertTrajectory(t.database.db, {
      participant_id: closedId,
      commissioner_id: uwv,
      kind: 'reintegration',
      start_date: '2026-01-01',
      actual_end_date: '2026-10-01',
      outcome: 'moved_away',
      granted_hours: '10',
    });
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get(`/participants/${closedId}/trajectories/new`)).status).toBe(404);
    expect((await agent.get(`/participants/${closedId}/trajectories/${closedTrajectory}/edit`)).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const response = await agent
      .post(`/participants/${closedId}/trajectories/new`)
      .type('form')
      .send({ _csrf: csrf, submissionToken: randomUUID(), commissionerId: String(uwv), ...validTrajectory });
    expect(response.status).toBe(404);
    expect(await trajectoriesOf(closedId)).toHaveLength(1);
    const profile = await agent.get(`/participants/${closedId}`);
    expect(profile.text).toContain('Verhuisd');
    // A closed record can still be reported on (commissioners pay on past periods), never changed.
    expect(profile.text).not.toContain(`/participants/${closedId}/trajectories/new`);
    expect(profile.text).not.toContain(`/trajectories/${closedTrajectory}/edit`);
    expect(profile.text).not.toContain(`/trajectories/${closedTrajectory}/close`);
    expect(profile.text).toContain(`/participants/${closedId}/trajectories/${closedTrajectory}/report`);
  });
});

describe('what people typed is shown as text', () => {
  test('commissioner names and references with markup, quotes and ampersands are escaped everywhere', async () => {
    const participantId = await addParticipant(coach.id, 'Escape');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`/participants/${participantId}/trajectories/new`);
    expect(form.text).not.toContain('<script>alert');
    expect(form.text).toContain('&lt;script&gt;alert(&#34;c&#34;)&lt;/script&gt; Kringloop &amp; &#34;Zorg&#34; &#39;BV&#39;');

    const invalid = await agent
      .post(`/participants/${participantId}/trajectories/new`)
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        commissionerId: String(tricky),
        ...validTrajectory,
        reference: TRICKY_REFERENCE,
        startDate: 'gisteren',
      });
    expect(invalid.status).toBe(422);
    expect(invalid.text).not.toContain('<script>x');
    expect(invalid.text).toContain('value="&lt;script&gt;x&lt;/script&gt; &#34;R&amp;D&#34; &#39;ref&#39;"');

    const row = await createThroughForm(agent, participantId, { commissionerId: String(tricky), reference: TRICKY_REFERENCE });
    expect(row.reference).toBe(TRICKY_REFERENCE);
    for (const path of [
      `/participants/${participantId}`,
      `/participants/${participantId}/trajectories/${row.id}/edit`,
      `/participants/${participantId}/trajectories/${row.id}/close`,
    ]) {
      const page = await agent.get(path);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<script>x');
      expect(page.text).toContain('&lt;script&gt;alert(&#34;c&#34;)&lt;/script&gt;');
    }
    const stale = await agent
      .post(`/participants/${participantId}/trajectories/${row.id}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        commissionerId: String(tricky),
        ...validTrajectory,
        reference: TRICKY_REFERENCE,
        version: '0',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).not.toContain('<script>');
    expect(stale.text).toContain('&lt;script&gt;x&lt;/script&gt; &#34;R&amp;D&#34; &#39;ref&#39;');
  });
});
