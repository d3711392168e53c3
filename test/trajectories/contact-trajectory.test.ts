import type TestAgent from 'supertest/lib/agent';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  handoverFormFields,
  insertCommissioner,
  insertParticipant,
  insertTrajectory,
  openForm,
  versionFrom,
} from '../helpers/fixtures';
import { parseCsv, rawBytes } from '../reports/files';

// Issue 17, items 1 and 2: one trajectory per contact, and each funder sees its own reference.
// The handover day of the issue: Lien's OCMW trajectory closes on 20 November 2026 (handover to
// VDAB) and her VDAB trajectory (0 hours granted) starts that same day; one 60-minute workplace
// visit that day counts once, in the OCMW trajectory. The clock stands on 23 November 2026.

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let agent: TestAgent;
let ocmw: number;
let vdab: number;
let uwv: number;

const HANDOVER = '2026-11-20';
const VISIT_IN_LOGBOOK = '<td data-label="Datum">20-11-2026</td><td data-label="Tijd">10:00</td>';

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Gent' });
  ocmw = await insertCommissioner(t.database.db, { name: 'OCMW Gent', kind: 'ocmw' });
  vdab = await insertCommissioner(t.database.db, { name: 'VDAB Oost-Vlaanderen', kind: 'vdab' });
  uwv = await insertCommissioner(t.database.db, { name: 'UWV Utrecht', kind: 'uwv' });
  agent = await signedInAgent(t.app, coach);
});
afterAll(() => t.close());

