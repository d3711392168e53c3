import { dashboardPage } from '../../src/dashboard/service';
import { countFlagged, listFlaggedPage, type FlaggedFilters } from '../../src/dashboard/queries';
import type { Viewer } from '../../src/lib/viewer';
import { DashboardQuery } from '../../src/dashboard/schemas';
import { FixedClock } from '../../src/lib/clock';
import { pageFromQuery } from '../../src/lib/pagination';
import { acknowledgeRisk } from '../../src/risk/acknowledge';
import { keepRiskStatesCurrent, refreshRiskStates } from '../../src/risk/state';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant, insertStandin } from '../helpers/fixtures';
import { RiskScenario, ZONE } from '../risk/helpers';
import { textOf } from '../risk/acknowledge-helpers';
import { QueryCounter } from '../helpers/query-counter';
import { refreshStoredRiskStates } from '../helpers/risk-state';

// The risk dashboard: flagged participants in the viewer's scope, red first, with filters,
// counts per level and a fixed number of queries whatever the caseload size.

const START = '2026-11-23T09:00:00+01:00';
const TODAY = '2026-11-23';
const clock = new FixedClock(START);

let t: TestApp;
let base: RiskScenario;
let admin: UserFixture;
let teamCounter = 0;

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  const first = await createTestUser(t.database, { role: 'coach', team: 'Team Basis' });
  base = new RiskScenario(t.database.db, first.id, TODAY);
  await base.setUp();
});
afterAll(() => t.close());

/** A fresh team name, so each test's participants are apart from the others'. */
function newTeamName(label: string): string {
  teamCounter += 1;
  return `Team ${label} ${teamCounter}`;
}

/** A scenario for another coach, sharing the first scenario's commissioner and employer. */
function scenarioFor(coach: UserFixture): RiskScenario {
  return Object.assign(Object.create(RiskScenario.prototype) as RiskScenario, base, { coachId: coach.id });
}

async function rename(id: number, firstName: string, lastName: string): Promise<void> {
  await t.database.db
    .updateTable('participants')
    .set({ first_name: firstName, last_name: lastName })
    .where('id', '=', id)
    .execute();
}

/** A red participant: never reached in a trajectory that started 40 days ago, no placement. */
async function redParticipant(s: RiskScenario, lastName: string): Promise<number> {
  const id = await s.participant({ placement: false, reachedDaysAgo: null, trajectoryStartedDaysAgo: 40 });
  await rename(id, 'Deelnemer', lastName);
  return id;
}

/** An amber participant: reached two days ago, but no active placement. */
async function amberParticipant(s: RiskScenario, lastName: string): Promise<number> {
  const id = await s.participant({ placement: false, reachedDaysAgo: 2 });
  await rename(id, 'Deelnemer', lastName);
  return id;
}

async function dashboardHtml(user: UserFixture, query = ''): Promise<string> {
  await refreshStoredRiskStates(t);
  const response = await (await signedInAgent(t.app, user)).get(`/dashboard${query}`);
  expect(response.status).toBe(200);
  return response.text;
}

function rowIds(html: string): number[] {
  return [...html.matchAll(/<tr id="participant-(\d+)" class="dashboard-row">/g)].map((match) => Number(match[1]));
}

function rowText(html: string, id: number): string {
  const row = new RegExp(`<tr id="participant-${id}" class="dashboard-row">([\\s\\S]*?)</tr>`).exec(html);
  if (!row) throw new Error(`no row for participant ${id}`);
  // textOf puts a space where each tag was; a colon right after a closing tag gets it back.
  return textOf(row[1]!).replace(/ :/g, ':');
}

function countsOf(html: string): { red: number; amber: number } {
  const red = /id="count-red">[^<]*?(\d+)</.exec(html);
  const amber = /id="count-amber">[^<]*?(\d+)</.exec(html);
  return { red: Number(red![1]), amber: Number(amber![1]) };
}

