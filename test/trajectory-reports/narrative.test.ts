import type TestAgent from 'supertest/lib/agent';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { auditEventsOf, insertCommissioner, insertParticipant, insertTrajectory, versionFrom } from '../helpers/fixtures';
import { download, flat, pdfPages } from './helpers';

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let otherCoach: UserFixture;
let coachAgent: TestAgent;
let participantId: number;
let trajectoryId: number;

const SEPTEMBER = { from: '2026-09-01', to: '2026-09-30' };
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan de Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mira Manager' });
  const uwv = await insertCommissioner(db, { name: 'UWV Utrecht', kind: 'uwv' });
  participantId = await insertParticipant(db, { first_name: 'Noor', last_name: 'Visser', coach_id: coach.id });
  trajectoryId = await insertTrajectory(db, {
    participant_id: participantId,
    commissioner_id: uwv,
    kind: 'jobcoaching',
    reference: 'UWV-55',
    start_date: '2026-09-01',
    granted_hours: '20',
  });
  coachAgent = await signedInAgent(t.app, coach);
});
afterAll(() => t.close());

const base = () => `/participants/${participantId}/trajectories/${trajectoryId}/report`;
const reportOf = (period: { from: string; to: string }) => `${base()}?from=${period.from}&to=${period.to}`;

async function narrativesStored() {
  return t.database.db
    .selectFrom('trajectory_report_narratives')
    .select(['period_from', 'period_to', 'progress', 'next_steps', 'version', 'updated_by'])
    .where('trajectory_id', '=', trajectoryId)
    .orderBy('period_from')
    .execute();
}

/** Opens the report of the period and posts its narrative form with the given text. */
async function saveThroughForm(
  agent: TestAgent,
  period: { from: string; to: string },
  text: { progress: string; nextSteps: string },
  override: Record<string, string> = {},
) {
  const page = await agent.get(reportOf(period));
  expect(page.status).toBe(200);
  return agent
    .post(`${base()}/narrative`)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), ...period, version: versionFrom(page.text), ...text, ...override });
}

test('the form warns against medical information and the narrative starts unwritten', async () => {
  const page = await coachAgent.get(reportOf(SEPTEMBER));
  expect(page.status).toBe(200);
  expect(page.text).toContain('Geen medische informatie: noem geen diagnoses, medicatie of behandelingen.');
  expect(page.text).toContain('De opdrachtgever mag die niet ontvangen.');
  expect(page.text).toContain('Nog niet geschreven.');
  expect(page.text).toContain('name="version" value="0"');
  expect(page.text).toContain(`action="${base()}/narrative"`);
});

test('a narrative is saved for its exact period, audited without its text, and shown in the HTML and PDF', async () => {
  const response = await saveThroughForm(coachAgent, SEPTEMBER, {
    progress: 'Noor werkt nu drie ochtenden.\r\nZe is steeds op tijd.',
    nextSteps: 'Uitbreiden naar vier ochtenden.',
  });
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe(`${reportOf(SEPTEMBER)}&done=narrativeSaved#narrative`);
  expect(await narrativesStored()).toEqual([
    {
      period_from: '2026-09-01',
      period_to: '2026-09-30',
      progress: 'Noor werkt nu drie ochtenden.\nZe is steeds op tijd.',
      next_steps: 'Uitbreiden naar vier ochtenden.',
      version: 1,
      updated_by: coach.id,
    },
  ]);

  const page = await coachAgent.get(response.headers.location!);
  expect(page.text).toContain('De toelichting is opgeslagen.');
  expect(page.text).toContain('Noor werkt nu drie ochtenden.\nZe is steeds op tijd.');
  expect(page.text).toContain('Laatst opgeslagen door Daan de Coach op 23-11-2026 09:00.');
  expect(page.text).toContain('name="version" value="1"');

  const updates = (await auditEventsOf(t.database.db, 'trajectory_report', trajectoryId)).filter(
    (event) => event.action === 'update',
  );
  expect(updates).toEqual([
    {
      action: 'update',
      actor_user_id: coach.id,
      participant_id: participantId,
      details: { from: '2026-09-01', to: '2026-09-30' },
    },
  ]);

  const pdf = await download(coachAgent, `${base()}.pdf?from=01-09-2026&to=30-09-2026`);
  const text = flat((await pdfPages(pdf.body as Buffer)).join('\n'));
  expect(text).toContain('Noor werkt nu drie ochtenden. Ze is steeds op tijd.');
  expect(text).toContain('Uitbreiden naar vier ochtenden.');
});