async function createTrajectory(participantId: number, fields: Record<string, string>): Promise<number> {
  const form = await openForm(agent, `/participants/${participantId}/trajectories/new`);
  const response = await agent
    .post(`/participants/${participantId}/trajectories/new`)
    .type('form')
    .send({ ...form, kind: 'work_experience', plannedEndDate: '', ...fields });
  expect(response.status).toBe(303);
  const row = await t.database.db
    .selectFrom('trajectories')
    .select('id')
    .where('participant_id', '=', participantId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function closeTrajectory(participantId: number, trajectoryId: number, endDate: string) {
  const path = `/participants/${participantId}/trajectories/${trajectoryId}/close`;
  const page = await agent.get(path);
  const response = await agent
    .post(path)
    .type('form')
    .send({
      _csrf: csrfTokenFrom(page.text),
      version: versionFrom(page.text),
      endDate,
      outcome: 'handover',
      ...(await handoverFormFields(t.database.db)),
    });
  expect(response.status).toBe(303);
}

async function logContact(participantId: number, fields: Record<string, string>) {
  const form = await openForm(agent, `/participants/${participantId}/contacts/new`);
  return agent
    .post(`/participants/${participantId}/contacts/new`)
    .type('form')
    .send({ ...form, channel: 'workplace_visit', outcome: 'reached', summary: 'Werkplekbezoek', ...fields });
}

async function contactRow(id: number) {
  return t.database.db
    .selectFrom('contact_moments')
    .select(['trajectory_id', 'trajectory_chosen', 'occurred_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function latestContactOf(participantId: number): Promise<number> {
  const row = await t.database.db
    .selectFrom('contact_moments')
    .select('id')
    .where('participant_id', '=', participantId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function editContact(participantId: number, contactId: number, fields: Record<string, string>) {
  const path = `/participants/${participantId}/contacts/${contactId}/edit`;
  const page = await agent.get(path);
  expect(page.status).toBe(200);
  return agent
    .post(path)
    .type('form')
    .send({
      _csrf: csrfTokenFrom(page.text),
      version: versionFrom(page.text),
      channel: 'workplace_visit',
      outcome: 'reached',
      summary: 'Werkplekbezoek',
      durationMinutes: '60',
      ...fields,
    });
}

async function exportCsv(commissionerId: number): Promise<{ text: string; rows: string[][] }> {
  const managerAgent = await signedInAgent(t.app, manager);
  const query = new URLSearchParams({
    commissionerId: String(commissionerId),
    periodKind: 'quarter',
    quarter: '2026-Q4',
    format: 'csv',
    separator: 'semicolon',
  });
  const response = await managerAgent.get(`/reports/export?${query.toString()}`).buffer(true).parse(rawBytes);
  expect(response.status).toBe(200);
  const text = (response.body as Buffer).subarray(3).toString('utf8');
  return { text, rows: parseCsv(text, ';') };
}

/** One trajectory's row of the profile's trajectory table, from its commissioner cell to the row's end. */
function trajectoryBlock(profile: string, commissionerName: string): string {
  const start = profile.indexOf(`>${commissionerName}</td>`);
  expect(start).toBeGreaterThan(-1);
  return profile.slice(start, profile.indexOf('</tr>', start));
}

describe('the handover day', () => {
  let lien: number;
  let ocmwTrajectory: number;
  let vdabTrajectory: number;
  let visit: number;

  beforeAll(async () => {
    lien = await insertParticipant(t.database.db, {
      first_name: 'Lien',
      last_name: 'Verstraete',
      coach_id: coach.id,
      status: 'intake',
      external_reference: 'OCMW-G-6014',
    });
    // A call in intake, before any trajectory: it belongs to none.
    const intake = await logContact(lien, {
      channel: 'phone',
      occurredDate: '2025-11-20',
      occurredTime: '10:00',
      durationMinutes: '15',
    });
    expect(intake.status).toBe(303);
    ocmwTrajectory = await createTrajectory(lien, {
      commissionerId: String(ocmw),
      reference: 'OCMW-WE-2025-31',
      startDate: '2025-12-01',
      grantedHours: '40',
    });
    const before = await logContact(lien, { occurredDate: '2026-11-10', occurredTime: '14:00', durationMinutes: '30' });
    expect(before.status).toBe(303);
    await closeTrajectory(lien, ocmwTrajectory, HANDOVER);
    vdabTrajectory = await createTrajectory(lien, {
      commissionerId: String(vdab),
      kind: 'jobcoaching',
      reference: 'VDAB-2026-4411',
      startDate: HANDOVER,
      grantedHours: '0',
    });
    const logged = await logContact(lien, { occurredDate: HANDOVER, occurredTime: '10:00', durationMinutes: '60' });
    expect(logged.status).toBe(303);
    visit = await latestContactOf(lien);
  });

  test('the form offers the choice where trajectories overlap; left empty, the visit counts in the trajectory that ran first', async () => {
    const form = await agent.get(`/participants/${lien}/contacts/new`);
    expect(form.text).toContain('name="trajectoryId"');
    expect(form.text).toContain('OCMW Gent · Werkervaringstraject · 01-12-2025 t/m 20-11-2026');
    expect(form.text).toContain('VDAB Oost-Vlaanderen · Jobcoaching · 20-11-2026 t/m nu');
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: ocmwTrajectory, trajectory_chosen: false });

    const intakeContacts = await t.database.db
      .selectFrom('contact_moments')
      .select('trajectory_id')
      .where('participant_id', '=', lien)
      .where('duration_minutes', '=', 15)
      .execute();
    expect(intakeContacts).toEqual([{ trajectory_id: null }]);

    const page = await agent.get(`/participants/${lien}/contacts/${visit}`);
    expect(page.text).toContain('OCMW Gent · 01-12-2025 t/m 20-11-2026');
  });

  test('it counts once: OCMW 1,5 hours used, the VDAB trajectory (0 h granted) is not "Overschreden"', async () => {
    const profile = (await agent.get(`/participants/${lien}`)).text;
    const vdabBlock = trajectoryBlock(profile, 'VDAB Oost-Vlaanderen');
    expect(vdabBlock).not.toContain('Overschreden');
    expect(trajectoryBlock(profile, 'OCMW Gent')).not.toContain('Overschreden');

    const hours = await t.database.db
      .selectFrom('contact_moments')
      .select(['trajectory_id', (eb) => eb.fn.sum<string>('duration_minutes').as('minutes')])
      .where('participant_id', '=', lien)
      .groupBy('trajectory_id')
      .execute();
    expect(new Map(hours.map((row) => [row.trajectory_id, Number(row.minutes)]))).toEqual(
      new Map([
        [null, 15],
        [ocmwTrajectory, 90],
      ]),
    );
  });

  test('only the OCMW export lists the hour, each with its own trajectory reference and never the participant’s', async () => {
    const ocmwExport = await exportCsv(ocmw);
    const ocmwRow = ocmwExport.rows.find((row) => row[0] === 'OCMW-WE-2025-31')!;
    expect(ocmwRow[1]).toBe('Lien Verstraete');
    // Hours in the period, up to its end, granted, billable; contacts in the period.
    expect(ocmwRow.slice(10, 15)).toEqual(['1,50', '1,50', '40,00', '1,50', '2']);
    expect(ocmwExport.text).not.toContain('VDAB-2026-4411');

    const vdabExport = await exportCsv(vdab);
    const vdabRow = vdabExport.rows.find((row) => row[0] === 'VDAB-2026-4411')!;
    expect(vdabRow.slice(10, 15)).toEqual(['0,00', '0,00', '0,00', '0,00', '0']);
    expect(vdabExport.text).not.toContain('OCMW-G-6014');
    expect(vdabExport.text).not.toContain('OCMW-WE-2025-31');
    expect(ocmwExport.text).not.toContain('OCMW-G-6014');
  });

  test('the trajectory reports: the visit in the OCMW logbook only; each prints its own reference', async () => {
    const vdabReport = (await agent.get(`/participants/${lien}/trajectories/${vdabTrajectory}/report`)).text;
    expect(vdabReport).toContain('VDAB-2026-4411');
    expect(vdabReport).not.toContain('OCMW-G-6014');
    expect(vdabReport).not.toContain('OCMW-WE-2025-31');
    expect(vdabReport).not.toContain(VISIT_IN_LOGBOOK);

    const ocmwReport = (await agent.get(`/participants/${lien}/trajectories/${ocmwTrajectory}/report`)).text;
    expect(ocmwReport).toContain('OCMW-WE-2025-31');
    expect(ocmwReport).not.toContain('OCMW-G-6014');
    expect(ocmwReport).toContain(VISIT_IN_LOGBOOK);
  });

  test('a chosen trajectory must cover the date and be the participant’s; a date moved away from the choice re-derives', async () => {
    // Chosen: the visit moves to VDAB, which now is over its 0 hours.
    const toVdab = await editContact(lien, visit, {
      occurredDate: HANDOVER,
      occurredTime: '10:00',
      trajectoryId: String(vdabTrajectory),
    });
    expect(toVdab.status).toBe(303);
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: vdabTrajectory, trajectory_chosen: true });
    expect(trajectoryBlock((await agent.get(`/participants/${lien}`)).text, 'VDAB Oost-Vlaanderen')).toContain('Overschreden');
    const edit = await agent.get(`/participants/${lien}/contacts/${visit}/edit`);
    expect(edit.text).toMatch(new RegExp(`<option value="${vdabTrajectory}" selected>`));

    // The OCMW trajectory does not run on 21 November: a clear message, the typed values kept.
    const refused = await editContact(lien, visit, {
      occurredDate: '2026-11-21',
      occurredTime: '11:15',
      trajectoryId: String(ocmwTrajectory),
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Dit traject loopt niet op de datum van het contact.');
    expect(refused.text).toContain('value="11:15"');
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: vdabTrajectory });

    // Another participant's trajectory is no choice at all.
    const other = await insertParticipant(t.database.db, {
      first_name: 'Ander',
      last_name: 'Iemand',
      coach_id: coach.id,
      status: 'active',
    });
    const othersTrajectory = await insertTrajectory(t.database.db, {
      participant_id: other,
      commissioner_id: uwv,
      kind: 'jobcoaching',
      start_date: '2026-01-01',
      granted_hours: 10,
    });
    const foreign = await editContact(lien, visit, {
      occurredDate: HANDOVER,
      occurredTime: '10:00',
      trajectoryId: String(othersTrajectory),
    });
    expect(foreign.status).toBe(422);
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: vdabTrajectory });

    // The date moves to 10 November with the VDAB choice left as it was: the contact goes to the
    // trajectory of its new day rather than being refused.
    const moved = await editContact(lien, visit, {
      occurredDate: '2026-11-10',
      occurredTime: '10:00',
      trajectoryId: String(vdabTrajectory),
    });
    expect(moved.status).toBe(303);
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: ocmwTrajectory, trajectory_chosen: false });

    // Back on the handover day with VDAB chosen, then VDAB's start moves to the 21st: the choice no
    // longer covers the day, and the contact returns to OCMW.
    await editContact(lien, visit, { occurredDate: HANDOVER, occurredTime: '10:00', trajectoryId: String(vdabTrajectory) });
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: vdabTrajectory, trajectory_chosen: true });
    const editPath = `/participants/${lien}/trajectories/${vdabTrajectory}/edit`;
    const trajectoryPage = await agent.get(editPath);
    const saved = await agent
      .post(editPath)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(trajectoryPage.text),
        version: versionFrom(trajectoryPage.text),
        commissionerId: String(vdab),
        kind: 'jobcoaching',
        reference: 'VDAB-2026-4411',
        startDate: '2026-11-21',
        plannedEndDate: '',
        grantedHours: '0',
      });
    expect(saved.status).toBe(303);
    expect(await contactRow(visit)).toMatchObject({ trajectory_id: ocmwTrajectory, trajectory_chosen: false });
  });
});

