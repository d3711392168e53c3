import path from 'node:path';
import ejs from 'ejs';
import type TestAgent from 'supertest/lib/agent';
import { DateTime } from 'luxon';
import type { ContactOutcome } from '../../src/db/schema';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { reviewFeedbackFor } from '../../src/reviews/service';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { auditEventsOf, insertConsent, insertContactMoment, insertParticipant, openForm, postForm } from '../helpers/fixtures';

let t: TestApp;
let managerNoord: UserFixture;
let managerZuid: UserFixture;
let admin: UserFixture;
let coachAnna: UserFixture;
let coachBram: UserFixture;
let coachCees: UserFixture;
/** Anna's conversations (reached or callback requested) in the last 30 days: what a sample may hold. */
let annaConversations: number[];
let annaOtherContacts: number[];
let bramContact: number;
let participantOfAnna: number;

const NOW = DateTime.fromISO('2026-11-23T09:00:00+01:00');
const SCRIPT_SUMMARY = 'Gesprek <script>alert("x")</script> over werk';

async function contact(participantId: number, authorId: number, daysAgo: number, outcome: ContactOutcome, summary?: string) {
  return insertContactMoment(t.database.db, {
    participant_id: participantId,
    author_id: authorId,
    occurred_at: NOW.minus({ days: daysAgo }).toJSDate(),
    channel: 'phone',
    counterpart: 'participant',
    outcome,
    duration_minutes: 20,
    summary: outcome === 'not_reached' || outcome === 'voicemail' ? null : (summary ?? 'Gesproken over de week.'),
  });
}

beforeAll(async () => {
  t = await startTestApp();
  managerNoord = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mirjam Manager' });
  managerZuid = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid', displayName: 'Zeynep Manager' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ad Min' });
  coachAnna = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Coach' });
  coachBram = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Bram Coach' });
  coachCees = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Cees Coach' });
  const db = t.database.db;
  participantOfAnna = await insertParticipant(db, {
    first_name: 'Sem',
    last_name: 'de Jong',
    coach_id: coachAnna.id,
    status: 'active',
  });
  const participantOfBram = await insertParticipant(db, {
    first_name: 'Lot',
    last_name: 'Visser',
    coach_id: coachBram.id,
    status: 'active',
  });
  const participantOfCees = await insertParticipant(db, {
    first_name: 'Iris',
    last_name: 'Bakker',
    coach_id: coachCees.id,
    status: 'active',
  });
  // Every participant here consented to quality review (test/consents covers those who did not).
  for (const participantId of [participantOfAnna, participantOfBram, participantOfCees]) {
    await insertConsent(db, {
      participant_id: participantId,
      purpose: 'quality_review',
      given_on: '2026-01-05',
      recorded_by: admin.id,
    });
  }
  annaConversations = [
    await contact(participantOfAnna, coachAnna.id, 1, 'reached', SCRIPT_SUMMARY),
    await contact(participantOfAnna, coachAnna.id, 5, 'reached'),
    await contact(participantOfAnna, coachAnna.id, 29, 'reached'),
    await contact(participantOfAnna, coachAnna.id, 10, 'callback_requested'),
    // Anna stood in for Bram: her conversation with his participant is hers to be reviewed on.
    await contact(participantOfBram, coachAnna.id, 3, 'reached'),
  ];
  annaOtherContacts = [
    await contact(participantOfAnna, coachAnna.id, 2, 'not_reached'),
    await contact(participantOfAnna, coachAnna.id, 4, 'voicemail'),
    await contact(participantOfAnna, coachAnna.id, 31, 'reached'),
  ];
  bramContact = await contact(participantOfBram, coachBram.id, 3, 'reached');
  await contact(participantOfCees, coachCees.id, 2, 'reached');
});
afterAll(() => t.close());

async function drawSample(agent: TestAgent, fields: Record<string, string>) {
  const form = await openForm(agent, '/reviews/new');
  return agent
    .post('/reviews/new')
    .type('form')
    .send({ ...form, ...fields });
}

async function sampleItemsOf(sampleId: number) {
  return t.database.db
    .selectFrom('review_items')
    .select(['id', 'contact_moment_id', 'feedback', 'reviewed_by', 'reviewed_at'])
    .where('sample_id', '=', sampleId)
    .orderBy('id')
    .execute();
}