test('another period has its own narrative, and saving it leaves the first alone', async () => {
  const october = await coachAgent.get(reportOf(OCTOBER));
  expect(october.text).toContain('Nog niet geschreven.');
  expect(october.text).not.toContain('Noor werkt nu drie ochtenden.');

  const response = await saveThroughForm(coachAgent, OCTOBER, { progress: 'Oktober ging wisselend.', nextSteps: '' });
  expect(response.status).toBe(303);
  const stored = await narrativesStored();
  expect(stored.map((row) => [row.period_from, row.progress, row.version])).toEqual([
    ['2026-09-01', 'Noor werkt nu drie ochtenden.\nZe is steeds op tijd.', 1],
    ['2026-10-01', 'Oktober ging wisselend.', 1],
  ]);
  // A period that merely overlaps is another period again; it points to the ones that have a narrative.
  const overlapping = await coachAgent.get(`${base()}?from=2026-09-01&to=2026-10-31`);
  expect(overlapping.text).toContain('Nog niet geschreven.');
  expect(overlapping.text).toContain('Een toelichting is ook geschreven voor deze periodes:');
  expect(overlapping.text).toContain(`<a href="${reportOf(OCTOBER).replace('&', '&amp;')}">01-10-2026 t/m 31-10-2026</a>`);
  expect(overlapping.text).toContain(`<a href="${reportOf(SEPTEMBER).replace('&', '&amp;')}">01-09-2026 t/m 30-09-2026</a>`);
});

test('a stale version gets the conflict page with the typed text kept, and changes nothing', async () => {
  const stalePage = await coachAgent.get(reportOf(SEPTEMBER));
  // The manager saves in between.
  const managerAgent = await signedInAgent(t.app, manager);
  expect(
    (await saveThroughForm(managerAgent, SEPTEMBER, { progress: 'Versie van de manager.', nextSteps: 'Stap M.' })).status,
  ).toBe(303);

  const response = await coachAgent
    .post(`${base()}/narrative`)
    .type('form')
    .send({
      _csrf: csrfTokenFrom(stalePage.text),
      ...SEPTEMBER,
      version: versionFrom(stalePage.text),
      progress: 'Versie van de coach <b>vet</b>.',
      nextSteps: 'Stap C.',
    });
  expect(response.status).toBe(409);
  expect(response.text).toContain('Versie van de manager.');
  expect(response.text).toContain('Versie van de coach &lt;b&gt;vet&lt;/b&gt;.');
  expect(response.text).toContain('value="Stap C."');
  expect(response.text).toContain('name="version" value="2"');
  const september = (await narrativesStored()).find((row) => row.period_from === '2026-09-01');
  expect(september).toMatchObject({ progress: 'Versie van de manager.', version: 2, updated_by: manager.id });
});

test('a text over 5000 characters is refused with 422, keeping what was typed', async () => {
  const before = await narrativesStored();
  const longText = `Begin van een lange tekst ${'x'.repeat(5000)}`;
  const response = await saveThroughForm(coachAgent, SEPTEMBER, { progress: longText, nextSteps: 'Blijft staan.' });
  expect(response.status).toBe(422);
  expect(response.text).toContain('Dit is te lang: hoogstens 5000 tekens.');
  expect(response.text).toContain(longText);
  expect(response.text).toContain('Blijft staan.');
  expect(response.text).toContain('Geen medische informatie');
  // The report itself is still there, for the same period.
  expect(response.text).toContain('Logboek');
  expect(response.text).toContain('value="2026-09-01"');
  expect(await narrativesStored()).toEqual(before);
});

test('exactly 5000 characters fit, also when they are not plain letters', async () => {
  const emoji = '😀'.repeat(5000);
  const response = await saveThroughForm(
    coachAgent,
    { from: '2026-11-01', to: '2026-11-23' },
    { progress: emoji, nextSteps: 'é'.repeat(5000) },
  );
  expect(response.status).toBe(303);
  const november = (await narrativesStored()).find((row) => row.period_from === '2026-11-01');
  expect(november?.progress).toBe(emoji);
});

