import type TestAgent from 'supertest/lib/agent';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { formTokensFrom, insertEmployer, insertPlacement, openForm, postForm, versionFrom } from '../helpers/fixtures';

// decisions.md "Erasure and the audit log": audit details hold ids and coded values, never names or
// free text; for personal fields they say which fields changed, not the values. So erasing a file
// never needs the immutable audit log rewritten. The main writes of a participant's file are made
// here through the app's own forms, every name and text carrying a word found nowhere else; none
// of it may reach an audit event.

const WORD = 'zorblax';
const PHONE = '0612398745';
const NETWORK_PHONE = '0611122233';
const BIRTH = '1980-04-05';

let t: TestApp;
let coach: UserFixture;
let agent: TestAgent;
let participantId: number;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Audit' });
  agent = await signedInAgent(t.app, coach);
});

afterAll(() => t.close());

/** Posts a create form (one-time token from its page) and expects the redirect of success. */
async function create(page: string, url: string, fields: Record<string, string>) {
  const tokens = await openForm(agent, page);
  const response = await agent
    .post(url)
    .type('form')
    .send({ ...tokens, ...fields });
  expect([response.status, response.text.slice(0, 0)]).toEqual([303, '']);
  return response;
}

/** Posts an edit form with the version its page shows. */
async function edit(url: string, fields: Record<string, string>) {
  const page = await agent.get(url);
  expect(page.status).toBe(200);
  const response = await postForm(agent, url, { ...fields, version: versionFrom(page.text) });
  expect(response.status).toBe(303);
}

const participantFields = (suffix: string) => ({
  firstName: `Zorblaxia${suffix}`,
  lastName: `Quintelmoor${suffix}`,
  dateOfBirth: '05-04-1980',
  phone: PHONE,
  email: `zorblaxia${suffix.toLowerCase()}@quintelmoor.test`,
  addressLine: `Zorblaxweg ${suffix} 12`,
  postalCode: '9999 ZZ',
  city: `Quintelstad${suffix}`,
  preferredChannel: 'phone',
  languageSupport: `Zorblax tolk ${suffix}`,
  externalReference: `EXT-ZORBLAX-${suffix}`,
  status: 'active',
});

