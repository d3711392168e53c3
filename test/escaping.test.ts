import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from './helpers/app';
import {
  insertCommissioner,
  insertStandin,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
  insertContactMoment,
  insertGoal,
  insertReferral,
  insertNetworkPerson,
  insertConsent,
} from './helpers/fixtures';

// Every text a person can type is markup here. Each page must show the ones it is about as text
// (escaped, so the payload is really on the page) and none of them as markup: never as tags,
// never breaking out of an attribute.

const PAYLOADS = {
  firstName: '<script>alert(1)</script>',
  lastName: `O'Neil "&" <img src=x onerror=alert(2)>`,
  languageSupport: '<b>tolk</b>',
  externalReference: '"><script>alert(3)</script>',
  commissioner: 'Gemeente "Oost" & <u>West</u>',
  trajectoryReference: '<script>ref</script>',
  employer: `Bakker & Zn "De Korst" <b>'t Hoekje</b>`,
  employerNotes: '<script>n</script>',
  employerContact: '<script>contact</script>',
  jobTitle: '<script>job</script>',
  pauseReason: '<script>reason</script>',
  hoursNote: '<script>note</script>',
  summary: '<script>summary</script> "quoted" & more',
  addendum: '<script>addendum</script>',
  goal: '<script>goal</script>',
  goalDescription: '<script>description</script>',
  progress: '<script>progress</script>',
  organisation: '<script>organisation</script>',
  referralReason: '<script>why</script>',
  team: 'Team <i>Noord</i>',
  standInCoach: 'Invaller <em>Els</em>',
  networkName: `<script>netwerk</script> "Els" & 'co'`,
  networkOrganisation: '<b>OCMW</b> Gent',
  networkNote: '<script>netnote</script>',
  consentNote: '<script>consent</script>',
  receiver: '<script>receiver</script>',
  handoverNote: '<script>handover</script>',
} as const;
type Payload = keyof typeof PAYLOADS;

/** What EJS's <%= %> makes of a text. */
function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

let t: TestApp;
let coach: UserFixture;
let admin: UserFixture;
const ids = {} as {
  participant: number;
  employer: number;
  contact: number;
  placement: number;
  trajectory: number;
  contactMoment: number;
  goal: number;
  referral: number;
  networkPerson: number;
  handedOver: number;
  standIn: number;
  team: number;
};

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: PAYLOADS.team });
  admin = await createTestUser(t.database, { role: 'admin' });
  const standIn = await createTestUser(t.database, { role: 'coach', team: PAYLOADS.team, displayName: PAYLOADS.standInCoach });
  const db = t.database.db;
  const commissioner = await insertCommissioner(db, { name: PAYLOADS.commissioner, kind: 'municipality' });
  const participant = await insertParticipant(db, {
    first_name: PAYLOADS.firstName,
    last_name: PAYLOADS.lastName,
    coach_id: coach.id,
    status: 'active',
    phone: '06 12345678',
    language_support: PAYLOADS.languageSupport,
    external_reference: PAYLOADS.externalReference,
  });
  const trajectory = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    reference: PAYLOADS.trajectoryReference,
    start_date: '2026-01-05',
    granted_hours: 20,
  });
  const handedOver = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'work_experience',
    reference: PAYLOADS.trajectoryReference,
    start_date: '2025-01-06',
    actual_end_date: '2025-12-31',
    outcome: 'handover',
    granted_hours: 0,
  });
  const receivingOrganisation = await db
    .insertInto('referral_organisations')
    .values({ name: PAYLOADS.organisation, kind: 'vdab' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('handovers')
    .values({
      trajectory_id: handedOver,
      participant_id: participant,
      organisation_id: receivingOrganisation.id,
      receiver_name: PAYLOADS.receiver,
      handover_date: '2025-12-31',
      note: PAYLOADS.handoverNote,
      created_by: coach.id,
    })
    .execute();
  const employer = await insertEmployer(db, { name: PAYLOADS.employer, sector: 'hospitality', notes: PAYLOADS.employerNotes });
  const contact = await insertContact(db, {
    employer_id: employer,
    name: PAYLOADS.employerContact,
    role: 'supervisor',
    phone: '06 87654321',
  });
  const placement = await insertPlacement(
    db,
    {
      participant_id: participant,
      employer_id: employer,
      supervisor_contact_id: contact,
      kind: 'paid_job',
      job_title: PAYLOADS.jobTitle,
      start_date: '2026-02-01',
      status: 'paused',
      pause_reason: PAYLOADS.pauseReason,
      paused_since: '2026-10-01',
    },
    { hoursPerWeek: 40, note: PAYLOADS.hoursNote },
  );
  const contactMoment = await insertContactMoment(db, {
    participant_id: participant,
    author_id: coach.id,
    occurred_at: '2026-11-20T10:00:00+01:00',
    channel: 'workplace_visit',
    counterpart: 'employer',
    employer_id: employer,
    employer_contact_id: contact,
    outcome: 'reached',
    duration_minutes: 45,
    summary: PAYLOADS.summary,
    next_contact_date: '2026-11-22',
  });
  await db
    .insertInto('contact_addenda')
    .values({ contact_moment_id: contactMoment, author_id: coach.id, body: PAYLOADS.addendum })
    .execute();
  const goal = await insertGoal(db, {
    participant_id: participant,
    title: PAYLOADS.goal,
    description: PAYLOADS.goalDescription,
    life_domain: 'work',
    created_by: coach.id,
  });
  await db.insertInto('goal_contact_links').values({ goal_id: goal, contact_moment_id: contactMoment }).execute();
  await db
    .insertInto('goal_progress')
    .values({ goal_id: goal, author_id: coach.id, status: 'in_progress', note: PAYLOADS.progress })
    .execute();
  const referral = await insertReferral(db, {
    participant_id: participant,
    service_kind: 'debt_counselling',
    organisation: PAYLOADS.organisation,
    reason: PAYLOADS.referralReason,
    referred_on: '2026-11-02',
    // Due for follow-up: /today names the organisation too.
    follow_up_on: '2026-11-20',
    created_by: coach.id,
  });
  const networkPerson = await insertNetworkPerson(db, {
    participant_id: participant,
    role: 'fixed_contact',
    name: PAYLOADS.networkName,
    organisation: PAYLOADS.networkOrganisation,
    note: PAYLOADS.networkNote,
    created_by: coach.id,
  });
  await db
    .insertInto('contact_attendees')
    .values({ contact_moment_id: contactMoment, kind: 'network_person', network_person_id: networkPerson })
    .execute();
  await insertConsent(db, {
    participant_id: participant,
    purpose: 'quality_review',
    given_on: '2026-11-02',
    recorded_by: coach.id,
    note: PAYLOADS.consentNote,
  });
  await insertStandin(db, {
    absent_coach_id: coach.id,
    standin_coach_id: standIn.id,
    starts_on: '2026-11-16',
    ends_on: '2026-11-27',
    created_by: admin.id,
  });
  const team = (await db.selectFrom('teams').select('id').where('name', '=', PAYLOADS.team).executeTakeFirstOrThrow()).id;
  Object.assign(ids, {
    participant,
    employer,
    contact,
    placement,
    trajectory,
    contactMoment,
    goal,
    referral,
    networkPerson,
    handedOver,
    standIn: standIn.id,
    team,
  });
});
afterAll(() => t.close());

