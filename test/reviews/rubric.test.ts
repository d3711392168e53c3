import { FixedClock } from '../../src/lib/clock';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { auditEventsOf, insertContactMoment, insertParticipant, openForm, postForm } from '../helpers/fixtures';

// Issue 20 item 4: administrators define criteria scored 1–4 plus a comment; managers score sampled
// calls; the coach sees a count of new feedback in the navigation until read; the review list shows
// averages per coach over time.

const clock = new FixedClock('2026-11-23T10:00:00+01:00');
let t: TestApp;
let admin: UserFixture;
let manager: UserFixture;
let coach: UserFixture;
let sampleId: number;
const items: number[] = [];

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = await createTestUser(t.database, { role: 'admin' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Rubric' });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Rubric', displayName: 'Rik Rubriek' });
  const db = t.database.db;
  const participant = await insertParticipant(db, {
    first_name: 'Roos',
    last_name: 'Review',
    coach_id: coach.id,
    status: 'active',
  });
  const sample = await db
    .insertInto('review_samples')
    .values({
      coach_id: coach.id,
      drawn_by: manager.id,
      drawn_at: '2026-11-23T08:00:00+01:00',
      period_days: 30,
      requested_size: 2,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  sampleId = sample.id;
  for (const day of ['2026-11-20', '2026-11-21']) {
    const contact = await insertContactMoment(db, {
      participant_id: participant,
      author_id: coach.id,
      occurred_at: `${day}T10:00:00+01:00`,
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 10,
      summary: `Gesprek ${day}`,
    });
    const item = await db
      .insertInto('review_items')
      .values({ sample_id: sampleId, contact_moment_id: contact })
      .returning('id')
      .executeTakeFirstOrThrow();
    items.push(item.id);
  }
});
afterAll(() => t.close());

const criterionIds: number[] = [];

test('an administrator defines the criteria; an empty one is refused, an edit from a stale form is a conflict', async () => {
  const agent = await signedInAgent(t.app, admin);
  const empty = await agent
    .post('/admin/review-criteria')
    .type('form')
    .send({ ...(await openForm(agent, '/admin/review-criteria')), label: ' ', position: '1' });
  expect(empty.status).toBe(422);
  for (const [position, label] of [
    ['1', 'Luisterde en vatte samen'],
    ['2', 'Sprak een volgende stap af'],
    ['3', 'Toon'],
  ] as const) {
    const created = await agent
      .post('/admin/review-criteria')
      .type('form')
      .send({ ...(await openForm(agent, '/admin/review-criteria')), label, position });
    expect(created.status).toBe(303);
  }
  const stored = await t.database.db.selectFrom('review_criteria').select(['id', 'label']).orderBy('position').execute();
  criterionIds.push(...stored.map((row) => row.id));
  expect(stored.map((row) => row.label)).toEqual(['Luisterde en vatte samen', 'Sprak een volgende stap af', 'Toon']);
  // "Toon" is switched off: no longer scored.
  const off = await postForm(agent, `/admin/review-criteria/${criterionIds[2]}/edit`, {
    label: 'Toon',
    position: '3',
    version: '1',
  });
  expect(off.status).toBe(303);
  const stale = await postForm(agent, `/admin/review-criteria/${criterionIds[2]}/edit`, {
    label: 'Toon!',
    position: '3',
    active: 'yes',
    version: '1',
  });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain('Iemand anders heeft dit criterium intussen gewijzigd');
  expect(stale.text).toContain('value="Toon!"');
  expect((await auditEventsOf(t.database.db, 'review_criterion', criterionIds[2]!)).map((event) => event.action)).toEqual([
    'create',
    'update',
  ]);
  // A manager cannot reach the page.
  expect((await (await signedInAgent(t.app, manager)).get('/admin/review-criteria')).status).toBe(404);
});

