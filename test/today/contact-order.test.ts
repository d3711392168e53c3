import type { Insertable } from 'kysely';
import type TestAgent from 'supertest/lib/agent';
import { listTimeline } from '../../src/contacts/queries';
import { listLastContacts } from '../../src/dashboard/queries';
import type { Database } from '../../src/db/schema';
import { FixedClock } from '../../src/lib/clock';
import type { Viewer } from '../../src/lib/viewer';
import { listStateFacts } from '../../src/risk/queries';
import { findRiskStateDifferences } from '../../src/risk/state';
import { listSubjectContactMoments } from '../../src/subject-access/queries';
import { coachDay } from '../../src/today/service';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContactMoment, insertParticipant, openForm } from '../helpers/fixtures';

// Issue 16, "Order and time": contact moments are ordered by when they happened (to the minute),
// then by when they were recorded, then id, wherever an order of contacts decides something.

const ZONE = 'Europe/Amsterdam';
const TODAY = '2026-11-23';
const clock = new FixedClock(`${TODAY}T02:19:37+01:00`);

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(() => t.close());
beforeEach(() => clock.set(`${TODAY}T02:19:37+01:00`));

let coachCounter = 0;
async function newCoach(): Promise<{ user: UserFixture; viewer: Viewer }> {
  coachCounter += 1;
  const user = await createTestUser(t.database, {
    role: 'coach',
    team: 'Team Noord',
    displayName: `Coach Volgorde ${coachCounter}`,
  });
  return { user, viewer: { userId: user.id, role: 'coach', teamId: null, today: TODAY, timeZone: ZONE } };
}

function addParticipant(coach: UserFixture, firstName: string) {
  return insertParticipant(t.database.db, {
    first_name: firstName,
    last_name: 'Ouali',
    coach_id: coach.id,
    status: 'active',
    phone: '06 2000 0000',
  });
}

/** A contact moment stored directly, recorded at `recordedAt`. */
function addContact(
  coach: UserFixture,
  participantId: number,
  occurredAt: string,
  recordedAt: string,
  fields: Partial<Insertable<Database['contact_moments']>> = {},
) {
  const unreached = fields.outcome === 'not_reached' || fields.outcome === 'voicemail';
  return insertContactMoment(t.database.db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: occurredAt,
    created_at: recordedAt,
    updated_at: recordedAt,
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: unreached ? 0 : 15,
    summary: unreached ? null : 'Gesprek.',
    ...fields,
  });
}

/** Posts the contact form of participant `id` (a fresh token from its page), with these fields. */
async function logContact(agent: TestAgent, id: number, fields: Record<string, string>) {
  const tokens = await openForm(agent, `/participants/${id}/contacts/new`);
  return agent
    .post(`/participants/${id}/contacts/new`)
    .type('form')
    .send({
      ...tokens,
      channel: 'phone',
      counterpart: 'participant',
      durationMinutes: '',
      summary: '',
      nextShortcut: '',
      ...fields,
    });
}