/** The page shows each of `shown` as text, and no payload anywhere as markup. */
function expectEscaped(html: string, shown: readonly Payload[]): void {
  for (const name of shown) expect({ [name]: html.includes(escaped(PAYLOADS[name])) }).toEqual({ [name]: true });
  for (const [name, text] of Object.entries(PAYLOADS)) expect({ [name]: html.includes(text) }).toEqual({ [name]: false });
}

const participantNames: Payload[] = ['firstName', 'lastName'];
const p = () => `/participants/${ids.participant}`;

/** Pages a coach opens, each with the payloads it is about. */
const coachPages: Array<[string, () => string, Payload[]]> = [
  ['participant list', () => '/participants', [...participantNames, 'externalReference']],
  ['participant search', () => '/participants?q=script', [...participantNames, 'externalReference']],
  [
    'participant profile',
    p,
    [
      ...participantNames,
      'languageSupport',
      'externalReference',
      'commissioner',
      'trajectoryReference',
      'employer',
      'employerContact',
      'jobTitle',
      'pauseReason',
      'hoursNote',
      'summary',
      'goal',
      'progress',
      'organisation',
      'referralReason',
      'networkName',
      'networkOrganisation',
      'networkNote',
      'consentNote',
    ],
  ],
  ['participant edit form', () => `${p()}/edit`, [...participantNames, 'languageSupport', 'externalReference']],
  ['participant close form', () => `${p()}/close`, participantNames],
  [
    'trajectory edit form',
    () => `${p()}/trajectories/${ids.trajectory}/edit`,
    [...participantNames, 'commissioner', 'trajectoryReference'],
  ],
  [
    'trajectory close form',
    () => `${p()}/trajectories/${ids.trajectory}/close`,
    [...participantNames, 'commissioner', 'trajectoryReference'],
  ],
  ['new trajectory form', () => `${p()}/trajectories/new`, participantNames],
  [
    'handover',
    () => `${p()}/trajectories/${ids.handedOver}/handover`,
    [...participantNames, 'commissioner', 'trajectoryReference', 'organisation', 'receiver', 'handoverNote', 'goal'],
  ],
  ['new placement form', () => `${p()}/placements/new`, [...participantNames, 'employer', 'employerContact']],
  [
    'placement edit form',
    () => `${p()}/placements/${ids.placement}/edit`,
    [...participantNames, 'employer', 'employerContact', 'jobTitle'],
  ],
  [
    'placement resume form',
    () => `${p()}/placements/${ids.placement}/resume`,
    [...participantNames, 'employer', 'jobTitle', 'pauseReason'],
  ],
  [
    'placement end form',
    () => `${p()}/placements/${ids.placement}/end`,
    [...participantNames, 'employer', 'jobTitle', 'pauseReason'],
  ],
  ['employer list', () => '/employers', ['employer']],
  [
    'employer profile',
    () => `/employers/${ids.employer}`,
    [...participantNames, 'employer', 'employerNotes', 'employerContact', 'jobTitle'],
  ],
  ['employer edit form', () => `/employers/${ids.employer}/edit`, ['employer', 'employerNotes']],
  [
    'employer contact edit form',
    () => `/employers/${ids.employer}/contacts/${ids.contact}/edit`,
    ['employer', 'employerContact'],
  ],
  ['day (/today)', () => '/today', [...participantNames, 'organisation']],
  ['referral directory', () => '/directory', ['organisation']],
  [
    'contact moment',
    () => `${p()}/contacts/${ids.contactMoment}`,
    [...participantNames, 'employer', 'employerContact', 'summary', 'addendum', 'goal', 'networkName'],
  ],
  [
    'contact moment edit form',
    () => `${p()}/contacts/${ids.contactMoment}/edit`,
    [...participantNames, 'employer', 'employerContact', 'summary', 'goal', 'networkName', 'networkOrganisation'],
  ],
  [
    'new contact moment form',
    () => `${p()}/contacts/new`,
    [...participantNames, 'employer', 'employerContact', 'goal', 'networkName', 'networkOrganisation'],
  ],
  [
    'network person edit form',
    () => `${p()}/network/${ids.networkPerson}/edit`,
    [...participantNames, 'networkName', 'networkOrganisation', 'networkNote'],
  ],
  [
    'network person end form',
    () => `${p()}/network/${ids.networkPerson}/end`,
    [...participantNames, 'networkName', 'networkOrganisation'],
  ],
  ['new consent form', () => `${p()}/consents/new`, participantNames],
  ['goal', () => `${p()}/goals/${ids.goal}`, [...participantNames, 'goal', 'goalDescription', 'progress']],
  ['goal edit form', () => `${p()}/goals/${ids.goal}/edit`, ['goal', 'goalDescription']],
  ['referral edit form', () => `${p()}/referrals/${ids.referral}/edit`, [...participantNames, 'organisation', 'referralReason']],
  [
    'trajectory report',
    () => `${p()}/trajectories/${ids.trajectory}/report`,
    // Not the participant's own reference: a report shows only the trajectory's (issue 17).
    [...participantNames, 'commissioner', 'trajectoryReference', 'employer', 'jobTitle', 'goal'],
  ],
  ['reports', () => '/reports', [...participantNames, 'commissioner', 'trajectoryReference']],
];

