import { sql } from 'kysely';
import type TestAgent from 'supertest/lib/agent';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertEmployer, insertParticipant, openForm, submissionTokenFrom } from '../helpers/fixtures';

// What src/web does for every route, checked through real pages: the one-time form token of
// postForm, and the /participants/:id parent router's 404s.

let t: TestApp;
let coach: UserFixture;
let agent: TestAgent;
let participant: number;
let closedParticipant: number;
let employer: number;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Web' });
  agent = await signedInAgent(t.app, coach);
  participant = await insertParticipant(t.database.db, {
    first_name: 'Wim',
    last_name: 'Web',
    coach_id: coach.id,
    status: 'active',
  });
  closedParticipant = await insertParticipant(t.database.db, {
    first_name: 'Gerda',
    last_name: 'Gesloten',
    coach_id: coach.id,
    status: 'closed',
    closed_on: '2026-10-01',
  });
  employer = await insertEmployer(t.database.db, { name: 'Fietsenmaker Web', sector: 'retail' });
});
afterAll(() => t.close());

async function rowCount(table: 'participants' | 'goals' | 'employers' | 'employer_contacts'): Promise<number> {
  const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db);
  return Number(result.rows[0]!.n);
}

// Create forms whose one-time token went missing (an old tab, a crafted post): each says the form
// expired, keeps what was typed, offers a fresh token and stores nothing.
const createForms = [
  {
    name: 'a participant',
    form: () => '/participants/new',
    action: () => '/participants',
    table: 'participants' as const,
    fields: { firstName: 'Tessa', lastName: 'Token', preferredChannel: 'phone', status: 'intake' },
    typed: 'Tessa',
  },
  {
    name: 'a goal',
    form: () => `/participants/${participant}/goals/new`,
    action: () => `/participants/${participant}/goals/new`,
    table: 'goals' as const,
    fields: { title: 'Elke ochtend om 8 uur op', lifeDomain: 'daily_structure' },
    typed: 'Elke ochtend om 8 uur op',
  },
  {
    name: 'an employer',
    form: () => '/employers/new',
    action: () => '/employers',
    table: 'employers' as const,
    fields: { name: 'Bakkerij Verlopen', sector: 'hospitality' },
    typed: 'Bakkerij Verlopen',
  },
  {
    name: 'an employer contact',
    form: () => `/employers/${employer}/contacts/new`,
    action: () => `/employers/${employer}/contacts`,
    table: 'employer_contacts' as const,
    fields: { name: 'Karin Verlopen', role: 'supervisor' },
    typed: 'Karin Verlopen',
  },
];

test.each(createForms)('creating $name without its one-time token says the form expired and keeps the input', async (form) => {
  const { _csrf } = await openForm(agent, form.form());
  const before = await rowCount(form.table);
  const response = await agent
    .post(form.action())
    .type('form')
    .send({ _csrf, ...form.fields });
  expect(response.status).toBe(422);
  expect(response.text).toContain('Dit formulier is verlopen');
  expect(response.text).toContain(`value="${form.typed}"`);
  // A fresh token, so sending the form again works.
  const fresh = submissionTokenFrom(response.text);
  expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
  expect(await rowCount(form.table)).toBe(before);
  const again = await agent
    .post(form.action())
    .type('form')
    .send({ _csrf, ...form.fields, submissionToken: fresh });
  expect(again.status).toBe(303);
  expect(await rowCount(form.table)).toBe(before + 1);
});

test.each([
  ['a malformed id', () => '/participants/abc'],
  ['an id that is too large', () => '/participants/99999999999999999999'],
  ['an unknown participant', () => '/participants/999999'],
  ['an unknown participant, deeper', () => '/participants/999999/contacts/new'],
  ['a path under a participant that does not exist', () => `/participants/${participant}/nothing-here`],
])('the participant routes answer 404 for %s', async (_case, path) => {
  const response = await agent.get(path());
  expect(response.status).toBe(404);
  expect(response.text).toContain('Pagina niet gevonden');
});

test.each([
  ['edit form', () => `/participants/${closedParticipant}/edit`],
  ['new contact form', () => `/participants/${closedParticipant}/contacts/new`],
  ['new goal form', () => `/participants/${closedParticipant}/goals/new`],
  ['new placement form', () => `/participants/${closedParticipant}/placements/new`],
])("a closed participant's %s answers 404, while the profile still opens", async (_case, path) => {
  expect((await agent.get(path())).status).toBe(404);
  expect((await agent.get(`/participants/${closedParticipant}`)).status).toBe(200);
});

test('a post to a closed participant changes nothing and answers 404', async () => {
  const before = await rowCount('goals');
  const token = await csrfToken(agent, `/participants/${participant}/goals/new`);
  const response = await agent
    .post(`/participants/${closedParticipant}/goals/new`)
    .type('form')
    .send({ _csrf: token, title: 'Te laat', lifeDomain: 'work', submissionToken: '6f1c1a52-4d0e-4a43-9d44-7b1c7c1f2a10' });
  expect(response.status).toBe(404);
  expect(await rowCount('goals')).toBe(before);
});