describe('scope', () => {
  test('a coach sees their own and a stand-in caseload inside its period; a manager their team; an admin all', async () => {
    const teamA = newTeamName('Noord');
    const teamB = newTeamName('Zuid');
    const coachA1 = await createTestUser(t.database, { role: 'coach', team: teamA });
    const coachA2 = await createTestUser(t.database, { role: 'coach', team: teamA });
    const coachB1 = await createTestUser(t.database, { role: 'coach', team: teamB });
    const coachB2 = await createTestUser(t.database, { role: 'coach', team: teamB });
    const managerA = await createTestUser(t.database, { role: 'manager', team: teamA });
    const managerB = await createTestUser(t.database, { role: 'manager', team: teamB });
    const own = await redParticipant(scenarioFor(coachA1), 'Eigen');
    const colleague = await redParticipant(scenarioFor(coachA2), 'Collega');
    const covered = await redParticipant(scenarioFor(coachB1), 'Vervangen');
    const otherTeam = await redParticipant(scenarioFor(coachB2), 'Anderteam');
    // Coach A1 stands in for B1 today, and stood in for A2 until yesterday; a future one does not count either.
    await insertStandin(t.database.db, {
      absent_coach_id: coachB1.id,
      standin_coach_id: coachA1.id,
      starts_on: base.day(1),
      ends_on: '2026-11-25',
      created_by: managerB.id,
    });
    await insertStandin(t.database.db, {
      absent_coach_id: coachA2.id,
      standin_coach_id: coachA1.id,
      starts_on: base.day(10),
      ends_on: base.day(1),
      created_by: managerA.id,
    });
    await insertStandin(t.database.db, {
      absent_coach_id: coachB2.id,
      standin_coach_id: coachA1.id,
      starts_on: '2026-11-24',
      ends_on: '2026-11-30',
      created_by: managerB.id,
    });

    expect(new Set(rowIds(await dashboardHtml(coachA1)))).toEqual(new Set([own, covered]));
    expect(new Set(rowIds(await dashboardHtml(managerA)))).toEqual(new Set([own, colleague]));
    expect(new Set(rowIds(await dashboardHtml(managerB)))).toEqual(new Set([covered, otherTeam]));
    const all = rowIds(await dashboardHtml(admin));
    for (const id of [own, colleague, covered, otherTeam]) expect(all).toContain(id);

    // A team or coach outside the scope in the URL is ignored: it never widens what is shown.
    const teamBId = (await t.database.db.selectFrom('teams').select('id').where('name', '=', teamB).executeTakeFirstOrThrow()).id;
    expect(new Set(rowIds(await dashboardHtml(managerA, `?team=${teamBId}`)))).toEqual(new Set([own, colleague]));
    expect(new Set(rowIds(await dashboardHtml(managerA, `?coach=${coachB2.id}`)))).toEqual(new Set([own, colleague]));
    expect(new Set(rowIds(await dashboardHtml(coachA1, `?coach=${coachB2.id}`)))).toEqual(new Set([own, covered]));
    expect(new Set(rowIds(await dashboardHtml(coachA1, `?coach=${coachB1.id}`)))).toEqual(new Set([covered]));
    // An admin narrows to a team.
    expect(new Set(rowIds(await dashboardHtml(admin, `?team=${teamBId}`)))).toEqual(new Set([covered, otherTeam]));
  });
});

