import { DateTime } from 'luxon';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  auditEventsOf,
  formTokensFrom,
  insertCommissioner,
  insertConsent,
  insertContactMoment,
  insertParticipant,
  insertTrajectory,
  openForm,
  versionFrom,
} from '../helpers/fixtures';

// The clock stands on Monday 23-11-2026, 09:00 in Europe/Amsterdam.
const NOW = DateTime.fromISO('2026-11-23T09:00:00+01:00');
const clock = new FixedClock(NOW.toISO()!);

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let englishManager: UserFixture;

type Agent = Awaited<ReturnType<typeof signedInAgent>>;

function addParticipant(lastName: string, coachId = coach.id) {
  return insertParticipant(t.database.db, { first_name: 'Lien', last_name: lastName, coach_id: coachId, status: 'active' });
}

const consentsPath = (participantId: number) => `/participants/${participantId}/consents`;

function consentRows(participantId: number) {
  return t.database.db
    .selectFrom('participant_consents')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

async function record(agent: Agent, participantId: number, fields: Record<string, string>) {
  const form = await agent.get(`${consentsPath(participantId)}/new`);
  expect(form.status).toBe(200);
  return agent
    .post(`${consentsPath(participantId)}/new`)
    .type('form')
    .send({ ...formTokensFrom(form.text), ...fields });
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Bart Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Gent', displayName: 'Mieke Manager' });
  englishManager = await createTestUser(t.database, { role: 'manager', team: 'Team Gent', locale: 'en' });
});
afterAll(() => t.close());