test('a tampered period or version in the form is refused without storing anything', async () => {
  const before = await narrativesStored();
  const reversed = await saveThroughForm(
    coachAgent,
    SEPTEMBER,
    { progress: 'x', nextSteps: '' },
    { from: '2026-10-01', to: '2026-09-01' },
  );
  expect(reversed.status).toBe(422);
  expect(reversed.text).toContain('De periode van dit formulier is niet geldig.');
  const noDate = await saveThroughForm(coachAgent, SEPTEMBER, { progress: 'x', nextSteps: '' }, { from: 'gisteren' });
  expect(noDate.status).toBe(422);
  const noVersion = await saveThroughForm(coachAgent, SEPTEMBER, { progress: 'x', nextSteps: '' }, { version: 'abc' });
  expect(noVersion.status).toBe(422);
  expect(noVersion.text).toContain('Dit formulier is verouderd.');
  expect(await narrativesStored()).toEqual(before);
});

test('two first saves at once store one narrative: the second gets a conflict, or succeeds when it says the same', async () => {
  const period = { from: '2026-08-01', to: '2026-08-31' };
  const managerAgent = await signedInAgent(t.app, manager);
  const [coachPage, managerPage] = await Promise.all([coachAgent.get(reportOf(period)), managerAgent.get(reportOf(period))]);
  const post = (agent: TestAgent, html: string, progress: string, forPeriod = period) =>
    agent
      .post(`${base()}/narrative`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(html), ...forPeriod, version: '0', progress, nextSteps: '' });
  const statuses = (
    await Promise.all([post(coachAgent, coachPage.text, 'Eerste'), post(managerAgent, managerPage.text, 'Tweede')])
  ).map((response) => response.status);
  expect(statuses.sort()).toEqual([303, 409]);
  const august = (await narrativesStored()).filter((row) => row.period_from === '2026-08-01');
  expect(august).toHaveLength(1);
  expect(august[0]!.version).toBe(1);

  // A double click: the same words twice, both land on the saved report.
  const again = { from: '2026-07-01', to: '2026-07-31' };
  const page = await coachAgent.get(reportOf(again));
  const twice = await Promise.all([post(coachAgent, page.text, 'Zelfde', again), post(coachAgent, page.text, 'Zelfde', again)]);
  expect(twice.map((response) => response.status)).toEqual([303, 303]);
  const july = (await narrativesStored()).filter((row) => row.period_from === '2026-07-01');
  expect(july).toEqual([expect.objectContaining({ progress: 'Zelfde', version: 1 })]);
});

test('the narrative can still be written once the trajectory and the participant are closed', async () => {
  await t.database.db
    .updateTable('trajectories')
    .set({ actual_end_date: '2026-11-20', outcome: 'regular_job' })
    .where('id', '=', trajectoryId)
    .execute();
  await t.database.db
    .updateTable('participants')
    .set({ status: 'closed', closed_on: '2026-11-20' })
    .where('id', '=', participantId)
    .execute();
  const finalPeriod = { from: '2026-09-01', to: '2026-11-20' };
  const response = await saveThroughForm(coachAgent, finalPeriod, {
    progress: 'Eindverslag: regulier werk gevonden.',
    nextSteps: '',
  });
  expect(response.status).toBe(303);
  const page = await coachAgent.get(reportOf(finalPeriod));
  expect(page.text).toContain('Eindverslag: regulier werk gevonden.');
  expect(page.text).toContain('Regulier werk');
});

test('another coach cannot post a narrative: 404 and nothing stored', async () => {
  const before = await narrativesStored();
  const otherAgent = await signedInAgent(t.app, otherCoach);
  const token = csrfTokenFrom((await otherAgent.get('/account')).text);
  const response = await otherAgent
    .post(`${base()}/narrative`)
    .type('form')
    .send({ _csrf: token, ...SEPTEMBER, version: '0', progress: 'Ingebroken', nextSteps: '' });
  expect(response.status).toBe(404);
  expect(await narrativesStored()).toEqual(before);
});