describe('the list', () => {
  test('red first, then amber, each by days out of view (never reached first); calm and unscored are left out', async () => {
    const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Orde') });
    const s = scenarioFor(coach);
    const amberRecent = await amberParticipant(s, 'Recent');
    const red30 = await s.participant({ reachedDaysAgo: 30 });
    const amber16 = await s.participant({ reachedDaysAgo: 16 });
    const redNever = await redParticipant(s, 'Nooit');
    const red50 = await s.participant({ reachedDaysAgo: 50 });
    const amber20 = await s.participant({ reachedDaysAgo: 20 });
    const calm = await s.participant({ reachedDaysAgo: 1 });
    const unscored = await insertParticipant(t.database.db, {
      first_name: 'Zonder',
      last_name: 'Traject',
      coach_id: coach.id,
      status: 'active',
    });

    const html = await dashboardHtml(coach);
    expect(rowIds(html)).toEqual([redNever, red50, red30, amber20, amber16, amberRecent]);
    expect(rowIds(html)).not.toContain(calm);
    expect(rowIds(html)).not.toContain(unscored);
    expect(countsOf(html)).toEqual({ red: 3, amber: 3 });
    expect(html).toContain('6 deelnemers met een signaal');
  });

  test('every row: name linked, level and every reason in words, coach, last contact and a quick-log link', async () => {
    const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Rij'), displayName: 'Rosa Rij' });
    const s = scenarioFor(coach);
    const id = await s.participant({ placement: false, reachedDaysAgo: 30 });
    await rename(id, 'Sam', 'Smit');
    await s.contact(id, 3, 'voicemail', { channel: 'video' });
    const html = await dashboardHtml(coach);
    expect(html).toContain(`<a href="/participants/${id}">Smit, Sam</a>`);
    expect(html).toContain(`href="/participants/${id}/contacts/new?returnTo=%2Fdashboard"`);
    const text = rowText(html, id);
    expect(text).toContain('Rood');
    expect(text).toContain('Lang niet bereikt: laatst bereikt 30 dagen geleden (24-10-2026)');
    expect(text).toContain('Geen actieve plaatsing: geen actieve plaatsing of dagbesteding');
    expect(text).toContain('Rosa Rij');
    expect(text).toContain('20-11-2026, Videobellen, Voicemail ingesproken');
    expect(text).toContain('Nog niet gezien');
  });

  test('names and acknowledgement notes are escaped; an active acknowledgement shows by whom, when and the snooze', async () => {
    const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Escape'), displayName: 'Gerda Gezien' });
    const s = scenarioFor(coach);
    const id = await amberParticipant(s, 'Plain');
    await rename(id, '<b>Bold</b>', '<img src=x onerror=alert(1)>');
    const outcome = await acknowledgeRisk(
      t.database.db,
      { userId: coach.id },
      id,
      { note: '<script>alert("note")</script>', snoozeUntil: '2026-12-01' },
      clock.now(),
      ZONE,
    );
    expect(outcome.kind).toBe('acknowledged');
    const html = await dashboardHtml(coach);
    expect(html).not.toContain('<b>Bold</b>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert("note")');
    expect(html).toContain('&lt;b&gt;Bold&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(&#34;note&#34;)&lt;/script&gt;');
    const text = rowText(html, id);
    expect(text).toContain('Gezien door Gerda Gezien op 23-11-2026');
    expect(text).toContain('Gesnoozed tot en met 01-12-2026.');
  });

  test('the empty state says what good looks like', async () => {
    const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Leeg') });
    await scenarioFor(coach).participant({ reachedDaysAgo: 1 });
    const html = await dashboardHtml(coach);
    expect(rowIds(html)).toEqual([]);
    expect(html).toContain('Niemand raakt uit beeld');
    expect(countsOf(html)).toEqual({ red: 0, amber: 0 });
    const filtered = await dashboardHtml(coach, '?level=red');
    expect(filtered).toContain('Geen deelnemers met een signaal bij deze filters.');
  });
});

