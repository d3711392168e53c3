import type TestAgent from 'supertest/lib/agent';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  auditEventsOf,
  insertCommissioner,
  insertContactMoment,
  insertEmployer,
  insertGoal,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
  linkGoalToContact,
} from '../helpers/fixtures';
import { download, flat, pdfPages, rowContaining } from './helpers';
import { withoutCellLabels } from '../helpers/html';
import { readable } from '../helpers/readable';

// One participant with a trajectory from 01-09-2026 (granted 2,5 hours) and contact moments around
// every edge the report must get right: before the trajectory, either side of midnight at the end
// of September in Amsterdam, an unreached attempt of 0 minutes, another participant's contact.
// The clock stands at Monday 23-11-2026 09:00 in Amsterdam.

let t: TestApp;
let coach: UserFixture;
let admin: UserFixture;
let agent: TestAgent;
let participantId: number;
let trajectoryId: number;
let closedParticipantId: number;
let closedTrajectoryId: number;

const SECRET_SUMMARY = 'GEHEIM-SAMENVATTING diagnose';
const SECRET_ADDENDUM = 'GEHEIM-AANVULLING medicatie';
const SECRET_PAUSE = 'GEHEIM-PAUZEREDEN';
const SECRET_HOURS_NOTE = 'GEHEIM-URENNOTITIE';

async function addGoalProgress(
  goalId: number,
  authorId: number,
  status: 'open' | 'in_progress' | 'achieved',
  note: string,
  at: string,
) {
  await t.database.db
    .insertInto('goal_progress')
    .values({ goal_id: goalId, author_id: authorId, status, note, created_at: at })
    .execute();
}

