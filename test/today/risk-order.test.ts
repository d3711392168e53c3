import { FixedClock } from '../../src/lib/clock';
import { acknowledgeRisk } from '../../src/risk/service';
import { coachDay } from '../../src/today/service';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertContactMoment, insertParticipant } from '../helpers/fixtures';
import { RiskScenario, ZONE } from '../risk/helpers';
import { QueryCounter } from '../helpers/query-counter';

// /today puts red, then amber participants first within each section, each with its reason.

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

function idsIn(html: string, key: string): number[] {
  const section = new RegExp(`<section[^>]*id="section-${key}"[^>]*>([\\s\\S]*?)</section>`).exec(html)![1]!;
  return [...section.matchAll(/<li class="today-item" id="participant-(\d+)">/g)].map((m) => Number(m[1]));
}

function riskLineOf(html: string, participantId: number): string | null {
  const row = new RegExp(`<li class="today-item" id="participant-${participantId}">([\\s\\S]*?)</li>`).exec(html)![1]!;
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
  // Unplanned: the section's own order is never contacted first, then the longest since any contact.
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

  const agent = await signedInAgent(t.app, coach);
  const html = (await agent.get('/today')).text;
  expect(idsIn(html, 'unplanned')).toEqual([red, amber, neverContacted, calm]);
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
  const html = (await (await signedInAgent(t.app, coach)).get('/today')).text;
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
  const html = (await (await signedInAgent(t.app, coach)).get('/today')).text;
  expect(riskLineOf(html, id)).toBe('Oranje gezien geen actieve plaatsing of dagbesteding');
});

test('the risk adds a fixed number of queries whatever the number of rows', async () => {
  const { coach, s } = await newCaseload('Quinten Query');
  const counter = new QueryCounter();
  const db = t.database.db.withPlugin(counter);
  const viewer = { userId: coach.id, role: 'coach' as const, teamId: null, today: TODAY, timeZone: 'Europe/Amsterdam' };
  const context = { now: clock.now(), timeZone: ZONE };
  await s.participant({ placement: false });
  await coachDay(db, viewer, context);
  counter.count = 0;
  await coachDay(db, viewer, context);
  const forOne = counter.count;
  for (let index = 0; index < 15; index += 1) await s.participant({ reachedDaysAgo: index * 3 });
  counter.count = 0;
  const day = await coachDay(db, viewer, context);
  expect(day.sections.unplanned).toHaveLength(16);
  expect(counter.count).toBe(forOne);
});