describe('filters', () => {
  let coach: UserFixture;
  let other: UserFixture;
  let manager: UserFixture;
  let red: number;
  let redAcknowledged: number;
  let amber: number;
  let amberAcknowledged: number;
  let redOfOther: number;
  let redOverdue: number;

  beforeAll(async () => {
    const team = newTeamName('Filter');
    coach = await createTestUser(t.database, { role: 'coach', team });
    other = await createTestUser(t.database, { role: 'coach', team });
    manager = await createTestUser(t.database, { role: 'manager', team });
    const s = scenarioFor(coach);
    red = await redParticipant(s, 'Rood');
    redAcknowledged = await redParticipant(s, 'RoodGezien');
    amber = await amberParticipant(s, 'Oranje');
    amberAcknowledged = await amberParticipant(s, 'OranjeGezien');
    // Red for an overdue follow-up only (placement active, reached 10 days ago).
    redOverdue = await s.participant({ reachedDaysAgo: 10 });
    await s.contact(redOverdue, 10, 'reached', { next_contact_date: s.day(8), hour: 11 });
    redOfOther = await redParticipant(scenarioFor(other), 'Ander');
    for (const id of [redAcknowledged, amberAcknowledged]) {
      await acknowledgeRisk(t.database.db, { userId: coach.id }, id, { note: 'Bezig.', snoozeUntil: null }, clock.now(), ZONE);
    }
  });

  test('level filter; the counts ignore it', async () => {
    const reds = await dashboardHtml(manager, '?level=red');
    expect(new Set(rowIds(reds))).toEqual(new Set([red, redAcknowledged, redOverdue, redOfOther]));
    expect(countsOf(reds)).toEqual({ red: 4, amber: 2 });
    const ambers = await dashboardHtml(manager, '?level=amber');
    expect(new Set(rowIds(ambers))).toEqual(new Set([amber, amberAcknowledged]));
    expect(countsOf(ambers)).toEqual({ red: 4, amber: 2 });
    const bogus = await dashboardHtml(manager, '?level=purple&signal=nonsense&acknowledged=maybe&coach=abc&team=-1');
    expect(rowIds(bogus)).toHaveLength(6);
  });

  test('coach filter', async () => {
    expect(rowIds(await dashboardHtml(manager, `?coach=${other.id}`))).toEqual([redOfOther]);
    const own = await dashboardHtml(manager, `?coach=${coach.id}`);
    expect(rowIds(own)).toHaveLength(5);
    expect(countsOf(own)).toEqual({ red: 3, amber: 2 });
  });

  test('signal filter narrows the counts too', async () => {
    const overdue = await dashboardHtml(manager, '?signal=follow_up_overdue');
    expect(rowIds(overdue)).toEqual([redOverdue]);
    expect(countsOf(overdue)).toEqual({ red: 1, amber: 0 });
    const noPlacement = await dashboardHtml(manager, '?signal=no_active_placement');
    expect(new Set(rowIds(noPlacement))).toEqual(new Set([red, redAcknowledged, redOfOther, amber, amberAcknowledged]));
  });

  test('acknowledged filter', async () => {
    const open = await dashboardHtml(manager, '?acknowledged=open');
    expect(new Set(rowIds(open))).toEqual(new Set([red, redOverdue, redOfOther, amber]));
    expect(countsOf(open)).toEqual({ red: 3, amber: 1 });
    const seen = await dashboardHtml(manager, '?acknowledged=acknowledged');
    expect(new Set(rowIds(seen))).toEqual(new Set([redAcknowledged, amberAcknowledged]));
    expect(rowText(seen, redAcknowledged)).toContain('Bezig.');
  });

  test("an admin's and a manager's counts (per-coach tallies) equal the rows listed under every filter", async () => {
    const { team_id: teamId } = await t.database.db
      .selectFrom('users')
      .select('team_id')
      .where('id', '=', manager.id)
      .executeTakeFirstOrThrow();
    const viewers: Viewer[] = [
      { userId: admin.id, role: 'admin', teamId: null, today: TODAY, timeZone: ZONE },
      { userId: manager.id, role: 'manager', teamId, today: TODAY, timeZone: ZONE },
    ];
    let compared = 0;
    for (const viewer of viewers) {
      for (const acknowledged of ['all', 'open', 'acknowledged'] as const) {
        for (const signal of [undefined, 'no_active_placement', 'follow_up_overdue', 'last_reached'] as const) {
          for (const scope of [{}, { teamId: teamId! }, { coachId: coach.id }, { coachId: other.id }]) {
            const filters: FlaggedFilters = { acknowledged, signal, today: TODAY, ...scope };
            const rows = await listFlaggedPage(t.database.db, viewer, filters, { limit: 10_000, offset: 0 });
            const listed = {
              red: rows.filter((row) => row.level === 'red').length,
              amber: rows.filter((row) => row.level === 'amber').length,
            };
            expect(await countFlagged(t.database.db, viewer, filters)).toEqual(listed);
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(96);
  });

  test('filters combined, kept in the form', async () => {
    const html = await dashboardHtml(manager, `?coach=${coach.id}&level=red&signal=no_active_placement&acknowledged=open`);
    expect(rowIds(html)).toEqual([red]);
    expect(countsOf(html)).toEqual({ red: 1, amber: 1 });
    expect(html).toContain(`<option value="${coach.id}" selected>`);
    expect(html).toContain('<option value="red" selected>');
    expect(html).toContain('<option value="no_active_placement" selected>');
    expect(html).toContain('<option value="open" selected>');
  });
});

test('pagination: 50 per page, links keep the filters', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Pagina') });
  const s = scenarioFor(coach);
  const ids: number[] = [];
  for (let index = 0; index < 53; index += 1) {
    ids.push(await s.participant({ placement: false, reachedDaysAgo: null, trajectoryStartedDaysAgo: 30 + index }));
  }
  await amberParticipant(s, 'Buiten');
  const first = await dashboardHtml(coach, '?level=red&signal=last_reached&acknowledged=open');
  expect(rowIds(first)).toHaveLength(50);
  expect(first).toContain('53 deelnemers met een signaal');
  expect(first).toContain('href="?level=red&amp;signal=last_reached&amp;acknowledged=open&amp;page=2"');
  const second = await dashboardHtml(coach, '?level=red&signal=last_reached&acknowledged=open&page=2');
  expect(rowIds(second)).toHaveLength(3);
  expect(second).toContain('href="?level=red&amp;signal=last_reached&amp;acknowledged=open&amp;page=1"');
  // Never reached on both: the longest trajectory (longest out of view) first, across pages.
  expect([...rowIds(first), ...rowIds(second)]).toEqual([...ids].reverse());
});

test('the number of queries does not grow with the number of participants', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Query') });
  const s = scenarioFor(coach);
  const counter = new QueryCounter();
  const db = t.database.db.withPlugin(counter);
  const viewer = { userId: coach.id, role: 'coach' as const, teamId: null, today: TODAY, timeZone: 'Europe/Amsterdam' };
  const context = { now: clock.now(), timeZone: ZONE };
  const query = DashboardQuery.parse({});
  const page = pageFromQuery({});
  await s.contact(await redParticipant(s, 'Een'), 2, 'not_reached');
  await refreshStoredRiskStates(t);
  await dashboardPage(db, viewer, query, page, context);
  counter.count = 0;
  const forOne = await dashboardPage(db, viewer, query, page, context);
  const queriesForOne = counter.count;
  expect(forOne.rows).toHaveLength(1);
  for (let index = 0; index < 20; index += 1) {
    const id = index % 2 === 0 ? await redParticipant(s, `Veel ${index}`) : await amberParticipant(s, `Veel ${index}`);
    await s.contact(id, 1, 'voicemail');
  }
  await refreshStoredRiskStates(t);
  counter.count = 0;
  const forMany = await dashboardPage(db, viewer, query, page, context);
  expect(forMany.rows).toHaveLength(21);
  expect(forMany.rows.every((row) => row.lastContact !== null)).toBe(true);
  expect(counter.count).toBe(queriesForOne);
  // Options (2), counts per level (1), the page (1), last contacts (1).
  expect(counter.count).toBeLessThanOrEqual(5);
});

test("an admin's dashboard runs the same number of queries for one flagged participant and for many", async () => {
  const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Admin Query') });
  const s = scenarioFor(coach);
  const counter = new QueryCounter();
  const db = t.database.db.withPlugin(counter);
  const viewer = { userId: admin.id, role: 'admin' as const, teamId: null, today: TODAY, timeZone: ZONE };
  const context = { now: clock.now(), timeZone: ZONE };
  const page = pageFromQuery({});
  const query = DashboardQuery.parse({ acknowledged: 'open' });
  await refreshStoredRiskStates(t);
  counter.count = 0;
  const before = await dashboardPage(db, viewer, query, page, context);
  const queriesBefore = counter.count;
  for (let index = 0; index < 60; index += 1) {
    await (index % 3 === 0 ? amberParticipant(s, `Breed ${index}`) : redParticipant(s, `Breed ${index}`));
  }
  await refreshStoredRiskStates(t);
  counter.count = 0;
  const after = await dashboardPage(db, viewer, query, page, context);
  expect(after.total).toBe(before.total + 60);
  expect(after.rows).toHaveLength(50);
  expect(counter.count).toBe(queriesBefore);
  expect(counter.count).toBe(5);
});

test('a participant whose stored state has expired shows as they are today once the upkeep job has run', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Verlopen') });
  const s = scenarioFor(coach);
  // Reached 14 days ago: amber today. Stored as yesterday's write left it: 13 days, calm, valid until today.
  const id = await s.participant({ reachedDaysAgo: 14 });
  await refreshStoredRiskStates(t);
  await refreshRiskStates(t.database.db, [id], clock.now().minus({ days: 1 }), ZONE);
  const stored = await t.database.db
    .selectFrom('participant_risk_states')
    .select(['level', 'valid_until'])
    .where('participant_id', '=', id)
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ level: 'none', valid_until: TODAY });
  const agent = await signedInAgent(t.app, coach);
  expect(rowIds((await agent.get('/dashboard')).text)).toEqual([]);

  await keepRiskStatesCurrent(t.database.db, clock.now(), ZONE);
  const html = (await agent.get('/dashboard')).text;
  expect(rowIds(html)).toEqual([id]);
  expect(rowText(html, id)).toContain('laatst bereikt 14 dagen geleden (09-11-2026)');
});

