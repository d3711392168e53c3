import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import yauzl from 'yauzl';
import { PDFParse } from 'pdf-parse';
import { FixedClock } from '../../src/lib/clock';
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
  insertCommissioner,
  insertContact,
  insertContactMoment,
  insertEmployer,
  insertGoal,
  insertParticipant,
  insertPlacement,
  insertReferral,
  insertTrajectory,
  linkGoalToContact,
} from '../helpers/fixtures';
import { readable } from '../helpers/readable';

// The clock stands on Monday 23-11-2026, 09:00 in Europe/Amsterdam.
const clock = new FixedClock('2026-11-23T09:00:00+01:00');

let t: TestApp;
let coach: UserFixture;
let manager: UserFixture;
let englishManager: UserFixture;
let otherTeamManager: UserFixture;
let admin: UserFixture;

/** The person whose export is made, and the ids of what is stored about them. */
const subject = {
  id: 0,
  trajectoryId: 0,
  reachedContactId: 0,
  goalId: 0,
  placementId: 0,
};
/** Another participant of the same coach: nothing of theirs may end up in the subject's export. */
let otherParticipantId = 0;
const OTHER_MARK = 'ANDERE-';

const DATA_FILE_NAMES = [
  'participant.json',
  'trajectories.json',
  'placements.json',
  'contact-moments.json',
  'goals.json',
  'referrals.json',
  'network.json',
  'consents.json',
  'handovers.json',
  'risk-acknowledgements.json',
  'risk-snapshots.json',
  'report-narratives.json',
  'quality-reviews.json',
  'support-requests.json',
  'audit-trail.json',
];

type Agent = TestAgent;
type ZipEntry = { name: string; content: Buffer };

/** supertest collects a binary body into a Buffer with this. */
function binaryBody(response: request.Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

function unzip(buffer: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('no zip'));
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, content: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function pdfText(buffer: Buffer): Promise<string> {
  const parser = new PDFParse({ data: buffer });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

const pagePath = (participantId: number) => `/participants/${participantId}/subject-access`;

/** Opens the page (it must answer 200) and presses its download button. */
async function downloadExport(agent: Agent, participantId: number) {
  const page = await agent.get(pagePath(participantId));
  expect(page.status).toBe(200);
  return agent
    .post(pagePath(participantId))
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text) })
    .buffer(true)
    .parse(binaryBody);
}

async function exportEntries(agent: Agent, participantId: number): Promise<Map<string, Buffer>> {
  const response = await downloadExport(agent, participantId);
  expect(response.status).toBe(200);
  const entries = await unzip(response.body as Buffer);
  return new Map(entries.map((entry) => [entry.name, entry.content]));
}

type JsonObject = Record<string, unknown>;

/** A JSON file of the export, parsed; T only states what the test expects to find. */
function json<T = unknown>(entries: Map<string, Buffer>, name: string): T {
  const content = entries.get(name);
  if (!content) throw new Error(`${name} is not in the export`);
  return JSON.parse(content.toString('utf8')) as T;
}

function exportEventsOf(participantId: number) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'action', 'entity_type', 'entity_id', 'participant_id', 'details'])
    .where('entity_type', '=', 'subject_access')
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