/** Pages an administrator opens. */
const adminPages: Array<[string, () => string, Payload[]]> = [
  ['audit log', () => '/admin/audit', [...participantNames, 'team']],
  ['commissioners', () => '/admin/commissioners', ['commissioner']],
  ['stand-ins', () => '/standins', ['standInCoach']],
  ['reports', () => '/reports', [...participantNames, 'commissioner', 'trajectoryReference']],
  ['subject-access page', () => `${p()}/subject-access`, participantNames],
  ['users', () => '/admin/users', ['standInCoach', 'team']],
  ["a person's page", () => `/admin/users/${ids.standIn}`, ['standInCoach', 'team']],
  ['deactivation of a person', () => `/admin/users/${ids.standIn}/deactivate`, ['standInCoach']],
  ["reset of a person's second factor", () => `/admin/users/${ids.standIn}/second-factor/reset`, ['standInCoach']],
  ['teams', () => '/admin/teams', ['team']],
  ['referral directory, with its edit links', () => '/directory', ['organisation']],
  ['a team', () => `/admin/teams/${ids.team}`, ['team', 'standInCoach']],
];

test.each(coachPages)('%s, as the coach, shows every name as text', async (_page, path, shown) => {
  const agent = await signedInAgent(t.app, coach);
  const response = await agent.get(path());
  expect(response.status).toBe(200);
  // The header's name badge shows the coach's team on every page.
  expectEscaped(response.text, [...shown, 'team']);
});

test.each(adminPages)('%s, as an administrator, shows every name as text', async (_page, path, shown) => {
  const agent = await signedInAgent(t.app, admin);
  const response = await agent.get(path());
  expect(response.status).toBe(200);
  expectEscaped(response.text, shown);
});
