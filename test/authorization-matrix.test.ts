import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { sql } from 'kysely';
import { FixedClock } from '../src/lib/clock';
import { routeTable } from '../src/routes';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from './helpers/app';
import {
  insertCommissioner,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertStandin,
  insertTrajectory,
  insertContactMoment,
  insertGoal,
  insertReferral,
  insertNetworkPerson,
  insertConsent,
  referralOrganisation,
} from './helpers/fixtures';

// Every participant, trajectory, placement, employer and stand-in route, for every kind of
// visitor. Reads answer 200 or 404; writes of a permitted user are sent with an invalid form and
// answer 422 (access passed, nothing stored), writes of anyone else answer 404 and change nothing.
//
// Stand-ins for the owning coach: one today for the whole caseload (standInNow), one that is over
// (standInPast), and a split one today in two parts: splitStandIn covers the chosen participants
// the matrix's participant is among, otherSplitStandIn another participant of the same caseload
// only. So every participant route shows a split stand-in reaching exactly the chosen participants.

type Who =
  | 'anonymous'
  | 'owningCoach'
  | 'otherCoach'
  | 'standInNow'
  | 'standInPast'
  | 'splitStandIn'
  | 'otherSplitStandIn'
  | 'teamManager'
  | 'otherManager'
  | 'admin';

const EVERYONE: Who[] = [
  'anonymous',
  'owningCoach',
  'otherCoach',
  'standInNow',
  'standInPast',
  'splitStandIn',
  'otherSplitStandIn',
  'teamManager',
  'otherManager',
  'admin',
];
const CASELOAD: Who[] = ['owningCoach', 'standInNow', 'splitStandIn', 'teamManager', 'admin'];
const SIGNED_IN: Who[] = EVERYONE.filter((who) => who !== 'anonymous');
const SSO_WITHOUT_PROVIDER = { OIDC_ISSUER: 'http://127.0.0.1:1', OIDC_CLIENT_ID: 'matrix', OIDC_CLIENT_SECRET: 'matrix-secret' };
const MANAGERS: Who[] = ['teamManager', 'admin'];
const ALL_MANAGERS: Who[] = ['teamManager', 'otherManager', 'admin'];
const COACHES: Who[] = ['owningCoach', 'otherCoach', 'standInNow', 'standInPast', 'splitStandIn', 'otherSplitStandIn'];
const ADMIN: Who[] = ['admin'];
/** Coaches who may see the participant: they ask their team leader about them. */
const CASELOAD_COACHES: Who[] = ['owningCoach', 'standInNow', 'splitStandIn'];
const COACHES_AND_MANAGERS: Who[] = [...COACHES, 'teamManager', 'otherManager'];

let t: TestApp;
const clock = new FixedClock('2026-11-23T10:00:00+01:00');
const users = {} as Record<Exclude<Who, 'anonymous'>, UserFixture>;
const agents = new Map<Who, TestAgent>();
const ids = {} as {
  commissioner: number;
  participant: number;
  /** Another participant of the owning coach: the one the other split stand-in covers. */
  otherParticipant: number;
  trajectory: number;
  handedOverTrajectory: number;
  placement: number;
  employer: number;
  contact: number;
  standin: number;
  contactMoment: number;
  goal: number;
  referral: number;
  networkPerson: number;
  consent: number;
  organisation: number;
  pausedPlacement: number;
  reviewSample: number;
  reviewItem: number;
  spareCoach: number;
  team: number;
  supportRequest: number;
  criterion: number;
};