test("yesterday's stored reasons read with today's day counts", async () => {
  const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Gisteren') });
  const s = scenarioFor(coach);
  const id = await s.participant({ reachedDaysAgo: 20 });
  await refreshStoredRiskStates(t);
  await refreshRiskStates(t.database.db, [id], clock.now().minus({ days: 2 }), ZONE);
  const html = (await (await signedInAgent(t.app, coach)).get('/dashboard')).text;
  expect(rowText(html, id)).toContain('laatst bereikt 20 dagen geleden (03-11-2026)');
});

test('acknowledged in SQL as on the profile: a new signal brings the flag back, an eased one does not', async () => {
  const coach = await createTestUser(t.database, { role: 'coach', team: newTeamName('Gezien') });
  const s = scenarioFor(coach);
  const worse = await amberParticipant(s, 'Erger');
  const eased = await redParticipant(s, 'Minder');
  await refreshStoredRiskStates(t);
  for (const id of [worse, eased]) {
    await acknowledgeRisk(t.database.db, { userId: coach.id }, id, { note: 'Gezien.', snoozeUntil: null }, clock.now(), ZONE);
  }
  // Three failed calls: a new signal. Reached this morning: last_reached goes, no placement eases to amber.
  for (const hour of [10, 11, 12]) await s.contact(worse, 0, 'not_reached', { hour });
  await s.contact(eased, 0, 'reached', { hour: 8 });
  const open = await dashboardHtml(coach, '?acknowledged=open');
  expect(rowIds(open)).toEqual([worse]);
  expect(countsOf(open)).toEqual({ red: 1, amber: 0 });
  const seen = await dashboardHtml(coach, '?acknowledged=acknowledged');
  expect(rowIds(seen)).toEqual([eased]);
  expect(countsOf(seen)).toEqual({ red: 0, amber: 1 });
  expect(rowText(seen, eased)).toContain('Gezien door');
  expect(rowText(open, worse)).not.toContain('Gezien door');
});