async function storedContacts(participantId: number) {
  return t.database.db
    .selectFrom('contact_moments')
    .select(['id', 'occurred_at', 'outcome', 'next_contact_date', 'next_contact_time'])
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

describe('contact times and their order', () => {
  test('a failed quick log, then a call-back request by the full form in the same minute: due today at the call-back’s time', async () => {
    const { user: coach, viewer } = await newCoach();
    const id = await addParticipant(coach, 'Mohamed');
    const agent = await signedInAgent(t.app, coach);

    // The quick log on /today: "not reached", no time given (now, 02:19:37).
    const failed = await logContact(agent, id, { outcome: 'not_reached', returnTo: '/today' });
    expect(failed.status).toBe(303);
    expect(failed.headers.location).toBe('/today');
    expect((await coachDay(t.database.db, viewer)).sections.retry.map((row) => row.id)).toEqual([id]);

    // Seconds later, the full form: the participant asks to be called back at 02:29.
    clock.set(`${TODAY}T02:19:52+01:00`);
    const callback = await logContact(agent, id, {
      occurredDate: '23-11-2026',
      occurredTime: '02:19',
      outcome: 'callback_requested',
      summary: 'Vraagt om over tien minuten terug te bellen.',
      nextContactDate: '23-11-2026',
      nextContactTime: '02:29',
    });
    expect(callback.status).toBe(303);

    // Both to the minute: the quick log no longer keeps its seconds.
    const stored = await storedContacts(id);
    expect(stored.map((row) => [row.occurred_at.toISOString(), row.outcome])).toEqual([
      ['2026-11-23T01:19:00.000Z', 'not_reached'],
      ['2026-11-23T01:19:00.000Z', 'callback_requested'],
    ]);

    const day = await coachDay(t.database.db, viewer);
    expect(day.sections.retry).toEqual([]);
    expect(day.sections.dueToday.map((row) => [row.id, row.reason])).toEqual([[id, { kind: 'dueToday', plannedTime: '02:29' }]]);
    expect(day.sections.dueToday[0]!.lastContact).toMatchObject({ id: stored[1]!.id, outcome: 'callback_requested' });

    // The stored risk state holds the same plan, and equals a recompute.
    const state = await t.database.db
      .selectFrom('participant_risk_states')
      .select(['next_contact_date', 'last_contact_at'])
      .where('participant_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ next_contact_date: TODAY, last_contact_at: new Date('2026-11-23T01:19:00.000Z') });
    expect(await findRiskStateDifferences(t.database.db, clock.now().toJSDate(), ZONE)).toEqual([]);

    // The profile's timeline shows the call-back request on top.
    const profile = await agent.get(`/participants/${id}`);
    expect(profile.status).toBe(200);
    const linked = [...profile.text.matchAll(new RegExp(`/participants/${id}/contacts/(\\d+)"`, 'g'))].map((m) => Number(m[1]));
    expect([...new Set(linked)]).toEqual([stored[1]!.id, stored[0]!.id]);
  });

  test('a contact logged "now" is stored to the minute', async () => {
    const { user: coach } = await newCoach();
    const id = await addParticipant(coach, 'Sara');
    const agent = await signedInAgent(t.app, coach);
    clock.set(`${TODAY}T10:45:59.900+01:00`);
    expect((await logContact(agent, id, { outcome: 'voicemail', returnTo: '/today' })).status).toBe(303);
    expect((await storedContacts(id)).map((row) => row.occurred_at.toISOString())).toEqual(['2026-11-23T09:45:00.000Z']);
  });

  test('at the same moment, the contact recorded later comes after, whatever its id', async () => {
    const { user: coach, viewer } = await newCoach();
    const id = await addParticipant(coach, 'Ilse');
    const at = '2026-11-20T10:00:00+01:00';
    // Stored first (lower id) but recorded later: a call-back request with a plan for today.
    const recordedLater = await addContact(coach, id, at, '2026-11-20T10:05:00+01:00', {
      outcome: 'callback_requested',
      summary: 'Belt terug.',
      next_contact_date: TODAY,
      next_contact_time: '11:00',
    });
    // Stored second (higher id) but recorded earlier: the failed attempt it followed.
    const recordedEarlier = await addContact(coach, id, at, '2026-11-20T10:01:00+01:00', { outcome: 'not_reached' });
    expect(recordedLater).toBeLessThan(recordedEarlier);

    const day = await coachDay(t.database.db, viewer);
    expect(day.sections.dueToday.map((row) => [row.id, row.reason])).toEqual([[id, { kind: 'dueToday', plannedTime: '11:00' }]]);
    expect(day.sections.dueToday[0]!.lastContact?.id).toBe(recordedLater);

    const timeline = await listTimeline(t.database.db, viewer, id, { channel: null, outcome: null }, { limit: 10, offset: 0 });
    expect(timeline.map((row) => row.id)).toEqual([recordedLater, recordedEarlier]);
    const last = await listLastContacts(t.database.db, viewer, [id]);
    expect(last).toEqual([expect.objectContaining({ participantId: id, outcome: 'callback_requested' })]);
    const subject = await listSubjectContactMoments(t.database.db, id);
    expect(subject.map((row) => row.id)).toEqual([recordedEarlier, recordedLater]);

    const [facts] = await listStateFacts(t.database.db, [id], TODAY, ZONE, 3, 4);
    expect(facts).toMatchObject({ nextContactDate: TODAY, unreachedCount: 1 });
  });

  test('a reach recorded after a failed attempt at the same moment ends the streak, and the reverse does not', async () => {
    const { user: coach, viewer } = await newCoach();
    const at = '2026-11-20T10:00:00+01:00';
    // Reached recorded later, with the lower id: the attempt before it does not count.
    const reachedLast = await addParticipant(coach, 'Bereikt');
    await addContact(coach, reachedLast, at, '2026-11-20T10:09:00+01:00', { outcome: 'reached' });
    await addContact(coach, reachedLast, at, '2026-11-20T10:02:00+01:00', { outcome: 'not_reached' });
    // Failed attempt recorded later, with the lower id: one attempt since the reach.
    const failedLast = await addParticipant(coach, 'Gemist');
    await addContact(coach, failedLast, at, '2026-11-20T10:09:00+01:00', { outcome: 'not_reached' });
    await addContact(coach, failedLast, at, '2026-11-20T10:02:00+01:00', { outcome: 'reached' });

    const facts = new Map(
      (await listStateFacts(t.database.db, [reachedLast, failedLast], TODAY, ZONE, 3, 4)).map((row) => [row.participantId, row]),
    );
    expect(facts.get(reachedLast)).toMatchObject({ unreachedCount: 0 });
    expect(facts.get(failedLast)).toMatchObject({ unreachedCount: 1, lastUnreachedOn: '2026-11-20' });

    const day = await coachDay(t.database.db, viewer);
    expect(day.sections.retry.map((row) => [row.id, row.reason])).toEqual([
      [failedLast, { kind: 'retry', attempts: 1, since: new Date('2026-11-20T09:00:00.000Z') }],
    ]);
    // Reached, without a plan: an active participant with no next contact.
    expect(day.sections.unplanned.map((row) => row.id)).toEqual([reachedLast]);
  });
});
