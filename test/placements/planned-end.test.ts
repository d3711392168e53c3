import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  auditEventsOf,
  formTokensFrom,
  insertContact,
  insertEmployer,
  insertParticipant,
  postForm,
  versionFrom,
} from '../helpers/fixtures';

// A placement's planned end (issue 17): typed on the create and edit forms, never before the start,
// audited as a change, shown on the profile and the placement's own pages. The clock of
// startTestApp stands on 23-11-2026 (Europe/Amsterdam).

let t: TestApp;
let coach: UserFixture;
let kitchen: { id: number; supervisorId: number };

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  const id = await insertEmployer(t.database.db, { name: 'Kringwinkel Gent', sector: 'retail', city: 'Gent' });
  kitchen = {
    id,
    supervisorId: await insertContact(t.database.db, { employer_id: id, name: 'Sofie De Wilde', role: 'supervisor' }),
  };
});
afterAll(() => t.close());

const fields = {
  supervisorContactId: '',
  kind: 'work_experience',
  jobTitle: 'Winkelmedewerker',
  startDate: '01-12-2025',
};

async function participant(lastName: string) {
  return insertParticipant(t.database.db, { first_name: 'Lien', last_name: lastName, coach_id: coach.id, status: 'active' });
}

test('a planned end before the start is refused at the field, with what was typed kept', async () => {
  const id = await participant('Voor');
  const agent = await signedInAgent(t.app, coach);
  const page = await agent.get(`/participants/${id}/placements/new`);
  expect(page.text).toContain('name="plannedEndDate"');
  const response = await agent
    .post(`/participants/${id}/placements/new`)
    .type('form')
    .send({
      ...formTokensFrom(page.text),
      ...fields,
      employerId: String(kitchen.id),
      hoursPerWeek: '19',
      plannedEndDate: '30-11-2025',
    });
  expect(response.status).toBe(422);
  expect(response.text).toContain('De geplande einddatum ligt vóór de startdatum.');
  expect(response.text).toContain('value="2025-11-30"');
  expect(await t.database.db.selectFrom('placements').select('id').where('participant_id', '=', id).execute()).toEqual([]);
});

test('created with a planned end, edited, audited and shown', async () => {
  const id = await participant('Plan');
  const agent = await signedInAgent(t.app, coach);
  const page = await agent.get(`/participants/${id}/placements/new`);
  const created = await agent
    .post(`/participants/${id}/placements/new`)
    .type('form')
    .send({
      ...formTokensFrom(page.text),
      ...fields,
      employerId: String(kitchen.id),
      hoursPerWeek: '19',
      plannedEndDate: '30-11-2026',
    });
  expect(created.status).toBe(303);
  const placement = await t.database.db
    .selectFrom('placements')
    .select(['id', 'planned_end_date'])
    .where('participant_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(placement.planned_end_date).toBe('2026-11-30');
  const profile = await agent.get(`/participants/${id}`);
  expect(profile.text).toContain('gepland tot 30-11-2026');

  const url = `/participants/${id}/placements/${placement.id}/edit`;
  const form = await agent.get(url);
  expect(form.text).toContain('value="2026-11-30"');
  const version = versionFrom(form.text);
  const before = await postForm(agent, url, { ...fields, plannedEndDate: '01-11-2025', version });
  expect(before.status).toBe(422);
  expect(before.text).toContain('De geplande einddatum ligt vóór de startdatum.');
  const saved = await postForm(agent, url, { ...fields, plannedEndDate: '31-12-2026', version });
  expect(saved.status).toBe(303);
  const cleared = await postForm(agent, url, { ...fields, plannedEndDate: '', version: String(Number(version) + 1) });
  expect(cleared.status).toBe(303);
  expect(
    await t.database.db
      .selectFrom('placements')
      .select('planned_end_date')
      .where('id', '=', placement.id)
      .executeTakeFirstOrThrow(),
  ).toEqual({ planned_end_date: null });

  const audit = await auditEventsOf(t.database.db, 'placement', placement.id);
  expect(audit.map((event) => event.action)).toEqual(['create', 'update', 'update']);
  expect(audit[0]!.details).toMatchObject({ plannedEndDate: '2026-11-30' });
  expect(audit[1]!.details).toEqual({
    changedFields: ['plannedEndDate'],
    changes: { plannedEndDate: { from: '2026-11-30', to: '2026-12-31' } },
  });
  expect(audit[2]!.details).toEqual({
    changedFields: ['plannedEndDate'],
    changes: { plannedEndDate: { from: '2026-12-31', to: null } },
  });

  await postForm(agent, url, { ...fields, plannedEndDate: '31-12-2026', version: String(Number(version) + 2) });
  const end = await agent.get(`/participants/${id}/placements/${placement.id}/end`);
  expect(end.text).toContain('gepland tot 31-12-2026');
});