async function newSampleOfAnna(size = '50', reviewer = managerNoord): Promise<number> {
  const agent = await signedInAgent(t.app, reviewer);
  const response = await drawSample(agent, { coachId: String(coachAnna.id), size, periodDays: '30' });
  expect(response.status).toBe(303);
  return Number(/^\/reviews\/(\d+)\?done=drawn$/.exec(response.headers.location!)![1]);
}

async function sampleCount(): Promise<number> {
  const row = await t.database.db
    .selectFrom('review_samples')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('drawing a sample', () => {
  test("a sample holds only the coach's conversations within the period, capped by what there is, and is audited", async () => {
    const agent = await signedInAgent(t.app, managerNoord);
    const response = await drawSample(agent, { coachId: String(coachAnna.id), size: '50', periodDays: '30' });
    expect(response.status).toBe(303);
    const sampleId = Number(/^\/reviews\/(\d+)\?done=drawn$/.exec(response.headers.location!)![1]);
    const items = await sampleItemsOf(sampleId);
    expect(items.map((item) => item.contact_moment_id).sort((a, b) => a - b)).toEqual(
      [...annaConversations].sort((a, b) => a - b),
    );
    const sample = await t.database.db
      .selectFrom('review_samples')
      .selectAll()
      .where('id', '=', sampleId)
      .executeTakeFirstOrThrow();
    expect(sample).toMatchObject({ coach_id: coachAnna.id, drawn_by: managerNoord.id, period_days: 30, requested_size: 50 });

    const page = await agent.get(response.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('De steekproef is getrokken.');
    expect(page.text).toContain('Er werd om 50 gesprekken gevraagd, maar in deze periode waren er maar 5.');
    expect(page.text).toContain('toestemming gaven voor kwaliteitsreview');
    expect(page.text).toContain('0 van 5 gesprekken beoordeeld.');
    expect(page.text).toContain(`href="/participants/${participantOfAnna}/contacts/${annaConversations[0]}"`);
    expect(page.text).toContain('Sem de Jong');
    expect(page.text).toContain('Gesprek &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; over werk');
    expect(page.text).not.toContain('<script>alert');

    expect(await auditEventsOf(t.database.db, 'review_sample', sampleId)).toEqual([
      {
        action: 'create',
        actor_user_id: managerNoord.id,
        participant_id: null,
        details: { coachId: coachAnna.id, size: 50, periodDays: 30, drawn: 5, leftOutWithoutConsent: 0 },
      },
    ]);
  });

  test('a sample of N holds N of those conversations, chosen among them', async () => {
    const sampleId = await newSampleOfAnna('2');
    const items = await sampleItemsOf(sampleId);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(annaConversations).toContain(item.contact_moment_id);
      expect(annaOtherContacts).not.toContain(item.contact_moment_id);
    }
    const page = await (await signedInAgent(t.app, managerNoord)).get(`/reviews/${sampleId}`);
    expect(page.text).not.toContain('Er werd om');
  });

  test('an admin draws a sample of any coach', async () => {
    const agent = await signedInAgent(t.app, admin);
    const response = await drawSample(agent, { coachId: String(coachCees.id), size: '5', periodDays: '30' });
    expect(response.status).toBe(303);
    const sampleId = Number(/\/reviews\/(\d+)/.exec(response.headers.location!)![1]);
    expect(await sampleItemsOf(sampleId)).toHaveLength(1);
  });

  test('submitting the same form twice stores one sample and lands on it', async () => {
    const agent = await signedInAgent(t.app, managerNoord);
    const before = await sampleCount();
    const form = await openForm(agent, '/reviews/new');
    const body = { ...form, coachId: String(coachAnna.id), size: '3', periodDays: '30' };
    const [first, second] = await Promise.all([
      agent.post('/reviews/new').type('form').send(body),
      agent.post('/reviews/new').type('form').send(body),
    ]);
    const locations = [first.headers.location, second.headers.location].map((l) => l!.replace('?done=drawn', ''));
    expect(locations[0]).toMatch(/^\/reviews\/\d+$/);
    expect(locations[1]).toBe(locations[0]);
    expect(await sampleCount()).toBe(before + 1);
  });

  test('invalid input answers 422 keeping every value; a period without conversations stores nothing', async () => {
    const agent = await signedInAgent(t.app, managerNoord);
    const before = await sampleCount();
    const invalid = await drawSample(agent, { coachId: '', size: '51', periodDays: 'dertig' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('class="error-summary"');
    expect(invalid.text).toContain('value="51"');
    expect(invalid.text).toContain('value="dertig"');
    expect(invalid.text).toContain('Vul een aantal in van 1 tot en met 50.');
    expect(invalid.text).toContain('Vul een aantal dagen in van 1 tot en met 365.');
    expect(invalid.text).toContain('Kies een van de mogelijkheden.');

    // Bram's only conversation was three days ago.
    const empty = await drawSample(agent, { coachId: String(coachBram.id), size: '5', periodDays: '2' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('geen gesprekken vastgelegd');
    expect(empty.text).toContain('value="2"');
    expect(await sampleCount()).toBe(before);
  });

  test('the form defaults to 5 conversations over 30 days and offers only coaches in scope', async () => {
    const page = await (await signedInAgent(t.app, managerNoord)).get('/reviews/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="size" value="5"');
    expect(page.text).toContain('name="periodDays" value="30"');
    expect(page.text).toContain('Anna Coach');
    expect(page.text).toContain('Bram Coach');
    expect(page.text).not.toContain('Cees Coach');
  });
});

describe('scope', () => {
  test("a manager of another team gets 404 on the team's samples and cannot draw one of its coaches", async () => {
    const sampleId = await newSampleOfAnna('1');
    const [item] = await sampleItemsOf(sampleId);
    const agent = await signedInAgent(t.app, managerZuid);
    expect((await agent.get(`/reviews/${sampleId}`)).status).toBe(404);
    const list = await agent.get('/reviews');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(`/reviews/${sampleId}"`);
    expect(list.text).not.toContain('Anna Coach');
    const post = await postForm(agent, `/reviews/${sampleId}/items/${item!.id}`, { feedback: 'Sluwe poging' }, '/reviews');
    expect(post.status).toBe(404);
    expect((await sampleItemsOf(sampleId))[0]!.reviewed_at).toBeNull();

    const before = await sampleCount();
    const draw = await drawSample(agent, { coachId: String(coachAnna.id), size: '5', periodDays: '30' });
    expect(draw.status).toBe(404);
    expect(await sampleCount()).toBe(before);
  });

  test('a coach gets 404 on the review pages, including samples of their own conversations', async () => {
    const sampleId = await newSampleOfAnna('1');
    const [item] = await sampleItemsOf(sampleId);
    for (const coach of [coachAnna, coachBram]) {
      const agent = await signedInAgent(t.app, coach);
      expect((await agent.get('/reviews')).status).toBe(404);
      expect((await agent.get('/reviews/new')).status).toBe(404);
      expect((await agent.get(`/reviews/${sampleId}`)).status).toBe(404);
      const draw = await postForm(
        agent,
        '/reviews/new',
        { coachId: String(coachAnna.id), size: '5', periodDays: '30', submissionToken: crypto.randomUUID() },
        '/reviews/mine',
      );
      expect(draw.status).toBe(404);
      const review = await postForm(
        agent,
        `/reviews/${sampleId}/items/${item!.id}`,
        { feedback: 'Zelf goedgekeurd' },
        '/reviews/mine',
      );
      expect(review.status).toBe(404);
    }
    expect((await sampleItemsOf(sampleId))[0]!.reviewed_at).toBeNull();
  });

  test('an item of another sample or a malformed id is not found', async () => {
    const first = await newSampleOfAnna('1');
    const second = await newSampleOfAnna('1');
    const [itemOfSecond] = await sampleItemsOf(second);
    const agent = await signedInAgent(t.app, managerNoord);
    expect((await postForm(agent, `/reviews/${first}/items/${itemOfSecond!.id}`, { feedback: 'Mis' }, '/reviews')).status).toBe(
      404,
    );
    expect((await postForm(agent, `/reviews/${first}/items/${itemOfSecond!.id}`, { feedback: '' }, '/reviews')).status).toBe(404);
    expect((await agent.get('/reviews/abc')).status).toBe(404);
    expect((await agent.get('/reviews/999999')).status).toBe(404);
  });

  test('an admin opens any sample', async () => {
    const sampleId = await newSampleOfAnna('1');
    expect((await (await signedInAgent(t.app, admin)).get(`/reviews/${sampleId}`)).status).toBe(200);
  });
});

describe('reviewing an item', () => {
  test('feedback is required and at most 4000 characters; the typed text is kept', async () => {
    const sampleId = await newSampleOfAnna('1');
    const [item] = await sampleItemsOf(sampleId);
    const agent = await signedInAgent(t.app, managerNoord);
    const blank = await postForm(agent, `/reviews/${sampleId}/items/${item!.id}`, { feedback: '   ' }, `/reviews/${sampleId}`);
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('Vul dit veld in.');
    expect(blank.text).toContain(`href="#feedback-${item!.id}"`);
    const long = `Te <lang> ${'x'.repeat(4000)}`;
    const tooLong = await postForm(agent, `/reviews/${sampleId}/items/${item!.id}`, { feedback: long }, `/reviews/${sampleId}`);
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Dit is te lang.');
    expect(tooLong.text).toContain(`Te &lt;lang&gt; ${'x'.repeat(4000)}</textarea>`);
    expect((await sampleItemsOf(sampleId))[0]!.reviewed_at).toBeNull();
  });

  test('feedback marks the item reviewed, counts show it, a change is audited without the text', async () => {
    const sampleId = await newSampleOfAnna('50');
    const items = await sampleItemsOf(sampleId);
    const target = items.find((item) => item.contact_moment_id === annaConversations[1])!;
    const agent = await signedInAgent(t.app, managerNoord);
    const saved = await postForm(
      agent,
      `/reviews/${sampleId}/items/${target.id}`,
      { feedback: 'Goed <b>doorgevraagd</b>.' },
      `/reviews/${sampleId}`,
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/reviews/${sampleId}?done=reviewed#item-${target.id}`);
    const row = (await sampleItemsOf(sampleId)).find((item) => item.id === target.id)!;
    expect(row.feedback).toBe('Goed <b>doorgevraagd</b>.');
    expect(row.reviewed_by).toBe(managerNoord.id);
    expect(row.reviewed_at).not.toBeNull();

    const page = await agent.get(`/reviews/${sampleId}`);
    expect(page.text).toContain('1 van 5 gesprekken beoordeeld.');
    expect(page.text).toContain('Goed &lt;b&gt;doorgevraagd&lt;/b&gt;.');
    expect(page.text).toContain('Beoordeeld door Mirjam Manager');
    const list = await agent.get('/reviews');
    expect(list.text).toContain(`href="/reviews/${sampleId}"`);
    expect(list.text).toMatch(new RegExp(`href="/reviews/${sampleId}"[\\s\\S]*?1 van 5`));

    const changed = await postForm(
      agent,
      `/reviews/${sampleId}/items/${target.id}`,
      { feedback: 'Goed doorgevraagd, sluit af met een afspraak.' },
      `/reviews/${sampleId}`,
    );
    expect(changed.status).toBe(303);
    // The same text again changes nothing and records nothing.
    await postForm(
      agent,
      `/reviews/${sampleId}/items/${target.id}`,
      { feedback: 'Goed doorgevraagd, sluit af met een afspraak.' },
      `/reviews/${sampleId}`,
    );
    const audit = await auditEventsOf(t.database.db, 'review_item', target.id);
    expect(audit).toEqual([
      {
        action: 'review',
        actor_user_id: managerNoord.id,
        participant_id: participantOfAnna,
        details: { sampleId, contactMomentId: annaConversations[1] },
      },
      {
        action: 'update',
        actor_user_id: managerNoord.id,
        participant_id: participantOfAnna,
        details: { sampleId, contactMomentId: annaConversations[1] },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('doorgevraagd');
  });
});

describe('feedback for the coach', () => {
  test("/reviews/mine shows only feedback on the coach's own contacts, escaped", async () => {
    const sampleOfBram = await (async () => {
      const agent = await signedInAgent(t.app, managerNoord);
      const response = await drawSample(agent, { coachId: String(coachBram.id), size: '5', periodDays: '30' });
      return Number(/\/reviews\/(\d+)/.exec(response.headers.location!)![1]);
    })();
    const [bramItem] = await sampleItemsOf(sampleOfBram);
    expect(bramItem!.contact_moment_id).toBe(bramContact);
    const reviewer = await signedInAgent(t.app, managerNoord);
    await postForm(
      reviewer,
      `/reviews/${sampleOfBram}/items/${bramItem!.id}`,
      { feedback: 'Feedback voor Bram' },
      `/reviews/${sampleOfBram}`,
    );
    // A fixed conversation about Anna's own participant, so the test does not depend on the random
    // draw (she also logged a contact for a colleague's participant, which she no longer sees).
    const sampleOfAnna = await newSampleOfAnna();
    const annaItem = (await sampleItemsOf(sampleOfAnna)).find((item) => item.contact_moment_id === annaConversations[0]);
    await postForm(
      reviewer,
      `/reviews/${sampleOfAnna}/items/${annaItem!.id}`,
      { feedback: 'Voor Anna: <i>prima</i>' },
      `/reviews/${sampleOfAnna}`,
    );

    const anna = await (await signedInAgent(t.app, coachAnna)).get('/reviews/mine');
    expect(anna.status).toBe(200);
    expect(anna.text).toContain('Voor Anna: &lt;i&gt;prima&lt;/i&gt;');
    expect(anna.text).not.toContain('Feedback voor Bram');
    expect(anna.text).toContain(`/contacts/${annaItem!.contact_moment_id}"`);

    const bram = await (await signedInAgent(t.app, coachBram)).get('/reviews/mine');
    expect(bram.text).toContain('Feedback voor Bram');
    expect(bram.text).not.toContain('Voor Anna');

    // The coach also sees the feedback on the contact moment itself.
    const contactPage = await (
      await signedInAgent(t.app, coachAnna)
    ).get(`/participants/${participantOfAnna}/contacts/${annaItem!.contact_moment_id}`);
    expect(contactPage.status).toBe(200);
    expect(contactPage.text).toContain('Voor Anna: &lt;i&gt;prima&lt;/i&gt;');

    const cees = await (await signedInAgent(t.app, coachCees)).get('/reviews/mine');
    expect(cees.status).toBe(200);
    expect(cees.text).toContain('Er is nog geen feedback op jouw gesprekken.');
  });

  test('reviewFeedbackFor returns the reviewed feedback per contact moment, and the partial renders it escaped', async () => {
    const sampleId = await newSampleOfAnna('50');
    const items = await sampleItemsOf(sampleId);
    const reviewedItem = items.find((item) => item.contact_moment_id === annaConversations[2])!;
    const agent = await signedInAgent(t.app, admin);
    await postForm(agent, `/reviews/${sampleId}/items/${reviewedItem.id}`, { feedback: 'Let op <toon>' }, `/reviews/${sampleId}`);

    const unreviewed = annaConversations[3]!;
    const feedback = await reviewFeedbackFor(t.database.db, [annaConversations[2]!, unreviewed, bramContact]);
    expect(feedback.get(unreviewed)).toBeUndefined();
    expect(feedback.get(annaConversations[2]!)).toEqual([
      { reviewerName: 'Ad Min', reviewedAt: expect.any(Date), feedback: 'Let op <toon>', scores: [] },
    ]);
    expect((await reviewFeedbackFor(t.database.db, [])).size).toBe(0);

    const html = await ejs.renderFile(path.resolve(__dirname, '../../views/reviews/_feedback.ejs'), {
      feedback: feedback.get(annaConversations[2]!),
      t: translatorFor('nl'),
      fmt: createFormatters('nl', 'Europe/Amsterdam'),
    });
    expect(html).toContain('Feedback uit de kwaliteitsreview');
    expect(html).toContain('Ad Min op');
    expect(html).toContain('Let op &lt;toon&gt;');
    const none = await ejs.renderFile(path.resolve(__dirname, '../../views/reviews/_feedback.ejs'), {
      feedback: [],
      t: translatorFor('nl'),
      fmt: createFormatters('nl', 'Europe/Amsterdam'),
    });
    expect(none.trim()).toBe('');
  });
});

describe('the list', () => {
  test('newest first, filtered per coach, with an empty state', async () => {
    const managerOost = await createTestUser(t.database, { role: 'manager', team: 'Team Oost' });
    const empty = await (await signedInAgent(t.app, managerOost)).get('/reviews');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Er zijn nog geen steekproeven.');
    expect(empty.text).toContain('0 steekproeven');
    const noord = await signedInAgent(t.app, managerNoord);
    const newest = await newSampleOfAnna('1');
    const list = await noord.get('/reviews');
    expect(list.status).toBe(200);
    const firstLink = /href="\/reviews\/(\d+)"/.exec(list.text)!;
    expect(Number(firstLink[1])).toBe(newest);
    const filtered = await noord.get(`/reviews?coach=${coachBram.id}`);
    expect(filtered.text).toContain('Bram Coach');
    expect(filtered.text).not.toContain(`href="/reviews/${newest}"`);
  });
});