async function countAuditEvents(): Promise<number> {
  const row = await t.database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Everything a participant can have, with the given texts, so the export has something of every part. */
async function storeCaseFile(
  participantId: number,
  texts: {
    reference: string;
    summary: string;
    addendum: string;
    goal: string;
    progress: string;
    jobTitle: string;
    organisation: string;
    acknowledgement: string;
    feedback: string;
    narrative: string;
  },
  refs: { commissionerId: number; employerId: number; supervisorId: number; sampleId: number },
) {
  const db = t.database.db;
  const trajectoryId = await insertTrajectory(db, {
    participant_id: participantId,
    commissioner_id: refs.commissionerId,
    kind: 'jobcoaching',
    reference: texts.reference,
    start_date: '2026-01-05',
    granted_hours: 2,
  });
  const reachedContactId = await insertContactMoment(db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: '2026-11-10T10:00:00+01:00',
    channel: 'workplace_visit',
    outcome: 'reached',
    duration_minutes: 90,
    summary: texts.summary,
    wellbeing_mood: 4,
    wellbeing_rhythm: 3,
    wellbeing_social: 2,
    wellbeing_activity: 4,
    next_contact_date: '2026-11-17',
    next_contact_time: '14:30',
  });
  await insertContactMoment(db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: '2026-11-12T09:15:00+01:00',
    channel: 'phone',
    outcome: 'not_reached',
    duration_minutes: 0,
  });
  await insertContactMoment(db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: '2026-11-16T11:00:00+01:00',
    channel: 'video',
    outcome: 'reached',
    duration_minutes: 60,
    summary: `${texts.summary} (2)`,
  });
  await db
    .insertInto('contact_addenda')
    .values({ contact_moment_id: reachedContactId, author_id: manager.id, body: texts.addendum })
    .execute();
  const goalId = await insertGoal(db, {
    participant_id: participantId,
    title: texts.goal,
    life_domain: 'daily_structure',
    status: 'in_progress',
    created_by: coach.id,
  });
  await db
    .insertInto('goal_progress')
    .values({ goal_id: goalId, author_id: coach.id, status: 'in_progress', note: texts.progress })
    .execute();
  await linkGoalToContact(db, goalId, reachedContactId);
  const placementId = await insertPlacement(
    db,
    {
      participant_id: participantId,
      employer_id: refs.employerId,
      supervisor_contact_id: refs.supervisorId,
      kind: 'work_experience',
      job_title: texts.jobTitle,
      start_date: '2026-02-01',
    },
    { hoursPerWeek: 24 },
  );
  await db
    .insertInto('placement_hours')
    .values({
      placement_id: placementId,
      effective_from: '2026-10-01',
      hours_per_week: 16,
      note: 'Minder uren op eigen verzoek',
      created_by: coach.id,
    })
    .execute();
  await insertReferral(db, {
    participant_id: participantId,
    service_kind: 'debt_counselling',
    organisation: texts.organisation,
    reason: 'Aanmaningen stapelen zich op.',
    referred_on: '2026-11-02',
    created_by: coach.id,
  });
  await db
    .insertInto('risk_acknowledgements')
    .values({
      participant_id: participantId,
      acknowledged_by: coach.id,
      acknowledged_at: '2026-11-13T12:00:00Z',
      note: texts.acknowledgement,
      level: 'amber',
      flagged: JSON.stringify(['unreached:amber']),
    })
    .execute();
  await db
    .insertInto('risk_snapshots')
    .values([
      {
        snapshot_date: '2026-11-21',
        participant_id: participantId,
        coach_id: coach.id,
        team_id: null,
        level: 'amber',
        signals: JSON.stringify([{ signal: 'unreached', level: 'amber' }]),
      },
      {
        snapshot_date: '2026-11-22',
        participant_id: participantId,
        coach_id: coach.id,
        team_id: null,
        level: 'none',
        signals: '[]',
      },
    ])
    .execute();
  await db
    .insertInto('review_items')
    .values({
      sample_id: refs.sampleId,
      contact_moment_id: reachedContactId,
      reviewed_by: manager.id,
      reviewed_at: '2026-11-19T15:00:00Z',
      feedback: texts.feedback,
    })
    .execute();
  await db
    .insertInto('trajectory_report_narratives')
    .values({
      trajectory_id: trajectoryId,
      period_from: '2026-09-01',
      period_to: '2026-11-30',
      progress: texts.narrative,
      next_steps: 'Uren weer uitbreiden.',
      updated_by: coach.id,
    })
    .execute();
  return { trajectoryId, reachedContactId, goalId, placementId };
}