beforeAll(async () => {
  t = await startTestApp({ env: { ORGANISATION_NAME: 'Stichting Werkpad' } });
  const db = t.database.db;
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan de Coach' });
  admin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  const uwv = await insertCommissioner(db, { name: 'UWV Utrecht', kind: 'uwv' });
  participantId = await insertParticipant(db, {
    first_name: 'Şahin',
    last_name: 'Çelik',
    coach_id: coach.id,
    status: 'active',
    external_reference: 'EXT-77',
  });
  trajectoryId = await insertTrajectory(db, {
    participant_id: participantId,
    commissioner_id: uwv,
    kind: 'jobcoaching',
    reference: 'UWV-2026-0042',
    start_date: '2026-09-01',
    planned_end_date: '2027-08-31',
    granted_hours: '2.5',
  });
  const otherParticipant = await insertParticipant(db, { first_name: 'Ander', last_name: 'Mens', coach_id: coach.id });
  const employer = await insertEmployer(db, { name: 'Kringloop Noord', sector: 'retail' });

  // Every summary is free text for the coach only: none may reach the report.
  const contact = (values: Parameters<typeof insertContactMoment>[1]) =>
    insertContactMoment(db, { summary: 'GEHEIM-GESPREK', ...values });
  const base = { participant_id: participantId, author_id: coach.id };
  // Before the trajectory: never counted.
  await contact({
    ...base,
    occurred_at: '2026-08-31T10:00:00+02:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 60,
  });
  const first = await contact({
    ...base,
    occurred_at: '2026-09-02T10:00:00+02:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 45,
    summary: SECRET_SUMMARY,
  });
  await db
    .insertInto('contact_addenda')
    .values({ contact_moment_id: first, author_id: coach.id, body: SECRET_ADDENDUM })
    .execute();
  const visit = await contact({
    ...base,
    occurred_at: '2026-09-15T14:00:00+02:00',
    channel: 'workplace_visit',
    counterpart: 'employer',
    employer_id: employer,
    outcome: 'reached',
    duration_minutes: 50,
    wellbeing_mood: 4,
    wellbeing_rhythm: 3,
    wellbeing_social: 2,
    wellbeing_activity: 5,
  });
  // 23:30 on 30-09 in Amsterdam is still September; 00:15 on 01-10 is October.
  await contact({
    ...base,
    occurred_at: '2026-09-30T23:30:00+02:00',
    channel: 'message',
    outcome: 'reached',
    duration_minutes: 15,
  });
  await contact({
    ...base,
    occurred_at: '2026-10-01T00:15:00+02:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 20,
  });
  await contact({
    ...base,
    occurred_at: '2026-10-07T11:00:00+02:00',
    channel: 'phone',
    outcome: 'not_reached',
    duration_minutes: 0,
  });
  await contact({
    ...base,
    occurred_at: '2026-10-20T15:00:00+02:00',
    channel: 'video',
    outcome: 'reached',
    duration_minutes: 60,
  });
  await contact({
    participant_id: otherParticipant,
    author_id: coach.id,
    occurred_at: '2026-09-10T10:00:00+02:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 90,
  });

  const rhythm = await insertGoal(db, {
    participant_id: participantId,
    title: 'Ochtendritme',
    life_domain: 'daily_structure',
    target_date: '2026-12-31',
    created_by: coach.id,
    created_at: '2026-08-20T10:00:00Z',
    status: 'in_progress',
  });
  await addGoalProgress(rhythm, coach.id, 'in_progress', 'Lukt vier van de vijf dagen', '2026-10-10T10:00:00Z');
  await addGoalProgress(rhythm, coach.id, 'in_progress', 'Nu elke dag op tijd', '2026-11-20T10:00:00Z');
  const workplace = await insertGoal(db, {
    participant_id: participantId,
    title: 'Werkplek vinden',
    life_domain: 'work',
    created_by: coach.id,
    created_at: '2026-08-20T10:00:00Z',
    status: 'achieved',
    achieved_on: '2026-10-20',
  });
  await addGoalProgress(workplace, coach.id, 'achieved', 'Start bij Kringloop Noord', '2026-10-20T12:00:00Z');
  await insertGoal(db, {
    participant_id: participantId,
    title: 'Oud doel',
    life_domain: 'finances',
    created_by: coach.id,
    created_at: '2026-03-01T10:00:00Z',
    status: 'achieved',
    achieved_on: '2026-06-01',
  });
  await linkGoalToContact(db, rhythm, first);
  await linkGoalToContact(db, workplace, first);
  await linkGoalToContact(db, workplace, visit);

  const placement = await insertPlacement(
    db,
    {
      participant_id: participantId,
      employer_id: employer,
      kind: 'work_experience',
      job_title: 'Winkelmedewerker',
      start_date: '2026-10-01',
      status: 'paused',
      pause_reason: SECRET_PAUSE,
      paused_since: '2026-11-10',
    },
    { hoursPerWeek: 16, note: SECRET_HOURS_NOTE },
  );
  await db
    .insertInto('placement_hours')
    .values({ placement_id: placement, effective_from: '2026-10-15', hours_per_week: 24 })
    .execute();
  // Ended before the trajectory: not in any report period here.
  await insertPlacement(
    db,
    {
      participant_id: participantId,
      employer_id: employer,
      kind: 'volunteering',
      job_title: 'Oude plek',
      start_date: '2026-01-01',
      end_date: '2026-05-31',
      status: 'ended',
    },
    { hoursPerWeek: 8 },
  );

  closedParticipantId = await insertParticipant(db, {
    first_name: 'Lotte',
    last_name: 'Klaar',
    coach_id: coach.id,
    status: 'closed',
    closed_on: '2026-10-31',
  });
  closedTrajectoryId = await insertTrajectory(db, {
    participant_id: closedParticipantId,
    commissioner_id: uwv,
    kind: 'work_experience',
    reference: null,
    start_date: '2026-06-01',
    actual_end_date: '2026-10-31',
    outcome: 'regular_job',
    granted_hours: '10',
  });
  const closedBase = {
    participant_id: closedParticipantId,
    author_id: coach.id,
    channel: 'phone' as const,
    outcome: 'reached' as const,
  };
  await contact({ ...closedBase, occurred_at: '2026-10-31T23:00:00+01:00', duration_minutes: 30 });
  await contact({ ...closedBase, occurred_at: '2026-11-01T09:00:00+01:00', duration_minutes: 40 });

  agent = await signedInAgent(t.app, coach);
});
afterAll(() => t.close());

const reportUrl = (query = '') => `/participants/${participantId}/trajectories/${trajectoryId}/report${query}`;
const pdfUrl = (query = '') => `/participants/${participantId}/trajectories/${trajectoryId}/report.pdf${query}`;