test('a manager scores a sampled call on each active criterion; a missing score is named, the comment is optional', async () => {
  const agent = await signedInAgent(t.app, manager);
  const page = await agent.get(`/reviews/${sampleId}`);
  expect(page.text).toContain('Luisterde en vatte samen');
  expect(page.text).not.toContain('>Toon <');
  const missing = await postForm(
    agent,
    `/reviews/${sampleId}/items/${items[0]}`,
    { [`score-${criterionIds[0]}`]: '3', feedback: 'Goed <gesprek>' },
    `/reviews/${sampleId}`,
  );
  expect(missing.status).toBe(422);
  expect(missing.text).toContain('Kies een score van 1 tot 4 voor dit criterium.');
  expect(missing.text).toContain('Goed &lt;gesprek&gt;');
  const outOfRange = await postForm(
    agent,
    `/reviews/${sampleId}/items/${items[0]}`,
    { [`score-${criterionIds[0]}`]: '5', [`score-${criterionIds[1]}`]: '2' },
    `/reviews/${sampleId}`,
  );
  expect(outOfRange.status).toBe(422);
  const saved = await postForm(
    agent,
    `/reviews/${sampleId}/items/${items[0]}`,
    { [`score-${criterionIds[0]}`]: '4', [`score-${criterionIds[1]}`]: '2', feedback: 'Vraag door naar de stage.' },
    `/reviews/${sampleId}`,
  );
  expect(saved.status).toBe(303);
  const scores = await t.database.db
    .selectFrom('review_scores')
    .select(['criterion_id', 'score'])
    .where('review_item_id', '=', items[0]!)
    .orderBy('criterion_id')
    .execute();
  expect(scores).toEqual([
    { criterion_id: criterionIds[0], score: 4 },
    { criterion_id: criterionIds[1], score: 2 },
  ]);
  const [event] = await auditEventsOf(t.database.db, 'review_item', items[0]!);
  expect(event!.details).toEqual({
    sampleId,
    contactMomentId: expect.any(Number),
    scores: { [String(criterionIds[0])]: 4, [String(criterionIds[1])]: 2 },
  });
  // Without a comment too.
  const bare = await postForm(
    agent,
    `/reviews/${sampleId}/items/${items[1]}`,
    { [`score-${criterionIds[0]}`]: '3', [`score-${criterionIds[1]}`]: '3' },
    `/reviews/${sampleId}`,
  );
  expect(bare.status).toBe(303);
  // The page shows the stored scores checked.
  expect((await agent.get(`/reviews/${sampleId}`)).text).toMatch(new RegExp(`name="score-${criterionIds[0]}" value="4" checked`));
});

test('the coach sees a count of new feedback in the navigation until they open it', async () => {
  const agent = await signedInAgent(t.app, coach);
  const today = await agent.get('/today');
  expect(today.text).toMatch(
    /<a href="\/reviews\/mine"[^>]*>Feedback <span class="nav-count"><span aria-hidden="true">2<\/span><span class="visually-hidden">, 2 nieuw<\/span>/,
  );
  const mine = await agent.get('/reviews/mine');
  expect(mine.text).not.toContain('class="nav-count"');
  expect(mine.text).toContain('4 uitstekend');
  expect(mine.text).toContain('2 matig');
  expect(mine.text).toContain('Vraag door naar de stage.');
  expect(mine.text.match(/badge--warn">Nieuw</g)).toHaveLength(2);
  expect((await agent.get('/today')).text).not.toContain('class="nav-count"');
  expect((await agent.get('/reviews/mine')).text).not.toContain('badge--warn">Nieuw<');
  // A changed review counts as new again.
  clock.set('2026-11-23T11:00:00+01:00');
  const managerAgent = await signedInAgent(t.app, manager);
  await postForm(
    managerAgent,
    `/reviews/${sampleId}/items/${items[1]}`,
    { [`score-${criterionIds[0]}`]: '4', [`score-${criterionIds[1]}`]: '3' },
    `/reviews/${sampleId}`,
  );
  expect((await (await signedInAgent(t.app, coach)).get('/today')).text).toContain('<span aria-hidden="true">1</span>');
});

test('the review list shows the average per coach per month and per criterion', async () => {
  const list = await (await signedInAgent(t.app, manager)).get('/reviews');
  expect(list.status).toBe(200);
  expect(list.text).toContain('Gemiddelde scores per jobcoach');
  // November: 4, 2, 4, 3 → 3,3 over 4 scores; per criterion 4,0 and 2,5.
  expect(list.text).toContain('3,3 (4)');
  expect(list.text).toContain('4,0');
  expect(list.text).toContain('2,5');
  expect(list.text).toContain('Rik Rubriek');
});
