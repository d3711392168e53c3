import { FixedClock } from '../../src/lib/clock';
import { acknowledgeRisk } from '../../src/risk/acknowledge';
import { isAcknowledged, riskForParticipants } from '../../src/risk/service';
import { coachDay } from '../../src/today/service';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContactMoment, insertParticipant } from '../helpers/fixtures';
import { RiskScenario, ZONE } from '../risk/helpers';
import { QueryCounter } from '../helpers/query-counter';
import { refreshStoredRiskStates } from '../helpers/risk-state';

// /today puts red, then amber participants first within each section, each with its reason, read
// from the stored risk state. The fixtures insert rows straight into the tables, past the writes
// that keep the stored state in step, so each test brings it in step before opening the page.

const START = '2026-11-23T09:00:00+01:00';
const TODAY = '2026-11-23';
const clock = new FixedClock(START);

let t: TestApp;
let base: RiskScenario;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const first = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  base = new RiskScenario(t.database.db, first.id, TODAY);
  await base.setUp();
});
afterAll(() => t.close());

async function newCaseload(displayName: string): Promise<{ coach: UserFixture; s: RiskScenario }> {
  const coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName });
  // The same commissioner and employer as the first scenario (their names are unique), another coach.
  const s = Object.assign(Object.create(RiskScenario.prototype) as RiskScenario, base, { coachId: coach.id });
  return { coach, s };
}

/** A participant without a trajectory: on the day page, but not scored. */
function unscored(coach: UserFixture, lastName: string) {
  return insertParticipant(t.database.db, { first_name: 'Zonder', last_name: lastName, coach_id: coach.id, status: 'active' });
}

/** The coach's /today with the stored risk state in step with the fixtures, as the app's writes keep it. */
async function openToday(coach: UserFixture): Promise<string> {
  await refreshStoredRiskStates(t);
  return (await (await signedInAgent(t.app, coach)).get('/today')).text;
}