async function snapshot(): Promise<string> {
  const tables = [
    'participants',
    'trajectories',
    'placements',
    'placement_hours',
    'employers',
    'employer_contacts',
    'coach_standins',
    'coach_standin_participants',
    'support_requests',
    'review_criteria',
    'review_scores',
    'contact_moments',
    'contact_addenda',
    'goals',
    'goal_progress',
    'goal_contact_links',
    'referrals',
    'network_persons',
    'participant_consents',
    'contact_attendees',
    'referral_organisations',
    'handovers',
    'risk_acknowledgements',
    'review_samples',
    'review_items',
    'trajectory_report_narratives',
    'commissioners',
    'risk_settings',
    'retention_settings',
    'participant_erasures',
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1, 2`.execute(t.database.db);
    parts.push(JSON.stringify(rows.rows));
  }
  return parts.join('\n');
}

beforeAll(async () => {
  // Single sign-on configured (with a provider nobody answers at), so its routes are there to check.
  t = await startTestApp({ clock, env: SSO_WITHOUT_PROVIDER });
  users.owningCoach = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  users.otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  users.standInNow = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  users.standInPast = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  users.splitStandIn = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  users.otherSplitStandIn = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  users.teamManager = await createTestUser(t.database, { role: 'manager', team: 'Team A' });
  users.otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team B' });
  users.admin = await createTestUser(t.database, { role: 'admin' });
  // A coach nobody signs in as: the one whose account the deactivation checks switch off and on.
  const spareCoach = await createTestUser(t.database, { role: 'coach', team: 'Team B' });

  const db = t.database.db;
  const commissioner = await insertCommissioner(db, { name: 'UWV', kind: 'uwv' });
  const participant = await insertParticipant(db, {
    first_name: 'Ria',
    last_name: 'Matrix',
    coach_id: users.owningCoach.id,
    status: 'active',
  });
  const trajectory = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    start_date: '2026-01-05',
    granted_hours: 30,
  });
  // An earlier trajectory, closed as a handover: its handover page and PDF.
  const handedOverTrajectory = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'work_experience',
    start_date: '2025-01-06',
    granted_hours: 0,
    actual_end_date: '2025-12-31',
    outcome: 'handover',
  });
  await db
    .insertInto('handovers')
    .values({
      trajectory_id: handedOverTrajectory,
      participant_id: participant,
      organisation_id: await referralOrganisation(db, 'VDAB Matrix', 'vdab'),
      receiver_name: 'Jan Ontvanger',
      handover_date: '2025-12-31',
      note: 'Werkt goed met routines.',
      created_by: users.owningCoach.id,
    })
    .execute();
  const employer = await insertEmployer(db, { name: 'Kringloop Matrix', sector: 'retail' });
  const contact = await insertContact(db, { employer_id: employer, name: 'Piet Begeleider', role: 'supervisor' });
  const placement = await insertPlacement(
    db,
    {
      participant_id: participant,
      employer_id: employer,
      supervisor_contact_id: contact,
      kind: 'work_experience',
      job_title: 'Sorteerder',
      start_date: '2026-02-01',
    },
    { hoursPerWeek: 16 },
  );
  const standin = await insertStandin(db, {
    absent_coach_id: users.owningCoach.id,
    standin_coach_id: users.standInNow.id,
    starts_on: '2026-11-16',
    ends_on: '2026-11-27',
    created_by: users.teamManager.id,
  });
  await insertStandin(db, {
    absent_coach_id: users.owningCoach.id,
    standin_coach_id: users.standInPast.id,
    starts_on: '2026-10-01',
    ends_on: '2026-10-14',
    created_by: users.teamManager.id,
  });
  // Today's split stand-in, in two parts: Ria for one colleague, another participant of the same
  // caseload for another. (Inserted as they are: the app would not arrange them beside the
  // whole-caseload stand-in above, but access is the union of the rules, each checked by its persona.)
  const otherParticipant = await insertParticipant(db, {
    first_name: 'Sem',
    last_name: 'Anders',
    coach_id: users.owningCoach.id,
    status: 'active',
  });
  for (const [standinCoach, chosen] of [
    [users.splitStandIn.id, participant],
    [users.otherSplitStandIn.id, otherParticipant],
  ] as const) {
    const split = await insertStandin(db, {
      absent_coach_id: users.owningCoach.id,
      standin_coach_id: standinCoach,
      starts_on: '2026-11-23',
      ends_on: '2026-11-25',
      covers: 'participants',
      created_by: users.teamManager.id,
    });
    await db.insertInto('coach_standin_participants').values({ standin_id: split, participant_id: chosen }).execute();
  }
  // Logged an hour ago by the owning coach: inside the author's 24-hour edit window.
  const contactMoment = await insertContactMoment(db, {
    participant_id: participant,
    author_id: users.owningCoach.id,
    occurred_at: '2026-11-23T09:00:00+01:00',
    created_at: '2026-11-23T09:00:00+01:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 10,
    summary: 'Gebeld over het rooster',
  });
  const pausedPlacement = await insertPlacement(
    db,
    {
      participant_id: participant,
      employer_id: employer,
      kind: 'volunteering',
      job_title: 'Gastvrouw',
      start_date: '2026-03-01',
      status: 'paused',
      pause_reason: 'Verbouwing',
      paused_since: '2026-10-01',
    },
    { hoursPerWeek: 8 },
  );
  // A quality-review sample of the owning coach's calls, drawn by their manager.
  const reviewSample = await db
    .insertInto('review_samples')
    .values({
      coach_id: users.owningCoach.id,
      drawn_by: users.teamManager.id,
      drawn_at: '2026-11-23T08:00:00+01:00',
      period_days: 30,
      requested_size: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reviewItem = await db
    .insertInto('review_items')
    .values({ sample_id: reviewSample.id, contact_moment_id: contactMoment })
    .returning('id')
    .executeTakeFirstOrThrow();
  const goal = await insertGoal(db, {
    participant_id: participant,
    title: 'Vaste dagstructuur',
    life_domain: 'daily_structure',
    created_by: users.owningCoach.id,
  });
  const organisation = await referralOrganisation(db, 'Schuldhulp Utrecht', 'debt_counselling');
  const referral = await insertReferral(db, {
    participant_id: participant,
    service_kind: 'debt_counselling',
    organisation_id: organisation,
    reason: 'Betalingsachterstand',
    referred_on: '2026-11-02',
    follow_up_on: '2026-11-20',
    created_by: users.owningCoach.id,
  });
  const networkPerson = await insertNetworkPerson(db, {
    participant_id: participant,
    role: 'fixed_contact',
    name: 'Els Maatschappelijk',
    organisation: 'OCMW Gent',
    created_by: users.owningCoach.id,
  });
  const consent = await insertConsent(db, {
    participant_id: participant,
    purpose: 'quality_review',
    given_on: '2026-11-02',
    recorded_by: users.owningCoach.id,
  });
  Object.assign(ids, {
    networkPerson,
    consent,
    commissioner,
    participant,
    otherParticipant,
    trajectory,
    handedOverTrajectory,
    placement,
    employer,
    contact,
    standin,
    contactMoment,
    goal,
    referral,
    organisation,
    pausedPlacement,
    reviewSample: reviewSample.id,
    reviewItem: reviewItem.id,
    spareCoach: spareCoach.id,
    team: (await db.selectFrom('teams').select('id').where('name', '=', 'Team A').executeTakeFirstOrThrow()).id,
  });
  // The owning coach's open question to Team A's managers, and a rubric criterion.
  ids.supportRequest = (
    await db
      .insertInto('support_requests')
      .values({ coach_id: users.owningCoach.id, team_id: ids.team, participant_id: participant, question: 'Hoe verder?' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  ids.criterion = (
    await db.insertInto('review_criteria').values({ label: 'Vatte samen', position: 1 }).returning('id').executeTakeFirstOrThrow()
  ).id;

  agents.set('anonymous', request.agent(t.app));
  for (const who of SIGNED_IN) agents.set(who, await signedInAgent(t.app, users[who as Exclude<Who, 'anonymous'>]));
});
afterAll(() => t.close());

interface Case {
  path: () => string;
  allowed: Who[];
}

const p = () => `/participants/${ids.participant}`;
const reads: Array<[string, Case]> = [
  ["the coach's day", { path: () => '/today', allowed: COACHES }],
  ["the coach's day, what an open page polls", { path: () => '/today/updates', allowed: COACHES }],
  ['own account', { path: () => '/account', allowed: SIGNED_IN }],
  ['ending all other own sessions: confirmation', { path: () => '/account/sessions/end-others', allowed: SIGNED_IN }],
  ['own second factor', { path: () => '/account/security', allowed: SIGNED_IN }],
  ['setting up an authenticator app', { path: () => '/account/security/totp', allowed: SIGNED_IN }],
  ['step-up', { path: () => '/login/step-up?next=/account', allowed: SIGNED_IN }],
  [
    "resetting a person's second factor: confirmation",
    { path: () => `/admin/users/${ids.spareCoach}/second-factor/reset`, allowed: ADMIN },
  ],
  ['participant list', { path: () => '/participants', allowed: SIGNED_IN }],
  ['new participant form', { path: () => '/participants/new', allowed: SIGNED_IN }],
  ['participant profile', { path: p, allowed: CASELOAD }],
  ['participant edit form', { path: () => `${p()}/edit`, allowed: CASELOAD }],
  ['participant close form', { path: () => `${p()}/close`, allowed: CASELOAD }],
  ['new contact form', { path: () => `${p()}/contacts/new`, allowed: CASELOAD }],
  ['contact moment', { path: () => `${p()}/contacts/${ids.contactMoment}`, allowed: CASELOAD }],
  ['new goal form', { path: () => `${p()}/goals/new`, allowed: CASELOAD }],
  ['goal', { path: () => `${p()}/goals/${ids.goal}`, allowed: CASELOAD }],
  ['goal edit form', { path: () => `${p()}/goals/${ids.goal}/edit`, allowed: CASELOAD }],
  ['new referral form', { path: () => `${p()}/referrals/new`, allowed: CASELOAD }],
  ['referral edit form', { path: () => `${p()}/referrals/${ids.referral}/edit`, allowed: CASELOAD }],
  ['risk acknowledge form', { path: () => `${p()}/risk/acknowledge`, allowed: CASELOAD }],
  ['new network person form', { path: () => `${p()}/network/new`, allowed: CASELOAD }],
  ['network person edit form', { path: () => `${p()}/network/${ids.networkPerson}/edit`, allowed: CASELOAD }],
  ['network person end form', { path: () => `${p()}/network/${ids.networkPerson}/end`, allowed: CASELOAD }],
  ['new consent form', { path: () => `${p()}/consents/new`, allowed: CASELOAD }],
  ['consent withdraw form', { path: () => `${p()}/consents/${ids.consent}/withdraw`, allowed: CASELOAD }],
  ['quality review list', { path: () => '/reviews', allowed: ALL_MANAGERS }],
  ['new quality review sample', { path: () => '/reviews/new', allowed: ALL_MANAGERS }],
  ['feedback on my conversations', { path: () => '/reviews/mine', allowed: SIGNED_IN }],
  ['risk dashboard', { path: () => '/dashboard', allowed: SIGNED_IN }],
  ['caseload health', { path: () => '/dashboard/caseloads', allowed: ALL_MANAGERS }],
  // A coach's trend: their own team's manager and administrators; another team's manager gets 404.
  ["a coach's red/amber trend", { path: () => `/dashboard/caseloads/coaches/${users.owningCoach.id}`, allowed: MANAGERS }],
  ['caseload thresholds', { path: () => '/admin/settings/caseloads', allowed: ADMIN }],
  ['risk settings', { path: () => '/admin/settings', allowed: ['admin'] }],
  ['retention periods', { path: () => '/admin/retention', allowed: ADMIN }],
  ['retention dry run', { path: () => '/admin/retention/dry-run', allowed: ADMIN }],
  // The participant is open: the page shows what would go and says to close the file first.
  ['erasure confirmation', { path: () => `${p()}/erase`, allowed: ADMIN }],
  ['trajectory report', { path: () => `${p()}/trajectories/${ids.trajectory}/report`, allowed: CASELOAD }],
  [
    'trajectory report PDF',
    { path: () => `${p()}/trajectories/${ids.trajectory}/report.pdf?from=2026-10-01&to=2026-10-31`, allowed: CASELOAD },
  ],
  ['handover', { path: () => `${p()}/trajectories/${ids.handedOverTrajectory}/handover`, allowed: CASELOAD }],
  ['handover PDF', { path: () => `${p()}/trajectories/${ids.handedOverTrajectory}/handover.pdf`, allowed: CASELOAD }],
  [
    'new trajectory form after a handover',
    { path: () => `${p()}/trajectories/new?after=${ids.handedOverTrajectory}`, allowed: CASELOAD },
  ],
  ['reports page', { path: () => '/reports', allowed: SIGNED_IN }],
  // A manager exports their own team's trajectories (here: none for the other manager, an empty file).
  [
    'period export',
    {
      path: () =>
        `/reports/export?commissionerId=${ids.commissioner}&periodKind=quarter&quarter=2026-Q3&format=csv&separator=semicolon`,
      allowed: ALL_MANAGERS,
    },
  ],
  ['subject-access page', { path: () => `${p()}/subject-access`, allowed: MANAGERS }],
  ['new trajectory form', { path: () => `${p()}/trajectories/new`, allowed: CASELOAD }],
  ['trajectory edit form', { path: () => `${p()}/trajectories/${ids.trajectory}/edit`, allowed: CASELOAD }],
  ['trajectory close form', { path: () => `${p()}/trajectories/${ids.trajectory}/close`, allowed: CASELOAD }],
  ['new placement form', { path: () => `${p()}/placements/new`, allowed: CASELOAD }],
  ['placement edit form', { path: () => `${p()}/placements/${ids.placement}/edit`, allowed: CASELOAD }],
  ['placement pause form', { path: () => `${p()}/placements/${ids.placement}/pause`, allowed: CASELOAD }],
  ['placement hours form', { path: () => `${p()}/placements/${ids.placement}/hours`, allowed: CASELOAD }],
  ['placement end form', { path: () => `${p()}/placements/${ids.placement}/end`, allowed: CASELOAD }],
  ['placement resume form', { path: () => `${p()}/placements/${ids.pausedPlacement}/resume`, allowed: CASELOAD }],
  ['quality review sample', { path: () => `/reviews/${ids.reviewSample}`, allowed: MANAGERS }],
  ['new employer form', { path: () => '/employers/new', allowed: SIGNED_IN }],
  ['new employer contact form', { path: () => `/employers/${ids.employer}/contacts/new`, allowed: SIGNED_IN }],
  ['commissioners', { path: () => '/admin/commissioners', allowed: ADMIN }],
  ['new commissioner form', { path: () => '/admin/commissioners/new', allowed: ADMIN }],
  ['commissioner edit form', { path: () => `/admin/commissioners/${ids.commissioner}/edit`, allowed: ADMIN }],
  ['commissioner deactivate form', { path: () => `/admin/commissioners/${ids.commissioner}/deactivate`, allowed: ADMIN }],
  ['audit log', { path: () => '/admin/audit', allowed: ADMIN }],
  ['import', { path: () => '/admin/import', allowed: ADMIN }],
  ['import template', { path: () => '/admin/import/templates/participants.xlsx', allowed: ADMIN }],
  ['audit log CSV download', { path: () => '/admin/audit/export.csv?action=view', allowed: ADMIN }],
  ['users', { path: () => '/admin/users', allowed: ADMIN }],
  ['invite form', { path: () => '/admin/users/new', allowed: ADMIN }],
  ["a person's page", { path: () => `/admin/users/${ids.spareCoach}`, allowed: ADMIN }],
  ['teams', { path: () => '/admin/teams', allowed: ADMIN }],
  ['a team', { path: () => `/admin/teams/${ids.team}`, allowed: ADMIN }],
  ['user deactivate form', { path: () => `/admin/users/${ids.spareCoach}/deactivate`, allowed: ADMIN }],
  ['employer list', { path: () => '/employers', allowed: SIGNED_IN }],
  // The referral directory: everyone reads and adds; managers and administrators edit.
  ['referral directory', { path: () => '/directory', allowed: SIGNED_IN }],
  ['new directory organisation form', { path: () => '/directory/new', allowed: SIGNED_IN }],
  ['directory organisation edit form', { path: () => `/directory/${ids.organisation}/edit`, allowed: ALL_MANAGERS }],
  ['employer profile', { path: () => `/employers/${ids.employer}`, allowed: SIGNED_IN }],
  ['employer edit form', { path: () => `/employers/${ids.employer}/edit`, allowed: SIGNED_IN }],
  ['employer contact edit form', { path: () => `/employers/${ids.employer}/contacts/${ids.contact}/edit`, allowed: SIGNED_IN }],
  ['stand-in list', { path: () => '/standins', allowed: SIGNED_IN }],
  // Any manager may arrange stand-ins for their own team; the form is not bound to one team.
  ['new stand-in form', { path: () => '/standins/new', allowed: ALL_MANAGERS }],
  ['stand-in cancel form', { path: () => `/standins/${ids.standin}/cancel`, allowed: MANAGERS }],
  // Support questions: a coach of the caseload asks; the asking coach and the managers of their team read.
  ['new support question form', { path: () => `${p()}/support/new`, allowed: CASELOAD_COACHES }],
  ['support questions', { path: () => '/support', allowed: COACHES_AND_MANAGERS }],
  ['a support question', { path: () => `/support/${ids.supportRequest}`, allowed: ['owningCoach', 'teamManager'] }],
  ['review criteria', { path: () => '/admin/review-criteria', allowed: ADMIN }],
  ['review criterion edit form', { path: () => `/admin/review-criteria/${ids.criterion}/edit`, allowed: ADMIN }],
];

// An invalid form for each write: a permitted user gets 422 and nothing is stored.
const writes: Array<[string, Case & { body: Record<string, string> }]> = [
  ['participant create', { path: () => '/participants', allowed: SIGNED_IN, body: { firstName: '' } }],
  ['own password', { path: () => '/account/password', allowed: SIGNED_IN, body: { currentPassword: '', newPassword: 'x' } }],
  ['own new passkey', { path: () => '/account/passkeys', allowed: SIGNED_IN, body: { name: '', credential: '' } }],
  ['authenticator app confirmation', { path: () => '/account/security/totp', allowed: SIGNED_IN, body: { code: '' } }],
  ['step-up code', { path: () => '/login/step-up', allowed: SIGNED_IN, body: { code: '', next: '/account' } }],
  [
    'placement resume',
    { path: () => `${p()}/placements/${ids.pausedPlacement}/resume`, allowed: CASELOAD, body: { resumedOn: 'x', version: '1' } },
  ],
  [
    'quality review feedback',
    { path: () => `/reviews/${ids.reviewSample}/items/${ids.reviewItem}`, allowed: MANAGERS, body: { feedback: '' } },
  ],
  ['employer create', { path: () => '/employers', allowed: SIGNED_IN, body: { name: '' } }],
  ['directory organisation create', { path: () => '/directory/new', allowed: SIGNED_IN, body: { name: '' } }],
  [
    'directory organisation edit',
    { path: () => `/directory/${ids.organisation}/edit`, allowed: ALL_MANAGERS, body: { name: '', version: '1' } },
  ],
  ['employer contact create', { path: () => `/employers/${ids.employer}/contacts`, allowed: SIGNED_IN, body: { name: '' } }],
  ['commissioner create', { path: () => '/admin/commissioners', allowed: ADMIN, body: { name: '' } }],
  [
    'commissioner edit',
    { path: () => `/admin/commissioners/${ids.commissioner}/edit`, allowed: ADMIN, body: { name: '', version: '1' } },
  ],
  ['risk settings', { path: () => '/admin/settings', allowed: ADMIN, body: { lastReachedAmberDays: 'x', version: '1' } }],
  ['caseload thresholds', { path: () => '/admin/settings/caseloads', allowed: ADMIN, body: { redMax: 'x', version: '1' } }],
  ['retention periods', { path: () => '/admin/retention', allowed: ADMIN, body: { closedFilesMonths: 'x', version: '1' } }],
  ['erasure on request', { path: () => `${p()}/erase`, allowed: ADMIN, body: { reason: '' } }],
  ['invite', { path: () => '/admin/users', allowed: ADMIN, body: { displayName: '', email: 'x' } }],
  ['person edit', { path: () => `/admin/users/${ids.spareCoach}`, allowed: ADMIN, body: { displayName: '', version: '1' } }],
  ['team create', { path: () => '/admin/teams', allowed: ADMIN, body: { name: '' } }],
  ['team rename', { path: () => `/admin/teams/${ids.team}`, allowed: ADMIN, body: { name: '', version: '1' } }],
  ['participant edit', { path: () => `${p()}/edit`, allowed: CASELOAD, body: { firstName: '', version: '1' } }],
  ['participant close', { path: () => `${p()}/close`, allowed: CASELOAD, body: { closedOn: 'not a date', version: '1' } }],
  ['contact create', { path: () => `${p()}/contacts/new`, allowed: CASELOAD, body: { outcome: 'reached', summary: '' } }],
  ['contact addendum', { path: () => `${p()}/contacts/${ids.contactMoment}/addenda`, allowed: CASELOAD, body: { body: '' } }],
  ['goal create', { path: () => `${p()}/goals/new`, allowed: CASELOAD, body: { title: '' } }],
  ['goal edit', { path: () => `${p()}/goals/${ids.goal}/edit`, allowed: CASELOAD, body: { title: '', version: '1' } }],
  [
    'goal progress',
    {
      path: () => `${p()}/goals/${ids.goal}/progress`,
      allowed: CASELOAD,
      body: { status: 'in_progress', note: '', version: '1' },
    },
  ],
  ['referral create', { path: () => `${p()}/referrals/new`, allowed: CASELOAD, body: { organisationId: '' } }],
  ['risk acknowledge', { path: () => `${p()}/risk/acknowledge`, allowed: CASELOAD, body: { note: '' } }],
  ['network person create', { path: () => `${p()}/network/new`, allowed: CASELOAD, body: { name: '' } }],
  [
    'network person edit',
    { path: () => `${p()}/network/${ids.networkPerson}/edit`, allowed: CASELOAD, body: { name: '', version: '1' } },
  ],
  [
    'network person end',
    { path: () => `${p()}/network/${ids.networkPerson}/end`, allowed: CASELOAD, body: { endedOn: 'x', version: '1' } },
  ],
  ['consent record', { path: () => `${p()}/consents/new`, allowed: CASELOAD, body: { purpose: 'x' } }],
  [
    'consent withdraw',
    { path: () => `${p()}/consents/${ids.consent}/withdraw`, allowed: CASELOAD, body: { withdrawnOn: 'x', version: '1' } },
  ],
  ['quality review sample', { path: () => '/reviews/new', allowed: ALL_MANAGERS, body: { size: '0' } }],
  [
    'referral edit',
    { path: () => `${p()}/referrals/${ids.referral}/edit`, allowed: CASELOAD, body: { organisationId: '', version: '1' } },
  ],
  ['trajectory create', { path: () => `${p()}/trajectories/new`, allowed: CASELOAD, body: { startDate: 'not a date' } }],
  [
    'trajectory report narrative',
    {
      path: () => `${p()}/trajectories/${ids.trajectory}/report/narrative`,
      allowed: CASELOAD,
      body: { from: '2026-10-01', to: '2026-10-31', version: '0', progress: 'x'.repeat(5001), nextSteps: '' },
    },
  ],
  [
    'trajectory edit',
    { path: () => `${p()}/trajectories/${ids.trajectory}/edit`, allowed: CASELOAD, body: { startDate: 'x', version: '1' } },
  ],
  [
    'trajectory close',
    { path: () => `${p()}/trajectories/${ids.trajectory}/close`, allowed: CASELOAD, body: { endDate: 'x', version: '1' } },
  ],
  ['placement create', { path: () => `${p()}/placements/new`, allowed: CASELOAD, body: { jobTitle: '' } }],
  [
    'placement edit',
    { path: () => `${p()}/placements/${ids.placement}/edit`, allowed: CASELOAD, body: { jobTitle: '', version: '1' } },
  ],
  [
    'placement pause',
    { path: () => `${p()}/placements/${ids.placement}/pause`, allowed: CASELOAD, body: { reason: '', version: '1' } },
  ],
  [
    'placement hours',
    { path: () => `${p()}/placements/${ids.placement}/hours`, allowed: CASELOAD, body: { hoursPerWeek: '99', version: '1' } },
  ],
  [
    'placement end',
    { path: () => `${p()}/placements/${ids.placement}/end`, allowed: CASELOAD, body: { endDate: 'x', version: '1' } },
  ],
  ['employer edit', { path: () => `/employers/${ids.employer}/edit`, allowed: SIGNED_IN, body: { name: '', version: '1' } }],
  [
    'employer contact edit',
    {
      path: () => `/employers/${ids.employer}/contacts/${ids.contact}/edit`,
      allowed: SIGNED_IN,
      body: { name: '', version: '1' },
    },
  ],
  ['stand-in create', { path: () => '/standins/new', allowed: ALL_MANAGERS, body: { startsOn: 'x' } }],
  ['support question', { path: () => `${p()}/support/new`, allowed: CASELOAD_COACHES, body: { question: '' } }],
  ['support answer', { path: () => `/support/${ids.supportRequest}/answer`, allowed: ['teamManager'], body: { answer: '' } }],
  ['review criterion create', { path: () => '/admin/review-criteria', allowed: ADMIN, body: { label: '' } }],
  [
    'review criterion edit',
    { path: () => `/admin/review-criteria/${ids.criterion}/edit`, allowed: ADMIN, body: { label: '', version: '1' } },
  ],
];

describe.each(reads)('GET %s', (_name, route) => {
  test.each(EVERYONE)('as %s', async (who) => {
    const response = await agents.get(who)!.get(route.path());
    if (who === 'anonymous') {
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/login\?next=/);
    } else {
      expect(response.status).toBe(route.allowed.includes(who) ? 200 : 404);
    }
  });
});

describe.each(writes)('POST %s', (_name, route) => {
  test.each(EVERYONE)('as %s', async (who) => {
    const agent = agents.get(who)!;
    const token = who === 'anonymous' ? '' : await csrfToken(agent, '/account');
    const before = await snapshot();
    const response = await agent
      .post(route.path())
      .type('form')
      .send({ ...route.body, _csrf: token });
    if (who === 'anonymous') {
      expect([303, 403]).toContain(response.status);
    } else {
      expect(response.status).toBe(route.allowed.includes(who) ? 422 : 404);
    }
    expect(await snapshot()).toBe(before);
  });
});

test('a valid write by someone outside the caseload changes nothing', async () => {
  const before = await snapshot();
  for (const who of ['otherCoach', 'standInPast', 'otherSplitStandIn', 'otherManager'] as const) {
    const agent = agents.get(who)!;
    const token = await csrfToken(agent, '/account');
    const response = await agent.post(`${p()}/edit`).type('form').send({
      _csrf: token,
      firstName: 'Overgenomen',
      lastName: 'Matrix',
      preferredChannel: 'phone',
      status: 'active',
      version: '1',
    });
    expect(response.status).toBe(404);
  }
  expect(await snapshot()).toBe(before);
});

test("the split stand-in's two parts: each colleague reaches the participant chosen for them, not the other's", async () => {
  const profile = async (who: Who, participant: number) => (await agents.get(who)!.get(`/participants/${participant}`)).status;
  expect([await profile('splitStandIn', ids.participant), await profile('splitStandIn', ids.otherParticipant)]).toEqual([
    200, 404,
  ]);
  expect([await profile('otherSplitStandIn', ids.participant), await profile('otherSplitStandIn', ids.otherParticipant)]).toEqual(
    [404, 200],
  );
});

test('only the team manager and an admin may cancel a stand-in; anyone else gets 404 and nothing changes', async () => {
  for (const who of ['owningCoach', 'standInNow', 'otherCoach', 'otherManager'] as const) {
    const agent = agents.get(who)!;
    const token = await csrfToken(agent, '/account');
    const before = await snapshot();
    const response = await agent.post(`/standins/${ids.standin}/cancel`).type('form').send({ _csrf: token });
    expect(response.status).toBe(404);
    expect(await snapshot()).toBe(before);
  }
});

test.each(SIGNED_IN)('the subject-access download as %s: the responsible manager and an admin only', async (who) => {
  const agent = agents.get(who)!;
  const token = await csrfToken(agent, '/account');
  const before = await snapshot();
  const response = await agent
    .post(`${p()}/subject-access`)
    .type('form')
    .send({ _csrf: token })
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  if (MANAGERS.includes(who)) {
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
  } else {
    expect(response.status).toBe(404);
  }
  expect(await snapshot()).toBe(before);
});

describe('editing a contact moment: only its author, within 24 hours', () => {
  // Others with access to the participant get the contact page with a pointer to the addendum
  // form (409); people without access get 404.
  const expected = (who: Who): number =>
    who === 'owningCoach' ? 0 : ['standInNow', 'splitStandIn', 'teamManager', 'admin'].includes(who) ? 409 : 404;

  test.each(SIGNED_IN)('GET the edit form as %s', async (who) => {
    const response = await agents.get(who)!.get(`${p()}/contacts/${ids.contactMoment}/edit`);
    expect(response.status).toBe(expected(who) || 200);
  });

  test.each(SIGNED_IN)('POST an invalid edit as %s', async (who) => {
    const agent = agents.get(who)!;
    const token = await csrfToken(agent, '/account');
    const before = await snapshot();
    const response = await agent
      .post(`${p()}/contacts/${ids.contactMoment}/edit`)
      .type('form')
      .send({ _csrf: token, outcome: 'reached', summary: '', version: '1' });
    expect(response.status).toBe(expected(who) || 422);
    expect(await snapshot()).toBe(before);
  });
});

// The cases above and the tests that check a route on their own: together they must name every
// route of the app's route table, so a new route cannot go unchecked.
const checkedOnTheirOwn: Array<['GET' | 'POST', () => string]> = [
  // Single sign-on (public): see 'single sign-on's routes' below.
  ['GET', () => '/login/oidc'],
  ['GET', () => '/login/oidc/callback'],
  ['GET', () => '/login/oidc/step-up'],
  ['GET', () => '/'],
  ['POST', () => '/account/sessions/end-others'],
  ['POST', () => `/account/sessions/${SOME_HANDLE}/end`],
  ['POST', () => `/admin/commissioners/${ids.commissioner}/deactivate`],
  ['POST', () => `/admin/commissioners/${ids.commissioner}/reactivate`],
  ['POST', () => `/admin/users/${ids.spareCoach}/deactivate`],
  ['POST', () => `/admin/users/${ids.spareCoach}/reactivate`],
  ['POST', () => `/admin/users/${ids.spareCoach}/password-link`],
  ['POST', () => `/admin/users/${ids.spareCoach}/sessions/end`],
  ['POST', () => `/standins/${ids.standin}/cancel`],
  ['POST', () => `${p()}/subject-access`],
  ['GET', () => `${p()}/contacts/${ids.contactMoment}/edit`],
  ['POST', () => `${p()}/contacts/${ids.contactMoment}/edit`],
  ['POST', () => '/account/mail'],
  ['POST', () => '/admin/settings/mail-test'],
  // The second factor's pages that answer a redirect to a person without one: see 'the second factor' below.
  ['GET', () => '/account/security/totp/disable'],
  ['POST', () => '/account/security/totp/disable'],
  ['GET', () => '/account/security/recovery-codes'],
  ['POST', () => '/account/security/recovery-codes'],
  ['POST', () => `/admin/users/${ids.spareCoach}/second-factor/reset`],
  // One's own calendar feed, and the feed address itself (public): see 'the calendar feed' below.
  ['POST', () => '/account/calendar-feed'],
  ['GET', () => '/account/calendar-feed/regenerate'],
  ['GET', () => '/account/calendar-feed/revoke'],
  ['POST', () => '/account/calendar-feed/revoke'],
  ['GET', () => `/calendar/${'A'.repeat(43)}.ics`],
  // "Followed up" has no form to refuse: see 'a referral's follow-up done' below.
  ['POST', () => `${p()}/referrals/${ids.referral}/follow-up-done`],
  // The import's own steps: see 'the import' below.
  ['POST', () => '/admin/import'],
  ['GET', () => '/admin/import/preview'],
  ['POST', () => '/admin/import/mapping'],
  ['POST', () => '/admin/import/run'],
  ['POST', () => '/admin/import/discard'],
  ['GET', () => '/admin/import/batches/1'],
  ['GET', () => '/admin/import/batches/1/undo'],
  ['POST', () => '/admin/import/batches/1/undo'],
  // One's own passkeys, and step-up with one: see 'own passkeys' below.
  ['POST', () => '/account/passkeys/options'],
  ['POST', () => '/login/step-up/passkey/options'],
  ['POST', () => '/login/step-up/passkey'],
  ['GET', () => `/account/passkeys/${passkeyId}/rename`],
  ['POST', () => `/account/passkeys/${passkeyId}/rename`],
  ['GET', () => `/account/passkeys/${passkeyId}/remove`],
  ['POST', () => `/account/passkeys/${passkeyId}/remove`],
];

// The import (src/imports): administrators only. Everyone else gets 404 for every step and
// changes nothing, a signed-out visitor the sign-in page or 403; an administrator without an
// uploaded file is sent back to the upload form, and sees and undoes a batch.
describe('the import', () => {
  let batchId: number;
  /** The stored data before the batch's employer: its undo brings it back to exactly this. */
  let baseline: string;
  const steps = (): Array<['get' | 'post', string]> => [
    ['post', '/admin/import'],
    ['get', '/admin/import/preview'],
    ['post', '/admin/import/mapping'],
    ['post', '/admin/import/run'],
    ['post', '/admin/import/discard'],
    ['get', `/admin/import/batches/${batchId}`],
    ['get', `/admin/import/batches/${batchId}/undo`],
    ['post', `/admin/import/batches/${batchId}/undo`],
  ];
  const batchStatus = async () =>
    (await t.database.db.selectFrom('import_batches').select('status').where('id', '=', batchId).executeTakeFirstOrThrow())
      .status;

  beforeAll(async () => {
    baseline = await snapshot();
    const row = await t.database.db
      .insertInto('import_batches')
      .values({ user_id: users.admin.id, kind: 'employers', file_name: 'een.csv', status: 'published', started_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    batchId = row.id;
    // The batch created one employer: a batch that created and changed nothing has no undo.
    const employer = await t.database.db
      .insertInto('employers')
      .values({ name: 'Geïmporteerd BV', sector: 'other' })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('import_batch_records')
      .values({
        batch_id: batchId,
        entity_type: 'employer',
        entity_id: employer.id,
        action: 'create',
        version_after: employer.version,
      })
      .execute();
  });

  test.each(EVERYONE.filter((who) => who !== 'admin'))('every step is refused to %s, changing nothing', async (who) => {
    const agent = agents.get(who)!;
    const token = who === 'anonymous' ? '' : await csrfToken(agent, '/account');
    const before = await snapshot();
    for (const [method, path] of steps()) {
      const response =
        method === 'get'
          ? await agent.get(path)
          : await agent
              .post(`${path}?_csrf=${encodeURIComponent(token)}`)
              .type('form')
              .send({ _csrf: token, kind: 'employers' });
      if (who === 'anonymous') expect([303, 403]).toContain(response.status);
      else expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    expect(await snapshot()).toBe(before);
    expect(await batchStatus()).toBe('published');
  });

  test('an administrator goes through them', async () => {
    const agent = agents.get('admin')!;
    const token = await csrfToken(agent, '/account');
    const before = await snapshot();
    const preview = await agent.get('/admin/import/preview');
    expect([preview.status, preview.headers.location]).toEqual([303, '/admin/import?done=expired']);
    const notMultipart = await agent.post('/admin/import').type('form').send({ _csrf: token, kind: 'employers' });
    expect(notMultipart.status).toBe(400);
    for (const path of ['/admin/import/run', '/admin/import/mapping']) {
      const response = await agent.post(path).type('form').send({ _csrf: token });
      expect([path, response.status, response.headers.location]).toEqual([path, 303, '/admin/import?done=expired']);
    }
    expect((await agent.get(`/admin/import/batches/${batchId}`)).status).toBe(200);
    expect((await agent.get(`/admin/import/batches/${batchId}/undo`)).status).toBe(200);
    expect((await agent.get('/admin/import/batches/999999')).status).toBe(404);
    const undone = await agent.post(`/admin/import/batches/${batchId}/undo`).type('form').send({ _csrf: token });
    expect(undone.status).toBe(303);
    expect(await batchStatus()).toBe('undone');
    expect(await snapshot()).not.toBe(before);
    expect(await snapshot()).toBe(baseline);
  });
});

// One's own passkeys (src/passkeys): everyone starts a registration of their own (after a step-up when
// they already have a factor); a passkey's pages
// and changes are its owner's only (the admin here): anyone else gets 404 and nothing changes.
let passkeyId = 0;
describe('own passkeys', () => {
  beforeAll(async () => {
    const row = await t.database.db
      .insertInto('passkeys')
      .values({
        user_id: users.admin.id,
        credential_id: 'bWF0cml4LXBhc3NrZXk',
        public_key: Buffer.from('not a key'),
        user_handle: 'aGFuZGxl',
        name: 'Sleutel',
        device_type: 'singleDevice',
        backed_up: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    passkeyId = row.id;
  });
  // The admin's passkey is a second factor: gone after these tests, so the admin's later writes need no step-up.
  afterAll(async () => {
    await t.database.db.deleteFrom('passkeys').where('id', '=', passkeyId).execute();
  });
  const stored = () => t.database.db.selectFrom('passkeys').select(['id', 'name']).where('id', '=', passkeyId).execute();

  test.each(SIGNED_IN)('as %s', async (who) => {
    const agent = agents.get(who)!;
    const owner = who === 'admin';
    const token = await csrfToken(agent, '/account');
    const options = await agent.post('/account/passkeys/options').set('X-CSRF-Token', token);
    if (owner) {
      // Someone who has a factor gives it again before adding another (not since sign-in here).
      expect(options.status).toBe(303);
      expect(options.headers.location).toMatch(/^\/login\/step-up\?next=/);
    } else {
      expect(options.status).toBe(200);
      expect(options.body).toHaveProperty('challenge');
    }
    // Step-up offers the person's own passkeys only (none but the admin's here), and refuses a made-up answer.
    const stepUp = await agent.post('/login/step-up/passkey/options').set('X-CSRF-Token', token);
    expect(stepUp.status).toBe(200);
    expect((stepUp.body as { allowCredentials: unknown[] }).allowCredentials).toHaveLength(owner ? 1 : 0);
    const answer = await agent
      .post('/login/step-up/passkey')
      .type('form')
      .send({ _csrf: token, credential: '{}', next: '/account' });
    expect(answer.status).toBe(401);
    expect((await agent.get(`/account/passkeys/${passkeyId}/rename`)).status).toBe(owner ? 200 : 404);
    expect((await agent.get(`/account/passkeys/${passkeyId}/remove`)).status).toBe(owner ? 200 : 404);
    const rename = await agent
      .post(`/account/passkeys/${passkeyId}/rename`)
      .type('form')
      .send({ _csrf: token, name: owner ? '' : 'Overgenomen' });
    expect(rename.status).toBe(owner ? 422 : 404);
    if (!owner) {
      const remove = await agent.post(`/account/passkeys/${passkeyId}/remove`).type('form').send({ _csrf: token });
      expect(remove.headers.location).toBe('/account/security?done=passkeyGone#passkeys');
    }
    expect(await stored()).toEqual([{ id: passkeyId, name: 'Sleutel' }]);
  });

  test('anonymous: refused without a form token, sent to sign in with one', async () => {
    const agent = agents.get('anonymous')!;
    for (const path of [
      '/account/passkeys/options',
      `/account/passkeys/${passkeyId}/rename`,
      `/account/passkeys/${passkeyId}/remove`,
      '/login/step-up/passkey/options',
      '/login/step-up/passkey',
    ]) {
      expect((await agent.post(path).type('form').send({ name: 'x' })).status).toBe(403);
      const token = await csrfToken(agent, '/login');
      const signedOut = await agent.post(path).type('form').send({ _csrf: token, name: 'x' });
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toBe('/login');
    }
    expect(await stored()).toEqual([{ id: passkeyId, name: 'Sleutel' }]);
  });
});

// A date other than the stored one changes nothing, so a permitted person is sent back (303) and an
// unpermitted one gets 404; the stored follow-up date stays for both.
test.each(EVERYONE)("a referral's follow-up done as %s: the caseload's people only", async (who) => {
  const agent = agents.get(who)!;
  const token = who === 'anonymous' ? '' : await csrfToken(agent, '/account');
  const before = await snapshot();
  const response = await agent
    .post(`${p()}/referrals/${ids.referral}/follow-up-done`)
    .type('form')
    .send({ _csrf: token, followUpOn: '2026-11-19', returnTo: 'today' });
  if (who === 'anonymous') expect([303, 403]).toContain(response.status);
  else expect(response.status).toBe(CASELOAD.includes(who) ? 303 : 404);
  expect(await snapshot()).toBe(before);
});

// Single sign-on's routes are public: a signed-out visitor leaves for the provider (here one that
// cannot be reached, which the sign-in page says); a signed-in person goes on to where they were
// going. A callback that belongs to no sign-in started in this browser signs nobody in, and changes nothing.
test.each(EVERYONE)("single sign-on's routes as %s", async (who) => {
  const agent = agents.get(who)!;
  const before = await snapshot();
  const start = await agent.get('/login/oidc?next=/account');
  expect(start.status).toBe(303);
  expect(start.headers.location).toBe(who === 'anonymous' ? '/login?sso=providerError' : '/account');
  const callback = await agent.get('/login/oidc/callback?code=stolen&state=guessed');
  expect(callback.status).toBe(303);
  expect(callback.headers.location).toBe('/login?sso=wrongState');
  expect((await agent.get('/account')).status).toBe(who === 'anonymous' ? 303 : 200);
  // Step-up at the provider: for everyone signed in (the provider cannot be reached: the page says so).
  const stepUp = await agent.get('/login/oidc/step-up?next=/account');
  expect(stepUp.status).toBe(303);
  expect(stepUp.headers.location).toMatch(
    who === 'anonymous' ? /^\/login\?next=/ : /^\/login\/oidc\/step-up\?next=%2Faccount&failed=providerError$/,
  );
  if (who !== 'anonymous') expect((await agent.get(stepUp.headers.location as string)).status).toBe(502);
  expect(await snapshot()).toBe(before);
});

// Nobody here has a second factor: its own pages send a signed-in person back to /account/security,
// and an administrator's reset of the spare coach's finds nothing to reset; anyone else of another
// role gets 404, anonymous the sign-in page (or 403 without a form token). Nothing changes.
test.each(EVERYONE)('the second factor as %s: own pages, and the reset for administrators only', async (who) => {
  const agent = agents.get(who)!;
  const token = who === 'anonymous' ? '' : await csrfToken(agent, '/account');
  const before = await snapshot();
  const factorRows = () => t.database.db.selectFrom('recovery_codes').select('id').execute();
  for (const path of ['/account/security/totp/disable', '/account/security/recovery-codes']) {
    const read = await agent.get(path);
    expect(read.status).toBe(303);
    expect(read.headers.location).toMatch(who === 'anonymous' ? /^\/login\?next=/ : /^\/account\/security$/);
    const write = await agent.post(path).type('form').send({ _csrf: token });
    if (who === 'anonymous') expect([303, 403]).toContain(write.status);
    else expect(write.headers.location).toBe('/account/security');
  }
  const reset = await agent.post(`/admin/users/${ids.spareCoach}/second-factor/reset`).type('form').send({ _csrf: token });
  if (who === 'anonymous') expect([303, 403]).toContain(reset.status);
  else if (who === 'admin') expect(reset.headers.location).toBe(`/admin/users/${ids.spareCoach}?done=nothingToReset`);
  else expect(reset.status).toBe(404);
  expect(await factorRows()).toEqual([]);
  expect(await snapshot()).toBe(before);
});

test('every route of the route table is in this matrix', () => {
  const checked = [
    ...reads.map(([, route]) => ['GET', route.path()] as const),
    ...writes.map(([, route]) => ['POST', route.path()] as const),
    ...checkedOnTheirOwn.map(([method, path]) => [method, path()] as const),
  ].map(([method, url]) => `${method} ${url.split('?')[0]}`);
  // A URL counts for the route Express would give it: the first of the table that matches.
  const patternOf = (route: (typeof routeTable)[number]) =>
    new RegExp(`^${route.method.toUpperCase()} ${route.path.replace(/:\w+/g, '[^/]+').replace(/\./g, '\\.')}$`);
  const covered = new Set(checked.map((line) => routeTable.find((route) => patternOf(route).test(line))));
  const unchecked = routeTable
    .filter((route) => route.access !== 'public' && !covered.has(route))
    .map((route) => `${route.method.toUpperCase()} ${route.path}`);
  expect(unchecked).toEqual([]);
});

// Ending sessions: everyone may end their own, nobody anyone else's (a handle of another person's
// session changes nothing); a signed-out visitor without a form token is refused.
const SOME_HANDLE = '00000000-0000-4000-8000-000000000000';
describe('ending own sessions', () => {
  const sessionsOf = async (userId: number) =>
    (await t.database.db.selectFrom('sessions').select('handle').where('user_id', '=', userId).execute()).map(
      (row) => row.handle,
    );

  test.each(SIGNED_IN)("as %s: another person's session stays, one's own stays signed in", async (who) => {
    const agent = agents.get(who)!;
    const other = who === 'admin' ? users.owningCoach : users.admin;
    const [theirs] = await sessionsOf(other.id);
    const token = await csrfToken(agent, '/account');
    const one = await agent.post(`/account/sessions/${theirs}/end`).type('form').send({ _csrf: token });
    expect(one.status).toBe(303);
    expect(one.headers.location).toBe('/account?done=sessionGone#sessions');
    const others = await agent.post('/account/sessions/end-others').type('form').send({ _csrf: token });
    expect(others.status).toBe(303);
    expect(await sessionsOf(other.id)).toEqual([theirs]);
    expect((await agent.get('/account')).status).toBe(200);
  });

  test('anonymous: refused without a form token, sent to sign in with one', async () => {
    const agent = agents.get('anonymous')!;
    for (const path of ['/account/sessions/end-others', `/account/sessions/${SOME_HANDLE}/end`]) {
      expect((await agent.post(path).type('form').send({})).status).toBe(403);
      const token = await csrfToken(agent, '/login');
      const signedOut = await agent.post(path).type('form').send({ _csrf: token });
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toBe('/login');
    }
  });
});

// Mail (src/mail): everyone chooses their own digests (a checkbox form has nothing invalid to
// send); only an administrator sends a test mail (here without mail configured: it says so).
test.each(SIGNED_IN)("mail settings as %s: one's own digests; the test mail for an administrator only", async (who) => {
  const agent = agents.get(who)!;
  const token = await csrfToken(agent, '/account');
  const own = await agent.post('/account/mail').type('form').send({ _csrf: token, daily: 'on', weekly: 'on' });
  expect(own.status).toBe(303);
  expect(own.headers.location).toBe('/account?done=mail#mail');
  const test = await agent.post('/admin/settings/mail-test').type('form').send({ _csrf: token });
  expect(test.status).toBe(ADMIN.includes(who) ? 303 : 404);
  if (ADMIN.includes(who)) expect(test.headers.location).toBe('/admin/settings?mailTest=notConfigured#mail');
});

test('mail settings signed out: refused without a form token, sent to sign in with one', async () => {
  const agent = agents.get('anonymous')!;
  for (const path of ['/account/mail', '/admin/settings/mail-test']) {
    expect((await agent.post(path).type('form').send({})).status).toBe(403);
    const token = await csrfToken(agent, '/login');
    const signedOut = await agent.post(path).type('form').send({ _csrf: token });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toBe('/login');
  }
});

test.each(SIGNED_IN)('the start page sends %s to the home of their role', async (who) => {
  const response = await agents.get(who)!.get('/');
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe(COACHES.includes(who) ? '/today' : '/dashboard');
});

describe.each([
  ['commissioner', () => `/admin/commissioners/${ids.commissioner}`, 'commissioners', () => ids.commissioner],
  ['user', () => `/admin/users/${ids.spareCoach}`, 'users', () => ids.spareCoach],
] as const)('deactivating and reactivating a %s', (_name, base, table, id) => {
  const active = async () =>
    (await t.database.db.selectFrom(table).select('active').where('id', '=', id()).executeTakeFirstOrThrow()).active;

  test.each(SIGNED_IN.filter((who) => who !== 'admin'))('is refused to %s with 404, changing nothing', async (who) => {
    const agent = agents.get(who)!;
    const token = await csrfToken(agent, '/account');
    for (const action of ['deactivate', 'reactivate']) {
      const response = await agent.post(`${base()}/${action}`).type('form').send({ _csrf: token });
      expect(response.status).toBe(404);
    }
    expect(await active()).toBe(true);
  });

  test('is done by an administrator', async () => {
    const agent = agents.get('admin')!;
    const token = await csrfToken(agent, '/account');
    expect((await agent.post(`${base()}/deactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect(await active()).toBe(false);
    expect((await agent.post(`${base()}/reactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect(await active()).toBe(true);
  });
});

describe.each([
  ['a new set-password link', 'password-link', 'set_password_links'],
  ['signing out everywhere', 'sessions/end', 'audit_events'],
] as const)('%s for a person: only an administrator', (_name, action, table) => {
  const rows = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);

  test.each(SIGNED_IN.filter((who) => who !== 'admin'))('is refused to %s with 404, changing nothing', async (who) => {
    const agent = agents.get(who)!;
    const token = await csrfToken(agent, '/account');
    const before = await rows();
    const response = await agent.post(`/admin/users/${ids.spareCoach}/${action}`).type('form').send({ _csrf: token });
    expect(response.status).toBe(404);
    expect(await rows()).toBe(before);
  });

  test('is done by an administrator', async () => {
    const agent = agents.get('admin')!;
    const token = await csrfToken(agent, '/account');
    const before = await rows();
    const response = await agent.post(`/admin/users/${ids.spareCoach}/${action}`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(await rows()).toBeGreaterThan(before);
  });
});

// One's own calendar feed: every signed-in person has one address of their own (the confirmations
// lead back to /account while there is none); the address itself is public, its token the only key,
// so it answers the same whoever asks, and nothing of participant data changes on the way.
describe('the calendar feed', () => {
  const feedOf = async (who: Exclude<Who, 'anonymous'>) =>
    t.database.db.selectFrom('calendar_feeds').select('user_id').where('user_id', '=', users[who].id).executeTakeFirst();

  test.each(SIGNED_IN)('as %s: only their own address is made, read and revoked', async (who) => {
    const agent = agents.get(who)!;
    const self = who as Exclude<Who, 'anonymous'>;
    const before = await snapshot();
    for (const page of ['/account/calendar-feed/regenerate', '/account/calendar-feed/revoke']) {
      expect((await agent.get(page)).headers.location).toBe('/account#calendar');
    }
    const token = await csrfToken(agent, '/account');
    const created = await agent.post('/account/calendar-feed').type('form').send({ _csrf: token });
    expect(created.status).toBe(200);
    const path = new URL(/id="calendar-address"[^>]*>([^<]+)<\/textarea>/.exec(created.text)![1]!).pathname;
    expect(await feedOf(self)).toEqual({ user_id: users[self].id });
    for (const page of ['/account/calendar-feed/regenerate', '/account/calendar-feed/revoke']) {
      expect((await agent.get(page)).status).toBe(200);
    }
    // Whoever asks (signed out, or signed in as someone else), the address answers the same.
    for (const reader of ['anonymous', who === 'admin' ? 'otherCoach' : 'admin'] as const) {
      const feed = await agents.get(reader)!.get(path);
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    }
    const revoked = await agent.post('/account/calendar-feed/revoke').type('form').send({ _csrf: token });
    expect(revoked.status).toBe(303);
    expect(await feedOf(self)).toBeUndefined();
    expect((await agents.get('anonymous')!.get(path)).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  test('signed out: the account pages send to sign-in, the posts are refused without a form token', async () => {
    const agent = agents.get('anonymous')!;
    for (const page of ['/account/calendar-feed/regenerate', '/account/calendar-feed/revoke']) {
      const response = await agent.get(page);
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/login\?next=/);
    }
    for (const path of ['/account/calendar-feed', '/account/calendar-feed/revoke']) {
      expect((await agent.post(path).type('form').send({})).status).toBe(403);
      const token = await csrfToken(agent, '/login');
      const signedOut = await agent.post(path).type('form').send({ _csrf: token });
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toBe('/login');
    }
    expect(await t.database.db.selectFrom('calendar_feeds').selectAll().execute()).toEqual([]);
  });

  test('an address that names no feed is a 404 for everyone', async () => {
    for (const who of EVERYONE) {
      expect((await agents.get(who)!.get(`/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
    }
  });
});
