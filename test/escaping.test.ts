import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from './helpers/app';
import {
  insertCommissioner,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
  insertContactMoment,
  insertGoal,
  insertReferral,
} from './helpers/fixtures';

// A participant and an employer whose names are markup render as text on every page that shows
// them: never as tags, never breaking out of an attribute.

const SCRIPT_NAME = '<script>alert(1)</script>';
const EMPLOYER_NAME = `Bakker & Zn "De Korst" <b>'t Hoekje</b>`;

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
};

beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '1000' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team <i>Noord</i>' });
  admin = await createTestUser(t.database, { role: 'admin' });
  const db = t.database.db;
  const commissioner = await insertCommissioner(db, { name: 'Gemeente "Oost" & <u>West</u>', kind: 'municipality' });
  const participant = await insertParticipant(db, {
    first_name: SCRIPT_NAME,
    last_name: `O'Neil "&" <img src=x onerror=alert(2)>`,
    coach_id: coach.id,
    status: 'active',
    phone: '06 12345678',
    language_support: '<b>tolk</b>',
    external_reference: '"><script>alert(3)</script>',
  });
  const trajectory = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    reference: '<script>ref</script>',
    start_date: '2026-01-05',
    granted_hours: 20,
  });
  const employer = await insertEmployer(db, { name: EMPLOYER_NAME, sector: 'hospitality', notes: '<script>n</script>' });
  const contact = await insertContact(db, {
    employer_id: employer,
    name: '<script>contact</script>',
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
      job_title: '<script>job</script>',
      start_date: '2026-02-01',
      status: 'paused',
      pause_reason: '<script>reason</script>',
      paused_since: '2026-10-01',
    },
    { hoursPerWeek: 40, note: '<script>note</script>' },
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
    summary: '<script>summary</script> "quoted" & more',
    next_contact_date: '2026-11-22',
  });
  await db
    .insertInto('contact_addenda')
    .values({ contact_moment_id: contactMoment, author_id: coach.id, body: '<script>addendum</script>' })
    .execute();
  const goal = await insertGoal(db, {
    participant_id: participant,
    title: '<script>goal</script>',
    description: '<script>description</script>',
    life_domain: 'work',
    created_by: coach.id,
  });
  await db.insertInto('goal_contact_links').values({ goal_id: goal, contact_moment_id: contactMoment }).execute();
  await db
    .insertInto('goal_progress')
    .values({ goal_id: goal, author_id: coach.id, status: 'in_progress', note: '<script>progress</script>' })
    .execute();
  const referral = await insertReferral(db, {
    participant_id: participant,
    service_kind: 'debt_counselling',
    organisation: '<script>organisation</script>',
    reason: '<script>why</script>',
    referred_on: '2026-11-02',
    created_by: coach.id,
  });
  Object.assign(ids, { participant, employer, contact, placement, trajectory, contactMoment, goal, referral });
});
afterAll(() => t.close());

function expectEscaped(html: string): void {
  expect(html).not.toMatch(
    /<script>(alert|ref|n|contact|job|reason|note|summary|addendum|goal|description|progress|organisation|why)/,
  );
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<b>tolk</b>');
  expect(html).not.toContain("<b>'t Hoekje</b>");
  expect(html).not.toContain('<u>West</u>');
  expect(html).not.toContain('<i>Noord</i>');
}

const coachPages = () => [
  '/participants',
  '/participants?q=script',
  `/participants/${ids.participant}`,
  `/participants/${ids.participant}/edit`,
  `/participants/${ids.participant}/close`,
  `/participants/${ids.participant}/trajectories/${ids.trajectory}/edit`,
  `/participants/${ids.participant}/trajectories/${ids.trajectory}/close`,
  `/participants/${ids.participant}/placements/new`,
  `/participants/${ids.participant}/placements/${ids.placement}/edit`,
  `/participants/${ids.participant}/placements/${ids.placement}/resume`,
  `/participants/${ids.participant}/trajectories/new`,
  `/participants/${ids.participant}/placements/${ids.placement}/end`,
  '/employers',
  `/employers/${ids.employer}`,
  `/employers/${ids.employer}/edit`,
  `/employers/${ids.employer}/contacts/${ids.contact}/edit`,
  '/today',
  `/participants/${ids.participant}/contacts/${ids.contactMoment}`,
  `/participants/${ids.participant}/contacts/${ids.contactMoment}/edit`,
  `/participants/${ids.participant}/contacts/new`,
  `/participants/${ids.participant}/goals/${ids.goal}`,
  `/participants/${ids.participant}/goals/${ids.goal}/edit`,
  `/participants/${ids.participant}/referrals/${ids.referral}/edit`,
  `/participants/${ids.participant}/trajectories/${ids.trajectory}/report`,
  '/reports',
];

test.each(Array.from({ length: 25 }, (_, index) => index))('coach page #%i renders names as text', async (index) => {
  const agent = await signedInAgent(t.app, coach);
  const path = coachPages()[index]!;
  const response = await agent.get(path);
  expect(response.status).toBe(200);
  expectEscaped(response.text);
});

test('the profile shows the names escaped, not dropped', async () => {
  const agent = await signedInAgent(t.app, coach);
  const profile = await agent.get(`/participants/${ids.participant}`);
  expect(profile.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(profile.text).toContain('Bakker &amp; Zn &#34;De Korst&#34; &lt;b&gt;&#39;t Hoekje&lt;/b&gt;');
});

test.each(['/admin/audit', '/admin/commissioners', '/standins', '/reports', `/participants/{participant}/subject-access`])(
  'admin page %s renders names as text',
  async (path) => {
    const agent = await signedInAgent(t.app, admin);
    const response = await agent.get(path.replace('{participant}', String(ids.participant)));
    expect(response.status).toBe(200);
    expectEscaped(response.text);
  },
);