describe('recording and withdrawing consent', () => {
  test('the profile lists each purpose; recording one stores who and when, audits without the note, and shows it', async () => {
    const participantId = await addParticipant('Toestemming');
    const agent = await signedInAgent(t.app, coach);
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('Kwaliteitsreview van gesprekken');
    expect(profile.text).toContain('Rapportages delen met de opdrachtgever');
    expect(profile.text).toContain('Contact met de werkgever');
    expect(profile.text).toContain(`href="${consentsPath(participantId)}/new?purpose=quality_review"`);

    const form = await agent.get(`${consentsPath(participantId)}/new?purpose=report_sharing`);
    expect(form.text).toContain('<option value="report_sharing" selected>');
    expect(form.text).toContain('name="givenOn" value="2026-11-23"');
    const response = await agent
      .post(`${consentsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), purpose: 'quality_review', givenOn: '20-11-2026', note: 'Getekend <formulier>' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=consentRecorded#consents`);
    const [stored] = await consentRows(participantId);
    expect(stored).toMatchObject({
      purpose: 'quality_review',
      given_on: '2026-11-20',
      recorded_by: coach.id,
      withdrawn_on: null,
      note: 'Getekend <formulier>',
    });
    expect(await auditEventsOf(t.database.db, 'consent', stored!.id)).toEqual([
      {
        action: 'create',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: { purpose: 'quality_review', givenOn: '2026-11-20', withNote: true },
      },
    ]);
    const after = await agent.get(response.headers.location!);
    expect(after.text).toContain('De toestemming is vastgelegd.');
    expect(after.text).toContain('Gegeven op 20-11-2026 (vastgelegd door Bart Coach)');
    expect(after.text).toContain('Getekend &lt;formulier&gt;');
  });

  test('clear messages: no purpose, a future day, a purpose already consented to; typed values are kept', async () => {
    const participantId = await addParticipant('Fout');
    const agent = await signedInAgent(t.app, coach);
    const empty = await record(agent, participantId, { purpose: '', givenOn: 'gisteren', note: 'Mijn notitie' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Er zijn 2 fouten in het formulier');
    expect(empty.text).toContain('value="gisteren"');
    expect(empty.text).toContain('>Mijn notitie</textarea>');
    const future = await record(agent, participantId, { purpose: 'report_sharing', givenOn: '24-11-2026' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('De datum mag niet in de toekomst liggen.');
    expect((await record(agent, participantId, { purpose: 'report_sharing', givenOn: '23-11-2026' })).status).toBe(303);
    const again = await record(agent, participantId, { purpose: 'report_sharing', givenOn: '23-11-2026' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('Voor dit doel is al toestemming vastgelegd.');
    expect(await consentRows(participantId)).toHaveLength(1);
  });

  test('withdrawing asks to confirm, refuses a day before it was given, keeps the record as history; consent can be given again', async () => {
    const participantId = await addParticipant('Intrekken');
    const consentId = await insertConsent(t.database.db, {
      participant_id: participantId,
      purpose: 'employer_contact',
      given_on: '2026-10-01',
      recorded_by: coach.id,
    });
    const agent = await signedInAgent(t.app, manager);
    const path = `${consentsPath(participantId)}/${consentId}/withdraw`;
    const form = await agent.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Toestemming intrekken: Contact met de werkgever');
    const tokens = { _csrf: csrfTokenFrom(form.text), version: versionFrom(form.text) };
    const early = await agent
      .post(path)
      .type('form')
      .send({ ...tokens, withdrawnOn: '30-09-2026' });
    expect(early.status).toBe(422);
    expect(early.text).toContain('De datum van intrekken mag niet vóór de datum liggen');
    const done = await agent
      .post(path)
      .type('form')
      .send({ ...tokens, withdrawnOn: '23-11-2026' });
    expect(done.status).toBe(303);
    expect((await consentRows(participantId))[0]).toMatchObject({ withdrawn_on: '2026-11-23', withdrawn_by: manager.id });
    expect((await auditEventsOf(t.database.db, 'consent', consentId)).at(-1)).toEqual({
      action: 'withdraw',
      actor_user_id: manager.id,
      participant_id: participantId,
      details: { purpose: 'employer_contact', givenOn: '2026-10-01', withdrawnOn: '2026-11-23' },
    });
    expect((await agent.get(path)).status).toBe(404);
    // Withdrawn today means no consent today.
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('Eerdere toestemming (1)');
    expect(profile.text).toContain('Contact met de werkgever: gegeven op 01-10-2026, ingetrokken op 23-11-2026');
    expect(profile.text).toContain(`href="${consentsPath(participantId)}/new?purpose=employer_contact"`);
    expect((await record(agent, participantId, { purpose: 'employer_contact', givenOn: '23-11-2026' })).status).toBe(303);
    expect(await consentRows(participantId)).toHaveLength(2);
  });
});

describe('consent where it matters', () => {
  test('the quality review draws only participants with current review consent and says how many it left out', async () => {
    const db = t.database.db;
    const reviewCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Review Coach' });
    const consenting = await addParticipant('Ja', reviewCoach.id);
    const never = await addParticipant('Nooit', reviewCoach.id);
    const withdrawnToday = await addParticipant('Ingetrokken', reviewCoach.id);
    const notYet = await addParticipant('Later', reviewCoach.id);
    await insertConsent(db, {
      participant_id: consenting,
      purpose: 'quality_review',
      given_on: '2026-01-05',
      recorded_by: coach.id,
    });
    await insertConsent(db, { participant_id: never, purpose: 'report_sharing', given_on: '2026-01-05', recorded_by: coach.id });
    await insertConsent(db, {
      participant_id: withdrawnToday,
      purpose: 'quality_review',
      given_on: '2026-01-05',
      recorded_by: coach.id,
      withdrawn_on: '2026-11-23',
      withdrawn_by: coach.id,
    });
    // Recorded ahead (a form signed for tomorrow's start) does not count today.
    await insertConsent(db, { participant_id: notYet, purpose: 'quality_review', given_on: '2026-11-24', recorded_by: coach.id });
    const conversation = (participantId: number, daysAgo: number) =>
      insertContactMoment(db, {
        participant_id: participantId,
        author_id: reviewCoach.id,
        occurred_at: NOW.minus({ days: daysAgo }).toJSDate(),
        channel: 'phone',
        outcome: 'reached',
        duration_minutes: 15,
        summary: 'Gesprek.',
      });
    const drawable = [await conversation(consenting, 1), await conversation(consenting, 3)];
    for (const participantId of [never, withdrawnToday, notYet]) await conversation(participantId, 2);

    const agent = await signedInAgent(t.app, manager);
    const response = await agent
      .post('/reviews/new')
      .type('form')
      .send({ ...(await openForm(agent, '/reviews/new')), coachId: String(reviewCoach.id), size: '10', periodDays: '30' });
    expect(response.status).toBe(303);
    const sampleId = Number(/^\/reviews\/(\d+)/.exec(response.headers.location!)![1]);
    const items = await db.selectFrom('review_items').select('contact_moment_id').where('sample_id', '=', sampleId).execute();
    expect(items.map((item) => item.contact_moment_id).sort((a, b) => a - b)).toEqual(drawable);
    const sample = await db.selectFrom('review_samples').selectAll().where('id', '=', sampleId).executeTakeFirstOrThrow();
    expect(sample.left_out_without_consent).toBe(3);
    expect((await auditEventsOf(db, 'review_sample', sampleId))[0]!.details).toMatchObject({
      drawn: 2,
      leftOutWithoutConsent: 3,
    });
    const page = await agent.get(`/reviews/${sampleId}`);
    expect(page.text).toContain(
      '3 gesprekken uit deze periode zijn niet meegenomen: de deelnemers gaven geen (actuele) toestemming voor kwaliteitsreview.',
    );
    const english = await (await signedInAgent(t.app, englishManager)).get(`/reviews/${sampleId}`);
    expect(english.text).toContain(
      '3 conversations of this period were left out: their participants had not (or no longer) consented to quality review.',
    );
  });

  test('a period with only conversations without consent draws nothing and says why', async () => {
    const db = t.database.db;
    const lonelyCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent' });
    const participantId = await addParticipant('Zonder', lonelyCoach.id);
    await insertContactMoment(db, {
      participant_id: participantId,
      author_id: lonelyCoach.id,
      occurred_at: NOW.minus({ days: 2 }).toJSDate(),
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 15,
      summary: 'Gesprek.',
    });
    const agent = await signedInAgent(t.app, manager);
    const response = await agent
      .post('/reviews/new')
      .type('form')
      .send({ ...(await openForm(agent, '/reviews/new')), coachId: String(lonelyCoach.id), size: '5', periodDays: '30' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('alleen gesprekken met deelnemers zonder toestemming voor kwaliteitsreview');
    const samples = await db.selectFrom('review_samples').select('id').where('coach_id', '=', lonelyCoach.id).execute();
    expect(samples).toEqual([]);
  });

  test('the trajectory report warns while there is no current consent to share reports, and not once there is', async () => {
    const db = t.database.db;
    const participantId = await addParticipant('Rapport');
    const commissioner = await insertCommissioner(db, { name: 'OCMW Gent', kind: 'ocmw' });
    const trajectoryId = await insertTrajectory(db, {
      participant_id: participantId,
      commissioner_id: commissioner,
      kind: 'work_experience',
      start_date: '2026-01-05',
      granted_hours: 40,
    });
    const agent = await signedInAgent(t.app, coach);
    const reportPath = `/participants/${participantId}/trajectories/${trajectoryId}/report`;
    const without = await agent.get(reportPath);
    expect(without.status).toBe(200);
    expect(without.text).toContain(
      'Er is geen actuele toestemming van de deelnemer om rapportages te delen met de opdrachtgever.',
    );
    expect(without.text).toContain(`href="/participants/${participantId}#consents"`);
    // Consent for another purpose does not count.
    await insertConsent(db, {
      participant_id: participantId,
      purpose: 'quality_review',
      given_on: '2026-01-05',
      recorded_by: coach.id,
    });
    expect((await agent.get(reportPath)).text).toContain('id="sharing-consent-warning"');
    await insertConsent(db, {
      participant_id: participantId,
      purpose: 'report_sharing',
      given_on: '2026-11-23',
      recorded_by: coach.id,
    });
    expect((await agent.get(reportPath)).text).not.toContain('id="sharing-consent-warning"');
  });
});