function idsIn(html: string, key: string): number[] {
  const section = new RegExp(`<section[^>]*id="section-${key}"[^>]*>([\\s\\S]*?)</section>`).exec(html)![1]!;
  return [...section.matchAll(/<li class="today-item[^"]*" id="participant-(\d+)"/g)].map((m) => Number(m[1]));
}

function riskLineOf(html: string, participantId: number): string | null {
  const row = new RegExp(`<li class="today-item[^"]*" id="participant-${participantId}"[^>]*>([\\s\\S]*?)</form>\\s*</li>`).exec(
    html,
  )![1]!;
  const line = /<p class="today-item__risk">([\s\S]*?)<\/p>/.exec(row);
  return line
    ? line[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
}

test('within each section: red, then amber, then the rest in the section’s own order, each flag with its reason', async () => {
  const { coach, s } = await newCaseload('Rosa Risico');
  // Unplanned: the section's own order is the longest since any contact; never contacted is a first contact.
  const neverContacted = await unscored(coach, 'Nooit');
  const red = await s.participant({ reachedDaysAgo: 30 });
  const amber = await s.participant({ placement: false, reachedDaysAgo: 2 });
  const calm = await s.participant({ reachedDaysAgo: 1 });
  // Overdue: the section's own order is the longest overdue first.
  const longOverdue = await unscored(coach, 'Lang');
  await insertContactMoment(t.database.db, {
    participant_id: longOverdue,
    author_id: coach.id,
    occurred_at: s.at(20),
    channel: 'phone',
    outcome: 'reached',
    summary: 'Gesproken.',
    next_contact_date: s.day(10),
  });
  const amberOverdue = await s.participant({ reachedDaysAgo: null });
  await s.contact(amberOverdue, 5, 'reached', { next_contact_date: s.day(3) });

  const html = await openToday(coach);
  expect(idsIn(html, 'unplanned')).toEqual([red, amber, calm]);
  expect(idsIn(html, 'firstContact')).toEqual([neverContacted]);
  expect(idsIn(html, 'overdue')).toEqual([amberOverdue, longOverdue]);

  expect(riskLineOf(html, red)).toBe('Rood laatst bereikt 30 dagen geleden (24-10-2026)');
  expect(riskLineOf(html, amber)).toBe('Oranje geen actieve plaatsing of dagbesteding');
  expect(riskLineOf(html, amberOverdue)).toBe('Oranje vervolgcontact van 20-11-2026 is 3 dagen te laat');
  expect(riskLineOf(html, calm)).toBeNull();
  expect(riskLineOf(html, neverContacted)).toBeNull();
});

test('the first reason shown is one at the participant’s level', async () => {
  const { coach, s } = await newCaseload('Rik Reden');
  // Amber for no placement (listed before hours) but red for not being reached for 28 days.
  const id = await s.participant({ placement: false, reachedDaysAgo: 28 });
  const html = await openToday(coach);
  expect(riskLineOf(html, id)).toBe('Rood laatst bereikt 28 dagen geleden (26-10-2026)');
});

test('an acknowledged flag keeps its level, marked acknowledged', async () => {
  const { coach, s } = await newCaseload('Gerda Gezien');
  const id = await s.participant({ placement: false });
  const outcome = await acknowledgeRisk(
    t.database.db,
    { userId: coach.id },
    id,
    { note: 'Zoekt een plek.', snoozeUntil: null },
    clock.now(),
    ZONE,
  );
  expect(outcome.kind).toBe('acknowledged');
  const html = await openToday(coach);
  expect(riskLineOf(html, id)).toBe('Oranje gezien geen actieve plaatsing of dagbesteding');
});

/** An acknowledgement written straight into the table, to state exactly what was flagged and until when. */
async function acknowledgement(participantId: number, by: UserFixture, flagged: string[], snoozeUntil: string | null) {
  await t.database.db
    .insertInto('risk_acknowledgements')
    .values({
      participant_id: participantId,
      acknowledged_by: by.id,
      acknowledged_at: base.at(1),
      note: 'Gezien.',
      snooze_until: snoozeUntil,
      level: 'amber',
      flagged: JSON.stringify(flagged),
    })
    .execute();
}

test('acknowledged flags from the stored state: marked, still in their level’s place, as the engine decides', async () => {
  const { coach, s } = await newCaseload('Anouk Akkoord');
  const calm = await s.participant({ reachedDaysAgo: 1 });
  const covered = await s.participant({ placement: false });
  const coveredByRed = await s.participant({ placement: false });
  const snoozeEnded = await s.participant({ placement: false });
  const newSignal = await s.participant({ placement: false });
  const red = await s.participant({ reachedDaysAgo: 30 });
  await acknowledgement(covered, coach, ['no_active_placement:amber'], null);
  await acknowledgement(coveredByRed, coach, ['no_active_placement:red'], s.day(0));
  await acknowledgement(snoozeEnded, coach, ['no_active_placement:amber'], s.day(1));
  // Flagged then for another signal only: the placement signal is news, so the flag is back.
  await acknowledgement(newSignal, coach, ['last_reached:amber'], null);
  // The red one was acknowledged, but only at amber: the higher level is news.
  await acknowledgement(red, coach, ['last_reached:amber'], null);

  const html = await openToday(coach);
  const order = idsIn(html, 'unplanned');
  expect(order[0]).toBe(red);
  expect(order.slice(1, 5).sort((a, b) => a - b)).toEqual([covered, coveredByRed, snoozeEnded, newSignal]);
  expect(order[5]).toBe(calm);
  expect(riskLineOf(html, covered)).toBe('Oranje gezien geen actieve plaatsing of dagbesteding');
  expect(riskLineOf(html, coveredByRed)).toBe('Oranje gezien geen actieve plaatsing of dagbesteding');
  expect(riskLineOf(html, snoozeEnded)).toBe('Oranje geen actieve plaatsing of dagbesteding');
  expect(riskLineOf(html, newSignal)).toBe('Oranje geen actieve plaatsing of dagbesteding');
  expect(riskLineOf(html, red)).toBe('Rood laatst bereikt 30 dagen geleden (24-10-2026)');

  // The SQL rule on the stored row agrees with the engine's own (isAcknowledged) for each of them.
  const ids = [calm, covered, coveredByRed, snoozeEnded, newSignal, red];
  const engine = await riskForParticipants(t.database.db, ids, clock.now(), ZONE);
  const viewer = { userId: coach.id, role: 'coach' as const, teamId: null, today: TODAY, timeZone: ZONE };
  const day = await coachDay(t.database.db, viewer, clock.now());
  for (const row of day.sections.unplanned) {
    expect({ id: row.id, acknowledged: row.risk?.acknowledged ?? false }).toEqual({
      id: row.id,
      acknowledged: isAcknowledged(engine.get(row.id)),
    });
  }
});

test('a row stored on an earlier day reads with today’s day counts and keeps its place', async () => {
  const { coach, s } = await newCaseload('Dirk Dagen');
  // Every contact before the earlier day: a contact since would have been a write that refreshed the row.
  const calm = await s.participant({ reachedDaysAgo: 3 });
  // Amber from 14 days, red from 28: scored two days ago at 18 days, valid until the 28th day.
  const amber = await s.participant({ reachedDaysAgo: 20 });
  clock.set('2026-11-21T09:00:00+01:00');
  try {
    await refreshStoredRiskStates(t);
  } finally {
    clock.set(START);
  }
  const stored = await t.database.db
    .selectFrom('participant_risk_states')
    .select(['scored_on', 'valid_until', 'level'])
    .where('participant_id', '=', amber)
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ scored_on: '2026-11-21', valid_until: '2026-12-01', level: 'amber' });

  const html = (await (await signedInAgent(t.app, coach)).get('/today')).text;
  expect(idsIn(html, 'unplanned')).toEqual([amber, calm]);
  expect(riskLineOf(html, amber)).toBe('Oranje laatst bereikt 20 dagen geleden (03-11-2026)');
  expect(riskLineOf(html, calm)).toBeNull();
});

test('the risk adds no query: the day is one query whatever the number of rows', async () => {
  const { coach, s } = await newCaseload('Quinten Query');
  const counter = new QueryCounter();
  const db = t.database.db.withPlugin(counter);
  const viewer = { userId: coach.id, role: 'coach' as const, teamId: null, today: TODAY, timeZone: 'Europe/Amsterdam' };
  await s.participant({ placement: false });
  await refreshStoredRiskStates(t);
  counter.count = 0;
  const small = await coachDay(db, viewer, clock.now());
  expect(small.sections.unplanned[0]!.risk?.level).toBe('amber');
  expect(counter.count).toBe(1);
  for (let index = 0; index < 15; index += 1) await s.participant({ reachedDaysAgo: index * 3 });
  await refreshStoredRiskStates(t);
  counter.count = 0;
  const day = await coachDay(db, viewer, clock.now());
  expect(day.sections.unplanned).toHaveLength(16);
  expect(day.sections.unplanned.filter((row) => row.risk !== null).length).toBeGreaterThan(1);
  expect(counter.count).toBe(1);
});