describe('the HTML report', () => {
  test('covers the trajectory up to today by default, with every section the commissioner needs', async () => {
    const response = await agent.get(reportUrl());
    expect(response.status).toBe(200);
    const html = withoutCellLabels(response.text);
    expect(html).toContain('Trajectrapportage');
    expect(html).toContain('Stichting Werkpad');
    expect(html).toContain('Gemaakt op 23-11-2026 09:00');
    expect(readable(html)).toContain('Şahin Çelik');
    // The trajectory's reference only; the participant's own (profile) reference may be another funder's.
    expect(html).not.toContain('EXT-77');
    expect(html).toContain('UWV-2026-0042');
    expect(html).toContain('UWV Utrecht');
    expect(html).toContain('Daan de Coach');
    expect(html).toContain('Jobcoaching');
    expect(html).toContain('01-09-2026 t/m lopend (gepland tot 31-08-2027)');
    expect(html).toContain('01-09-2026 t/m 23-11-2026');
    // The period form shows the period, and links keep it.
    expect(html).toContain('value="2026-09-01"');
    expect(html).toContain('value="2026-11-23"');
    expect(html).toContain(`href="${pdfUrl('?from=2026-09-01&amp;to=2026-11-23')}"`);
    expect(html).toContain(`href="/participants/${participantId}"`);

    // Placements overlapping the period with their hours history; the old one is left out.
    expect(html).toContain('Winkelmedewerker');
    expect(html).toContain('16 uur per week vanaf 01-10-2026');
    expect(html).toContain('24 uur per week vanaf 15-10-2026');
    expect(html).not.toContain('Oude plek');

    // Goals: open ones and the one achieved in the period, with the latest note; not the old one.
    expect(rowContaining(html, '<td>Ochtendritme</td>')).toContain('Mee bezig');
    expect(rowContaining(html, '<td>Ochtendritme</td>')).toContain('20-11-2026: Nu elke dag op tijd');
    expect(rowContaining(html, '<td>Werkplek vinden</td><td>Werk</td>')).toContain('Behaald (behaald op 20-10-2026)');
    expect(html).not.toContain('Oud doel');

    // Wellbeing checks, and counts by channel and outcome.
    expect(rowContaining(readable(html), '<td>15-09-2026</td><td>4 – Goed')).toContain('2 – Weinig contact');
    expect(rowContaining(html, '<td>Telefoon</td>')).toContain('<td class="trajectory-report-table__number">3</td>');
    expect(rowContaining(html, '<td>Niet bereikt</td>')).toContain('>1</td>');
    expect(html).not.toContain('Uitkomst van het traject');
  });

  test('lists every contact moment in the logbook with the goals it served, never a summary or addendum', async () => {
    const html = withoutCellLabels((await agent.get(reportUrl())).text);
    const firstRow = rowContaining(html, '<td>02-09-2026</td>');
    expect(firstRow).toContain('<td>10:00</td>');
    expect(firstRow).toContain('>45</td>');
    expect(firstRow).toContain('Telefoon');
    expect(firstRow).toContain('Ochtendritme; Werkplek vinden');
    expect(rowContaining(html, '<td>15-09-2026</td><td>14:00')).toContain('Werkgever (Kringloop Noord)');
    // The unreached attempt is listed, with 0 minutes.
    const attempt = rowContaining(html, '<td>07-10-2026</td>');
    expect(attempt).toContain('Niet bereikt');
    expect(attempt).toContain('>0</td>');
    // Six moments from 02-09 to 20-10; the one before the trajectory and the other participant's are not.
    expect(html).not.toContain('31-08-2026');
    expect(html).not.toContain('>90</td>');
    for (const secret of [SECRET_SUMMARY, SECRET_ADDENDUM, SECRET_PAUSE, SECRET_HOURS_NOTE, 'GEHEIM'])
      expect(html).not.toContain(secret);
  });

  test('counts the hours exactly: minutes to hours, within the trajectory and the period, billable capped at granted', async () => {
    // All of it: 45 + 50 + 15 + 20 + 0 + 60 = 190 minutes = 3,17 hours against 2,5 granted.
    const all = (await agent.get(reportUrl())).text;
    expect(all).toContain('<dt>Gebruikt in deze periode</dt><dd>3,17 uur</dd>');
    expect(all).toContain('<dt>Gebruikt in totaal tot en met 23-11-2026</dt><dd>3,17 uur</dd>');
    expect(all).toContain('<dt>Toegekend</dt><dd>2,5 uur</dd>');
    expect(all).toContain('<dt>Declarabel in totaal tot en met 23-11-2026</dt><dd>2,5 uur</dd>');
    expect(all).toContain('vergoedt niet meer dan de toegekende uren');
    expect(all).toContain('Totaal logboek: 3,17 uur (190 minuten), toegekend 2,5 uur.');

    // September in Amsterdam: 45 + 50 + 15 (23:30 on the 30th) = 110 minutes; 00:15 on 1 October is not in it.
    const september = await agent.get(reportUrl('?from=01-09-2026&to=30-09-2026'));
    expect(september.status).toBe(200);
    expect(september.text).toContain('<dt>Gebruikt in deze periode</dt><dd>1,83 uur</dd>');
    expect(september.text).toContain('<dt>Declarabel in totaal tot en met 30-09-2026</dt><dd>1,83 uur</dd>');
    expect(september.text).toContain('Totaal logboek: 1,83 uur (110 minuten)');
    expect(september.text).not.toContain('vergoedt niet meer');
    expect(withoutCellLabels(september.text)).not.toContain('<td>01-10-2026</td>');

    // October (ISO dates work too): 20 + 0 + 60 = 80 minutes in the period, 190 in total up to its end.
    const october = await agent.get(reportUrl('?from=2026-10-01&to=2026-10-31'));
    expect(october.status).toBe(200);
    expect(october.text).toContain('<dt>Gebruikt in deze periode</dt><dd>1,33 uur</dd>');
    expect(october.text).toContain('<dt>Gebruikt in totaal tot en met 31-10-2026</dt><dd>3,17 uur</dd>');
    expect(october.text).toContain('<dt>Declarabel in totaal tot en met 31-10-2026</dt><dd>2,5 uur</dd>');
    // The rhythm goal's latest note up to the end of October, not the later one.
    expect(rowContaining(withoutCellLabels(october.text), '<td>Ochtendritme</td>')).toContain(
      '10-10-2026: Lukt vier van de vijf dagen',
    );
    expect(october.text).not.toContain('Nu elke dag op tijd');
  });

  test('a period reaching before the trajectory counts only the days within it, and says so', async () => {
    const response = await agent.get(reportUrl('?from=01-08-2026&to=01-09-2026'));
    expect(response.status).toBe(200);
    expect(response.text).toContain('Alleen contactmomenten binnen het traject');
    expect(response.text).toContain('<dt>Gebruikt in deze periode</dt><dd>0 uur</dd>');
    expect(response.text).toContain('Geen contactmomenten in deze periode.');
  });

  test('a closed trajectory: its own dates by default, its outcome, nothing after its end', async () => {
    const response = await agent.get(
      `/participants/${closedParticipantId}/trajectories/${closedTrajectoryId}/report?to=30-11-2026`,
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain('Uitkomst van het traject');
    expect(response.text).toContain('Regulier werk');
    expect(response.text).toContain('<dt>Einddatum</dt><dd>31-10-2026</dd>');
    // 30 minutes on the last day; the 40 minutes on 01-11 are after the end.
    expect(response.text).toContain('<dt>Gebruikt in deze periode</dt><dd>0,5 uur</dd>');
    expect(withoutCellLabels(response.text)).not.toContain('<td>01-11-2026</td>');

    const byDefault = await agent.get(`/participants/${closedParticipantId}/trajectories/${closedTrajectoryId}/report`);
    expect(byDefault.text).toContain('value="2026-06-01"');
    expect(byDefault.text).toContain('value="2026-10-31"');
  });
});

describe('the period', () => {
  test.each([
    ['an unreadable date', '?from=31-02-2026&to=30-09-2026', 'Dit is geen geldige datum', '31-02-2026'],
    // A readable date comes back in the date field's own form (ISO), which the phone's picker shows.
    ['a start after the end', '?from=01-10-2026&to=01-09-2026', 'De begindatum ligt na de einddatum', '2026-10-01'],
    ['an end before the default start', '?to=15-08-2026', 'De begindatum ligt na de einddatum', '2026-08-15'],
    ['text', '?from=gisteren', 'Dit is geen geldige datum', 'gisteren'],
  ])('%s gets the period form back with a message and what was typed (422)', async (_case, query, message, typed) => {
    const response = await agent.get(reportUrl(query));
    expect(response.status).toBe(422);
    expect(response.text).toContain(message);
    expect(response.text).toContain('Voor deze periode kan geen rapportage worden gemaakt');
    expect(response.text).toContain(`value="${typed}"`);
    expect(response.text).not.toContain('Logboek');
  });

  test('a repeated parameter is read as its first value; a scripted one is a bad date, shown escaped', async () => {
    const badFirst = await agent.get(reportUrl('?from=nonsense&from=01-09-2026'));
    expect(badFirst.status).toBe(422);
    expect(badFirst.text).toContain('Dit is geen geldige datum');
    const goodFirst = await agent.get(reportUrl('?from=01-09-2026&from=nonsense'));
    expect(goodFirst.status).toBe(200);

    const scripted = await agent.get(reportUrl(`?from=${encodeURIComponent('<script>alert(1)</script>')}`));
    expect(scripted.status).toBe(422);
    expect(scripted.text).not.toContain('<script>alert(1)</script>');
    expect(scripted.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('the PDF of a bad period is the page with the message, not a broken PDF', async () => {
    const response = await agent.get(pdfUrl('?from=01-10-2026&to=01-09-2026'));
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('De begindatum ligt na de einddatum');
  });
});

describe('the PDF', () => {
  test('is a download with the reference, the hours in Dutch, the goals and page numbers', async () => {
    const response = await download(agent, pdfUrl('?from=01-09-2026&to=23-11-2026'));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="trajectrapport-UWV-2026-0042-2026-09-01-2026-11-23.pdf"',
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as Buffer;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const pages = await pdfPages(body);
    const text = flat(pages.join('\n'));
    expect(text).toContain('Trajectrapportage');
    expect(text).toContain('Stichting Werkpad');
    expect(text).toContain('Şahin Çelik');
    expect(text).toContain('UWV-2026-0042');
    expect(text).toContain('3,17 uur');
    expect(text).toContain('2,5 uur');
    expect(text).toContain('Totaal logboek: 3,17 uur (190 minuten)');
    expect(text).toContain('Ochtendritme');
    expect(text).toContain('Werkplek vinden');
    expect(text).toContain('Winkelmedewerker');
    expect(text).toContain('Gemaakt op 23-11-2026 09:00');
    pages.forEach((page, index) => expect(flat(page)).toContain(`Pagina ${index + 1} van ${pages.length}`));
    // The letterhead opens the first page; the report ends with a signature block: coach, date, a line to sign.
    expect(flat(pages[0]!).trimStart().startsWith('Stichting Werkpad')).toBe(true);
    const last = flat(pages[pages.length - 1]!);
    expect(last).toContain('Ondertekening Jobcoach Daan de Coach Datum 23-11-2026 Handtekening jobcoach');
    for (const secret of [SECRET_SUMMARY, SECRET_ADDENDUM, SECRET_PAUSE, SECRET_HOURS_NOTE, 'GEHEIM'])
      expect(text).not.toContain(secret);
  });

  test('is in English for an English-speaking user', async () => {
    const adminAgent = await signedInAgent(t.app, admin);
    const response = await download(adminAgent, pdfUrl());
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="trajectory-report-UWV-2026-0042-2026-09-01-2026-11-23.pdf"',
    );
    const pages = await pdfPages(response.body as Buffer);
    const text = flat(pages.join('\n'));
    expect(text).toContain('Trajectory report');
    expect(text).toContain('Generated on 23/11/2026 09:00');
    expect(text).toContain('Logbook total: 3.17 hours (190 minutes), granted 2.5 hours.');
    expect(text).toContain(`Page 1 of ${pages.length}`);
    expect(text).not.toContain('Trajectrapportage');
  });

  test('names a trajectory without a reference by its number', async () => {
    const response = await download(agent, `/participants/${closedParticipantId}/trajectories/${closedTrajectoryId}/report.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="trajectrapport-${closedTrajectoryId}-2026-06-01-2026-10-31.pdf"`,
    );
  });
});

describe('audit', () => {
  test('every view and download is recorded with its period and format', async () => {
    const before = (await auditEventsOf(t.database.db, 'trajectory_report', trajectoryId)).length;
    await agent.get(reportUrl('?from=01-09-2026&to=30-09-2026')).expect(200);
    await download(agent, pdfUrl('?from=2026-10-01&to=2026-10-31')).expect(200);
    await agent.get(reportUrl('?from=bad')).expect(422);
    const events = (await auditEventsOf(t.database.db, 'trajectory_report', trajectoryId)).slice(before);
    expect(events).toEqual([
      {
        action: 'view',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: { from: '2026-09-01', to: '2026-09-30' },
      },
      {
        action: 'export',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: { from: '2026-10-01', to: '2026-10-31', format: 'pdf' },
      },
    ]);
  });
});