beforeAll(async () => {
  t = await startTestApp({ clock, env: { ORGANISATION_NAME: 'Stichting Werkpad' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mirjam Manager' });
  englishManager = await createTestUser(t.database, {
    role: 'manager',
    team: 'Team Noord',
    displayName: 'Evan Manager',
    locale: 'en',
  });
  otherTeamManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid', displayName: 'Zoë Zuid' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Beheer' });

  const db = t.database.db;
  const commissionerId = await insertCommissioner(db, { name: 'UWV Utrecht', kind: 'uwv' });
  const employerId = await insertEmployer(db, { name: 'Kringloop Noord', sector: 'retail' });
  const supervisorId = await insertContact(db, { employer_id: employerId, name: 'Joke de Vries', role: 'supervisor' });
  const sample = await db
    .insertInto('review_samples')
    .values({ coach_id: coach.id, drawn_by: manager.id, drawn_at: '2026-11-18T10:00:00Z', period_days: 30, requested_size: 5 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const refs = { commissionerId, employerId, supervisorId, sampleId: sample.id };

  subject.id = await insertParticipant(db, {
    first_name: 'Şahin',
    last_name: 'Çelik',
    date_of_birth: '1994-03-12',
    phone: '06 1234 5678',
    email: 'sahin@example.test',
    address_line: 'Dorpsstraat 1',
    postal_code: '3511 AA',
    city: 'Utrecht',
    preferred_channel: 'message',
    language_support: 'Eenvoudige taal',
    external_reference: 'DOSSIER-77',
    coach_id: coach.id,
    status: 'active',
  });
  Object.assign(
    subject,
    await storeCaseFile(
      subject.id,
      {
        reference: 'UWV-2026-0042',
        summary: 'Rooster besproken bij de Kringloop; gaat goed.',
        addendum: 'Aanvulling: werkgever belt zelf terug.',
        goal: 'Zelfstandig met de bus naar het werk',
        progress: 'Twee keer alleen gereisd, één keer met begeleiding.',
        jobTitle: 'Medewerker winkel',
        organisation: 'Schuldhulpmaatje Utrecht',
        acknowledgement: 'Gebeld, gaat weer beter.',
        feedback: 'Helder verslag, goede afspraken.',
        narrative: 'Werkt nu zelfstandig in de winkel.',
      },
      refs,
    ),
  );

  otherParticipantId = await insertParticipant(db, {
    first_name: 'Bram',
    last_name: 'Anderman',
    date_of_birth: '1990-01-01',
    coach_id: coach.id,
    status: 'active',
  });
  await storeCaseFile(
    otherParticipantId,
    {
      reference: `${OTHER_MARK}REF`,
      summary: `${OTHER_MARK}VERSLAG`,
      addendum: `${OTHER_MARK}AANVULLING`,
      goal: `${OTHER_MARK}DOEL`,
      progress: `${OTHER_MARK}VOORTGANG`,
      jobTitle: `${OTHER_MARK}FUNCTIE`,
      organisation: `${OTHER_MARK}ORGANISATIE`,
      acknowledgement: `${OTHER_MARK}NOTITIE`,
      feedback: `${OTHER_MARK}FEEDBACK`,
      narrative: `${OTHER_MARK}TOELICHTING`,
    },
    refs,
  );

  // The team manager looks at both profiles: the subject's audit trail must show that view.
  const managerAgent = await signedInAgent(t.app, manager);
  expect((await managerAgent.get(`/participants/${subject.id}`)).status).toBe(200);
  expect((await managerAgent.get(`/participants/${otherParticipantId}`)).status).toBe(200);
});
afterAll(() => t.close());

describe('the subject-access page', () => {
  test('says what the export holds, for whom, that it is audited, and downloads through a POST form', async () => {
    const agent = await signedInAgent(t.app, admin);
    const response = await agent.get(pagePath(subject.id));
    expect(response.status).toBe(200);
    expect(readable(response.text)).toContain('Inzage in de gegevens van Şahin Çelik');
    expect(response.text).toContain('artikel 15 AVG');
    expect(response.text).toContain('auditlog');
    for (const name of ['LEESMIJ.txt', 'summary.pdf', ...DATA_FILE_NAMES])
      expect(response.text).toContain(`<code>${name}</code>`);
    expect(response.text).toMatch(new RegExp(`<form method="post" action="/participants/${subject.id}/subject-access"`));
    expect(response.text).toContain('name="_csrf"');
    expect(response.text).toContain(`href="/participants/${subject.id}" class="back-link"`);
    // Showing the page hands out nothing and records nothing.
    expect(await exportEventsOf(subject.id)).toHaveLength(0);
  });

  test('a name with markup is shown as text', async () => {
    const id = await insertParticipant(t.database.db, {
      first_name: '<script>alert(1)</script>',
      last_name: `O'Brien & "Zn"`,
      coach_id: coach.id,
    });
    const response = await (await signedInAgent(t.app, admin)).get(pagePath(id));
    expect(response.status).toBe(200);
    expect(response.text).not.toContain('<script>alert(1)</script>');
    expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &#34;Zn&#34;');
  });

  test('the profile offers it to admins and managers, not to the coach', async () => {
    const link = `href="/participants/${subject.id}/subject-access"`;
    for (const user of [admin, manager]) {
      const profile = await (await signedInAgent(t.app, user)).get(`/participants/${subject.id}`);
      expect(profile.status).toBe(200);
      expect(profile.text).toContain(link);
      expect(profile.text).toContain('Inzageverzoek (AVG)');
    }
    const coachProfile = await (await signedInAgent(t.app, coach)).get(`/participants/${subject.id}`);
    expect(coachProfile.status).toBe(200);
    expect(coachProfile.text).not.toContain(link);
  });
});

describe('the export', () => {
  let response: request.Response;
  let entries: Map<string, Buffer>;
  let eventsBefore: number;

  beforeAll(async () => {
    const agent = await signedInAgent(t.app, admin);
    eventsBefore = await countAuditEvents();
    response = await downloadExport(agent, subject.id);
    expect(response.status).toBe(200);
    entries = new Map((await unzip(response.body as Buffer)).map((entry) => [entry.name, entry.content]));
  });

  test('is a ZIP download that is never cached, named after the person and the day', () => {
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="inzage-${subject.id}-2026-11-23.zip"`);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('holds the read-me, the summary and every data file, in that order', () => {
    expect([...entries.keys()]).toEqual(['LEESMIJ.txt', 'summary.pdf', ...DATA_FILE_NAMES]);
  });

  test('participant.json has every stored field of the person, with the coach and team', () => {
    const participant = json(entries, 'participant.json');
    expect(participant).toEqual({
      id: subject.id,
      firstName: 'Şahin',
      lastName: 'Çelik',
      dateOfBirth: '1994-03-12',
      phone: '06 1234 5678',
      email: 'sahin@example.test',
      addressLine: 'Dorpsstraat 1',
      postalCode: '3511 AA',
      city: 'Utrecht',
      preferredChannel: 'message',
      languageSupport: 'Eenvoudige taal',
      externalReference: 'DOSSIER-77',
      status: 'active',
      closedOn: null,
      coach: { id: coach.id, name: 'Daan Coach', team: 'Team Noord' },
      version: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$/),
    });
    // Pretty-printed UTF-8, so the person can read it in any editor.
    expect(entries.get('participant.json')!.toString('utf8')).toContain('\n  "firstName": "Şahin",\n');
  });

  test('contact-moments.json has the summaries, wellbeing, next contact, author, addenda and goals served', () => {
    const contacts = json<JsonObject[]>(entries, 'contact-moments.json');
    expect(contacts).toHaveLength(3);
    expect(contacts[0]).toMatchObject({
      id: subject.reachedContactId,
      occurredAt: '2026-11-10T10:00:00.000+01:00',
      channel: 'workplace_visit',
      counterpart: 'participant',
      outcome: 'reached',
      durationMinutes: 90,
      summary: 'Rooster besproken bij de Kringloop; gaat goed.',
      wellbeing: { mood: 4, dailyRhythm: 3, socialContacts: 2, daytimeActivity: 4 },
      nextContact: { date: '2026-11-17', time: '14:30' },
      author: { id: coach.id, name: 'Daan Coach' },
      goalIds: [subject.goalId],
      addenda: [{ body: 'Aanvulling: werkgever belt zelf terug.', author: { id: manager.id, name: 'Mirjam Manager' } }],
    });
    expect(contacts[1]).toMatchObject({
      outcome: 'not_reached',
      summary: null,
      wellbeing: null,
      nextContact: null,
      goalIds: [],
      addenda: [],
    });
  });

  test('goals.json has the goals with their progress updates', () => {
    expect(json(entries, 'goals.json')).toEqual([
      expect.objectContaining({
        id: subject.goalId,
        title: 'Zelfstandig met de bus naar het werk',
        lifeDomain: 'daily_structure',
        status: 'in_progress',
        createdBy: { id: coach.id, name: 'Daan Coach' },
        progressUpdates: [
          expect.objectContaining({
            status: 'in_progress',
            note: 'Twee keer alleen gereisd, één keer met begeleiding.',
            author: { id: coach.id, name: 'Daan Coach' },
          }),
        ],
      }),
    ]);
  });

  test('placements.json has the employer, the supervisor and the hours history', () => {
    expect(json(entries, 'placements.json')).toEqual([
      expect.objectContaining({
        id: subject.placementId,
        employer: expect.objectContaining({ name: 'Kringloop Noord' }),
        supervisor: expect.objectContaining({ name: 'Joke de Vries' }),
        jobTitle: 'Medewerker winkel',
        startDate: '2026-02-01',
        status: 'active',
        hoursHistory: [
          expect.objectContaining({ effectiveFrom: '2026-02-01', hoursPerWeek: 24, note: null }),
          expect.objectContaining({
            effectiveFrom: '2026-10-01',
            hoursPerWeek: 16,
            note: 'Minder uren op eigen verzoek',
            recordedBy: { id: coach.id, name: 'Daan Coach' },
          }),
        ],
      }),
    ]);
  });

  test('trajectories.json has the commissioner and the hours used, granted and billable', () => {
    expect(json(entries, 'trajectories.json')).toEqual([
      expect.objectContaining({
        id: subject.trajectoryId,
        commissioner: expect.objectContaining({ name: 'UWV Utrecht', kind: 'uwv' }),
        reference: 'UWV-2026-0042',
        startDate: '2026-01-05',
        actualEndDate: null,
        minutesUsed: 150,
        hoursUsed: 2.5,
        grantedHours: 2,
        billableHours: 2,
      }),
    ]);
  });

  test('the other parts hold the referral, risk notes and levels, narrative and review', () => {
    expect(json(entries, 'referrals.json')).toEqual([
      expect.objectContaining({
        organisation: 'Schuldhulpmaatje Utrecht',
        reason: 'Aanmaningen stapelen zich op.',
        status: 'proposed',
      }),
    ]);
    expect(json(entries, 'risk-acknowledgements.json')).toEqual([
      expect.objectContaining({
        acknowledgedAt: '2026-11-13T13:00:00.000+01:00',
        acknowledgedBy: { id: coach.id, name: 'Daan Coach' },
        level: 'amber',
        flagged: ['unreached:amber'],
        note: 'Gebeld, gaat weer beter.',
      }),
    ]);
    expect(json(entries, 'risk-snapshots.json')).toEqual([
      expect.objectContaining({ date: '2026-11-21', level: 'amber', signals: [{ signal: 'unreached', level: 'amber' }] }),
      expect.objectContaining({ date: '2026-11-22', level: 'none', signals: [] }),
    ]);
    expect(json(entries, 'report-narratives.json')).toEqual([
      expect.objectContaining({
        trajectoryId: subject.trajectoryId,
        periodFrom: '2026-09-01',
        periodTo: '2026-11-30',
        progress: 'Werkt nu zelfstandig in de winkel.',
        updatedBy: { id: coach.id, name: 'Daan Coach' },
      }),
    ]);
    expect(json(entries, 'quality-reviews.json')).toEqual([
      expect.objectContaining({
        contactMomentId: subject.reachedContactId,
        drawnBy: { id: manager.id, name: 'Mirjam Manager' },
        reviewedBy: { id: manager.id, name: 'Mirjam Manager' },
        feedback: 'Helder verslag, goede afspraken.',
      }),
    ]);
  });

  test("audit-trail.json shows the manager's earlier view of the profile, and this export last", () => {
    const trail = json<JsonObject[]>(entries, 'audit-trail.json');
    expect(trail).toContainEqual(
      expect.objectContaining({
        actor: { id: manager.id, name: 'Mirjam Manager', role: 'manager' },
        action: 'view',
        entityType: 'participant',
        entityId: String(subject.id),
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$/),
      }),
    );
    expect(trail[trail.length - 1]).toMatchObject({
      actor: { id: admin.id, name: 'Ada Beheer', role: 'admin' },
      action: 'export',
      entityType: 'subject_access',
      details: { parts: ['LEESMIJ.txt', 'summary.pdf', ...DATA_FILE_NAMES] },
    });
  });

  test('no file holds anything of another participant', async () => {
    for (const [name, content] of entries) {
      const text = name.endsWith('.pdf') ? await pdfText(content) : content.toString('utf8');
      expect({ name, leaks: text.includes(OTHER_MARK) || text.includes('Anderman') || text.includes('Bram') }).toEqual({
        name,
        leaks: false,
      });
    }
    expect(json<JsonObject[]>(entries, 'audit-trail.json').map((event) => event.entityId)).not.toContain(
      String(otherParticipantId),
    );
  });

  test('summary.pdf names the person, the trajectory and who viewed the record', async () => {
    const text = await pdfText(entries.get('summary.pdf')!);
    for (const expected of [
      'Stichting Werkpad',
      'Inzage in persoonsgegevens',
      'Şahin Çelik',
      'DOSSIER-77',
      'Trajecten',
      'UWV-2026-0042',
      'UWV Utrecht',
      'Wie het dossier bekeek of wijzigde',
      'Mirjam Manager',
      'Teamleider',
      'Bekeken',
      'Geëxporteerd',
      'Pagina 1 van',
    ]) {
      expect(text).toContain(expected);
    }
  });

  test('LEESMIJ.txt explains every file in Dutch', () => {
    const readme = entries.get('LEESMIJ.txt')!.toString('utf8');
    expect(readme).toContain('Inzage in persoonsgegevens (artikel 15 AVG)');
    expect(readme).toContain('Şahin Çelik');
    for (const name of ['summary.pdf', ...DATA_FILE_NAMES]) expect(readme).toContain(`- ${name}: `);
    // The daily risk level is profiling: the read-me says what it is made of and that nothing is decided by it.
    expect(readme).toContain('er wordt niets automatisch over de persoon besloten');
  });

  test('is recorded as one audit event with the files handed out', async () => {
    expect(await countAuditEvents()).toBe(eventsBefore + 1);
    const [event, ...others] = await exportEventsOf(subject.id);
    expect(others).toHaveLength(0);
    expect(event).toEqual({
      actor_user_id: admin.id,
      action: 'export',
      entity_type: 'subject_access',
      entity_id: String(subject.id),
      participant_id: subject.id,
      details: { parts: ['LEESMIJ.txt', 'summary.pdf', ...DATA_FILE_NAMES] },
    });
  });
});

describe('who may make it', () => {
  test("the team's manager may; the export is theirs in the audit log", async () => {
    const entries = await exportEntries(await signedInAgent(t.app, manager), subject.id);
    expect(json<JsonObject>(entries, 'participant.json').lastName).toBe('Çelik');
    const events = await exportEventsOf(subject.id);
    expect(events[events.length - 1]).toMatchObject({ actor_user_id: manager.id, action: 'export' });
  });

  test("another team's manager and the participant's own coach get 404 for the page and the download, and nothing is recorded", async () => {
    for (const user of [otherTeamManager, coach]) {
      const agent = await signedInAgent(t.app, user);
      const before = await countAuditEvents();
      expect((await agent.get(pagePath(subject.id))).status).toBe(404);
      const token = await csrfToken(agent, '/account');
      const download = await agent.post(pagePath(subject.id)).type('form').send({ _csrf: token });
      expect(download.status).toBe(404);
      expect(download.headers['content-type']).toMatch(/^text\/html/);
      expect(await countAuditEvents()).toBe(before);
    }
  });

  test('an unknown or malformed participant is a 404', async () => {
    const agent = await signedInAgent(t.app, admin);
    expect((await agent.get(pagePath(999999))).status).toBe(404);
    expect((await agent.get('/participants/abc/subject-access')).status).toBe(404);
    const token = await csrfToken(agent, '/account');
    expect((await agent.post(pagePath(999999)).type('form').send({ _csrf: token })).status).toBe(404);
  });

  test('someone not signed in is sent to the login page', async () => {
    const response = await request(t.app).get(pagePath(subject.id));
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/login/);
  });

  test('a download without the CSRF token is refused and records nothing', async () => {
    const agent = await signedInAgent(t.app, admin);
    const before = await countAuditEvents();
    const response = await agent.post(pagePath(subject.id)).type('form').send({});
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const forged = await agent.post(pagePath(subject.id)).type('form').send({ _csrf: 'forged-token' });
    expect(forged.status).toBe(403);
    expect(await countAuditEvents()).toBe(before);
  });

  test('a closed participant can still be exported', async () => {
    const closedId = await insertParticipant(t.database.db, {
      first_name: 'Lotte',
      last_name: 'Gesloten',
      coach_id: coach.id,
      status: 'closed',
      closed_on: '2026-10-01',
    });
    const agent = await signedInAgent(t.app, manager);
    const page = await agent.get(pagePath(closedId));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Deze deelnemer is afgesloten.');
    const entries = await exportEntries(agent, closedId);
    expect(json(entries, 'participant.json')).toMatchObject({ status: 'closed', closedOn: '2026-10-01' });
    expect(json(entries, 'contact-moments.json')).toEqual([]);
  });
});

describe('in English', () => {
  test('the page, the read-me and the summary are in English', async () => {
    const agent = await signedInAgent(t.app, englishManager);
    const page = await agent.get(pagePath(subject.id));
    expect(page.status).toBe(200);
    expect(readable(page.text)).toContain('Access to the data of Şahin Çelik');
    expect(page.text).toContain('<code>README.txt</code>');

    const entries = await exportEntries(agent, subject.id);
    expect([...entries.keys()]).toEqual(['README.txt', 'summary.pdf', ...DATA_FILE_NAMES]);
    const readme = entries.get('README.txt')!.toString('utf8');
    expect(readme).toContain('Access to personal data (article 15 GDPR)');
    expect(readme).toContain('- contact-moments.json: Contact moments');

    const text = await pdfText(entries.get('summary.pdf')!);
    for (const expected of [
      'Access to personal data',
      'Personal details',
      'Date of birth',
      'Trajectories',
      'UWV-2026-0042',
      'Who viewed or changed the record',
      'Mirjam Manager',
      'Team',
      'Viewed',
      'Page 1 of',
    ]) {
      expect(text).toContain(expected);
    }
    const events = await exportEventsOf(subject.id);
    expect(events[events.length - 1]).toMatchObject({
      actor_user_id: englishManager.id,
      details: { parts: ['README.txt', 'summary.pdf', ...DATA_FILE_NAMES] },
    });
  });
});