test('the main writes of a file record which fields changed, never a name, contact detail or free text', async () => {
  const created = await create('/participants/new', '/participants', participantFields('Een'));
  participantId = Number(/\/participants\/(\d+)/.exec(created.headers.location as string)![1]);
  const p = `/participants/${participantId}`;
  await edit(`${p}/edit`, participantFields('Twee'));

  await create(`${p}/contacts/new`, `${p}/contacts/new`, {
    occurredDate: '22-11-2026',
    occurredTime: '10:00',
    outcome: 'reached',
    durationMinutes: '30',
    summary: 'Zorblax sprak over haar schulden',
  });
  const contact = await t.database.db
    .selectFrom('contact_moments')
    .select('id')
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  await edit(`${p}/contacts/${contact.id}/edit`, {
    occurredDate: '22-11-2026',
    occurredTime: '10:00',
    outcome: 'reached',
    durationMinutes: '45',
    summary: 'Zorblax sprak over haar schulden en haar moeder',
  });
  const contactPage = await agent.get(`${p}/contacts/${contact.id}`);
  const addendum = await agent
    .post(`${p}/contacts/${contact.id}/addenda`)
    .type('form')
    .send({ ...formTokensFrom(contactPage.text), body: 'Zorblax belde later terug' });
  expect(addendum.status).toBe(303);

  await create(`${p}/goals/new`, `${p}/goals/new`, {
    title: 'Zorblax wil een rijbewijs',
    description: 'Zorblax oefent met haar broer',
    lifeDomain: 'work',
  });
  const goal = await t.database.db
    .selectFrom('goals')
    .select('id')
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  await edit(`${p}/goals/${goal.id}/edit`, {
    title: 'Zorblax wil een rijbewijs B',
    description: 'Zorblax oefent',
    lifeDomain: 'work',
  });
  const goalPage = await agent.get(`${p}/goals/${goal.id}`);
  const progress = await postForm(agent, `${p}/goals/${goal.id}/progress`, {
    status: 'in_progress',
    note: 'Zorblax slaagde voor theorie',
    version: versionFrom(goalPage.text),
  });
  expect(progress.status).toBe(303);

  await create(`${p}/referrals/new`, `${p}/referrals/new`, {
    serviceKind: 'debt_counselling',
    organisationId: 'new',
    newOrganisationName: 'Schuldhulp Audit',
    newOrganisationKind: 'debt_counselling',
    reason: 'Zorblax heeft betalingsachterstanden',
    referredOn: '20-11-2026',
    status: 'proposed',
  });
  const referral = await t.database.db
    .selectFrom('referrals')
    .select(['id', 'organisation_id'])
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  await edit(`${p}/referrals/${referral.id}/edit`, {
    serviceKind: 'debt_counselling',
    organisationId: String(referral.organisation_id),
    reason: 'Zorblax heeft grote betalingsachterstanden',
    referredOn: '20-11-2026',
    status: 'sent',
    closedOn: '',
  });

  await create(`${p}/network/new`, `${p}/network/new`, {
    role: 'family',
    name: 'Zorblax moeder',
    organisation: 'Zorblax familie',
    phone: NETWORK_PHONE,
    email: 'moeder@zorblax.test',
    note: 'Zorblax moeder helpt met post',
  });
  const person = await t.database.db
    .selectFrom('network_persons')
    .select('id')
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
  await edit(`${p}/network/${person.id}/edit`, {
    role: 'family',
    name: 'Zorblax moeder Anna',
    organisation: '',
    phone: NETWORK_PHONE,
    email: '',
    note: 'Zorblax moeder helpt niet meer',
  });

  await create(`${p}/consents/new`, `${p}/consents/new`, {
    purpose: 'quality_review',
    givenOn: '20-11-2026',
    note: 'Zorblax tekende op papier',
  });

  const employer = await insertEmployer(t.database.db, { name: 'Werkgever Audit', sector: 'retail' });
  const placement = await insertPlacement(
    t.database.db,
    { participant_id: participantId, employer_id: employer, kind: 'paid_job', job_title: 'Kassa', start_date: '2026-11-01' },
    { hoursPerWeek: 10 },
  );
  await edit(`${p}/placements/${placement}/edit`, {
    supervisorContactId: '',
    kind: 'paid_job',
    jobTitle: 'Zorblax kassamedewerker',
    startDate: '01-11-2026',
    plannedEndDate: '',
  });

  const events = await t.database.db
    .selectFrom('audit_events')
    .select(['action', 'entity_type', 'details'])
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
  const writes = events.filter((event) => event.action !== 'view').map((event) => `${event.entity_type}:${event.action}`);
  // Every write above was audited (so the check below looked at their details).
  expect(writes).toEqual(
    expect.arrayContaining([
      'participant:create',
      'participant:update',
      'contact_moment:create',
      'contact_moment:update',
      'contact_moment:addendum',
      'goal:create',
      'goal:update',
      'goal:progress',
      'referral:create',
      'referral:update',
      'network_person:create',
      'network_person:update',
      'consent:create',
      'placement:update',
    ]),
  );
  for (const event of events) {
    const text = JSON.stringify(event.details).toLowerCase();
    for (const forbidden of [WORD, 'quintel', PHONE, NETWORK_PHONE, BIRTH, 'moeder', 'rijbewijs', 'kassa']) {
      if (text.includes(forbidden)) throw new Error(`${event.entity_type}:${event.action} holds "${forbidden}": ${text}`);
    }
  }
  // Changes to personal fields are named, without their values.
  const participantUpdate = events.find((event) => event.entity_type === 'participant' && event.action === 'update')!;
  expect(JSON.stringify(participantUpdate.details)).toContain('firstName');
  const placementUpdate = events.find((event) => event.entity_type === 'placement' && event.action === 'update')!;
  expect(placementUpdate.details).toMatchObject({ changedFields: ['jobTitle'] });
});