test('a quick log takes the default, and a participant-level reference never reaches a UWV report', async () => {
  const sem = await insertParticipant(t.database.db, {
    first_name: 'Sem',
    last_name: 'Gemeentelijk',
    coach_id: coach.id,
    status: 'active',
    external_reference: 'GU-2025-1000',
  });
  const uwvTrajectory = await insertTrajectory(t.database.db, {
    participant_id: sem,
    commissioner_id: uwv,
    kind: 'reintegration',
    reference: 'UWV-2026-0042',
    start_date: '2026-01-01',
    granted_hours: 20,
  });
  const form = await openForm(agent, `/participants/${sem}/contacts/new`);
  // No overlap: the form asks nothing.
  const page = await agent.get(`/participants/${sem}/contacts/new`);
  expect(page.text).not.toContain('name="trajectoryId"');
  const quick = await agent
    .post(`/participants/${sem}/contacts/new`)
    .type('form')
    .send({ ...form, quickLog: '1', outcome: 'not_reached', returnTo: '/today' });
  expect(quick.status).toBe(303);
  const row = await t.database.db
    .selectFrom('contact_moments')
    .select(['trajectory_id', 'trajectory_chosen'])
    .where('participant_id', '=', sem)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ trajectory_id: uwvTrajectory, trajectory_chosen: false });

  const report = (await agent.get(`/participants/${sem}/trajectories/${uwvTrajectory}/report`)).text;
  expect(report).toContain('UWV-2026-0042');
  expect(report).not.toContain('GU-2025-1000');
  const uwvExport = await exportCsv(uwv);
  expect(uwvExport.text).toContain('UWV-2026-0042');
  expect(uwvExport.text).not.toContain('GU-2025-1000');
});
