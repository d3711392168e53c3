import { FixedClock } from '../../src/lib/clock';
import { pageFromQuery } from '../../src/lib/pagination';
import { coachNamesOf, trendDataOf } from '../../src/caseloads/presentation';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { caseloadOverview } from '../../src/caseloads/service';
import { CASELOAD_COLUMNS, CaseloadQuery } from '../../src/caseloads/schemas';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  insertCommissioner,
  insertContactMoment,
  insertEmployer,
  insertGoal,
  insertParticipant,
  insertPlacement,
  insertTrajectory,
} from '../helpers/fixtures';
import { QueryCounter } from '../helpers/query-counter';
import { refreshStoredRiskStates } from '../helpers/risk-state';

// /dashboard/caseloads: one row per coach with team totals, scoped like every page, and the
// 12-week trend from the daily snapshots.

const ZONE = 'Europe/Amsterdam';
const TODAY = '2026-11-23';
const clock = new FixedClock('2026-11-23T10:00:00+01:00');

let t: TestApp;
let admin: UserFixture;
let managerNoord: UserFixture;
let managerZuid: UserFixture;
let anna: UserFixture;
let bram: UserFixture;
let cor: UserFixture;
let commissionerId: number;
let employerId: number;
let teamNoordId: number;
let teamZuidId: number;

async function participant(
  coach: UserFixture,
  lastName: string,
  options: { status?: 'intake' | 'active' | 'closed'; startedOn?: string | null } = {},
) {
  const status = options.status ?? 'active';
  const id = await insertParticipant(t.database.db, {
    first_name: 'Deelnemer',
    last_name: lastName,
    coach_id: coach.id,
    status,
    closed_on: status === 'closed' ? '2026-11-01' : null,
  });
  const startedOn = options.startedOn === undefined ? '2026-09-01' : options.startedOn;
  if (startedOn) {
    await insertTrajectory(t.database.db, {
      participant_id: id,
      commissioner_id: commissionerId,
      kind: 'jobcoaching',
      start_date: startedOn,
      granted_hours: 40,
    });
  }
  return id;
}

function contact(
  participantId: number,
  author: UserFixture,
  occurredAt: string,
  fields: { outcome?: 'reached' | 'not_reached'; counterpart?: 'participant' | 'employer'; next?: string } = {},
) {
  const outcome = fields.outcome ?? 'reached';
  return insertContactMoment(t.database.db, {
    participant_id: participantId,
    author_id: author.id,
    occurred_at: occurredAt,
    channel: 'phone',
    counterpart: fields.counterpart ?? 'participant',
    outcome,
    summary: outcome === 'reached' ? 'Gesproken.' : null,
    next_contact_date: fields.next ?? null,
  });
}

function activePlacement(participantId: number) {
  return insertPlacement(
    t.database.db,
    {
      participant_id: participantId,
      employer_id: employerId,
      kind: 'work_experience',
      job_title: 'Medewerker',
      start_date: '2026-09-15',
      status: 'active',
    },
    { hoursPerWeek: 16 },
  );
}

function achievedGoal(participantId: number, author: UserFixture, achievedOn: string) {
  return insertGoal(t.database.db, {
    participant_id: participantId,
    title: 'Doel',
    life_domain: 'work',
    status: 'achieved',
    achieved_on: achievedOn,
    created_by: author.id,
  });
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = await createTestUser(t.database, { role: 'admin' });
  managerNoord = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  managerZuid = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  anna = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Aalders' });
  bram = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Bram Bos' });
  cor = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Cor Claes' });
  const teams = await t.database.db.selectFrom('teams').select(['id', 'name']).execute();
  teamNoordId = teams.find((team) => team.name === 'Team Noord')!.id;
  teamZuidId = teams.find((team) => team.name === 'Team Zuid')!.id;
  commissionerId = await insertCommissioner(t.database.db, { name: 'Gemeente Test', kind: 'municipality' });
  employerId = await insertEmployer(t.database.db, { name: 'Kringloop Noord', sector: 'retail' });

  // Anna: a1 fine (reached 3 days ago, follow-up 1 day overdue, placement, goal 53 days ago);
  // a2 red (participant last reached 22 days ago, employer call yesterday, no placement, old goal);
  // a5 amber (started 3 days ago, no placement, no contacts); a3 closed and a4 in intake: not counted.
  const a1 = await participant(anna, 'Een');
  await contact(a1, anna, '2026-11-20T11:00:00+01:00', { next: '2026-11-22' });
  await activePlacement(a1);
  await achievedGoal(a1, anna, '2026-10-01');
  const a2 = await participant(anna, 'Twee');
  await contact(a2, anna, '2026-11-01T11:00:00+01:00');
  await contact(a2, anna, '2026-11-22T11:00:00+01:00', { counterpart: 'employer' });
  await achievedGoal(a2, anna, '2026-08-01');
  const a3 = await participant(anna, 'Drie', { status: 'closed' });
  await contact(a3, anna, '2026-11-21T11:00:00+01:00', { next: '2026-11-22' });
  await activePlacement(a3);
  await achievedGoal(a3, anna, '2026-11-01');
  const a4 = await participant(anna, 'Vier', { status: 'intake', startedOn: null });
  await contact(a4, anna, '2026-11-21T11:00:00+01:00');
  await participant(anna, 'Vijf', { startedOn: '2026-11-20' });

  // Bram: b1 amber (follow-up 6 days overdue), reached 13 days ago; a failed call at 00:30 local on
  // 17 November (still the 16th in UTC) counts within the last 7 days; one goal exactly 90 days ago does not.
  const b1 = await participant(bram, 'Een', { startedOn: '2026-06-01' });
  await contact(b1, bram, '2026-11-10T10:00:00+01:00', { next: '2026-11-13' });
  await contact(b1, bram, '2026-11-16T23:30:00Z', { outcome: 'not_reached', next: '2026-11-17' });
  await activePlacement(b1);
  await achievedGoal(b1, bram, '2026-11-01');
  await achievedGoal(b1, bram, '2026-08-25');

  // Cor (Team Zuid): one participant reached this morning.
  const c1 = await participant(cor, 'Een');
  await contact(c1, cor, '2026-11-23T08:00:00+01:00');
  await activePlacement(c1);
});
afterAll(() => t.close());

async function page(user: UserFixture, url = '/dashboard/caseloads') {
  await refreshStoredRiskStates(t);
  const agent = await signedInAgent(t.app, user);
  return agent.get(url);
}

/** Each row of a team table: the coach (or totals label) and the cells as shown. */
function rowsOf(html: string, teamId: number): string[][] {
  const table = new RegExp(`<table class="caseload-table" id="caseloads-${teamId}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (!table) return [];
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!
        // The figures only: not the trend link beside a coach's name, nor a cell's attention note.
        .replace(/<a [^>]*class="caseload-trend-link"[^>]*>[\s\S]*?<\/a>/g, '')
        .replace(/<span class="caseload-attention__note">[\s\S]*?<\/span>/g, '')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

describe('scope', () => {
  test('a manager sees the coaches of their own team only', async () => {
    const response = await page(managerNoord);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Anna Aalders');
    expect(response.text).toContain('Bram Bos');
    expect(response.text).not.toContain('Cor Claes');
    expect(response.text).not.toContain(`id="caseloads-${teamZuidId}"`);
    expect(response.text).toContain('href="/dashboard"');
    // Managers have no team filter; a crafted one changes nothing.
    const crafted = await page(managerNoord, `/dashboard/caseloads?team=${teamZuidId}`);
    expect(crafted.text).not.toContain('Cor Claes');
    expect(crafted.text).toContain('Anna Aalders');
  });

  test('an admin sees every team, and can filter on one', async () => {
    const all = await page(admin);
    expect(all.status).toBe(200);
    expect(all.text).toContain('Anna Aalders');
    expect(all.text).toContain('Cor Claes');
    expect(all.text).toContain('<select id="team" name="team">');
    const zuid = await page(admin, `/dashboard/caseloads?team=${teamZuidId}`);
    expect(zuid.text).toContain('Cor Claes');
    expect(zuid.text).not.toContain('Anna Aalders');
    expect(rowsOf(zuid.text, teamZuidId)[0]).toEqual(['Cor Claes', '1', '100 % (1)', '0', '0', '0', '1', '1', '0', '100 % (1)']);
  });

  test('coaches get a 404, and a nonsense query falls back to the defaults', async () => {
    expect((await page(anna)).status).toBe(404);
    const lenient = await page(managerNoord, '/dashboard/caseloads?sort=drop%20table&dir=sideways&team=abc');
    expect(lenient.status).toBe(200);
    expect(rowsOf(lenient.text, teamNoordId).map((row) => row[0])).toEqual(['Anna Aalders', 'Bram Bos', 'Totaal Team Noord']);
  });

  test('a manager of a team without coaches sees the empty state', async () => {
    const lonely = await createTestUser(t.database, { role: 'manager', team: 'Team Leeg' });
    const response = await page(lonely);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Geen jobcoaches in beeld');
  });
});

describe('figures', () => {
  test('every column per coach, and the team totals', async () => {
    const rows = rowsOf((await page(managerNoord)).text, teamNoordId);
    // coach, active, reached 14 d, red, amber, overdue, contacts 7 d, contacts 30 d, goals 90 d, active placement
    expect(rows).toEqual([
      ['Anna Aalders', '3', '33 % (1)', '1', '1', '1', '2', '3', '1', '33 % (1)'],
      ['Bram Bos', '1', '100 % (1)', '0', '1', '1', '1', '2', '1', '100 % (1)'],
      ['Totaal Team Noord', '4', '50 % (2)', '1', '2', '2', '3', '5', '2', '50 % (2)'],
    ]);
  });

  test('sorting by each column, both ways, with aria-sort on the sorted heading', async () => {
    await refreshStoredRiskStates(t);
    const agent = await signedInAgent(t.app, managerNoord);
    // Anna and Bram differ in every column except red/amber (Anna 1/1, Bram 0/1) and goals (1/1).
    const annaFirstWhenAscending: Record<string, boolean | null> = {
      coach: true,
      active: false,
      reachedPercent: true,
      red: false,
      amber: null,
      overdue: null,
      contacts7: false,
      contacts30: false,
      goalsAchieved90: null,
      placementPercent: true,
    };
    for (const column of CASELOAD_COLUMNS) {
      for (const dir of ['asc', 'desc'] as const) {
        const response = await agent.get(`/dashboard/caseloads?sort=${column}&dir=${dir}`);
        expect(response.status).toBe(200);
        const names = rowsOf(response.text, teamNoordId).map((row) => row[0]);
        const annaFirst = annaFirstWhenAscending[column];
        // Ties keep the name order in both directions.
        const expectAnnaFirst = annaFirst === null ? true : dir === 'asc' ? annaFirst : !annaFirst;
        expect([column, dir, names]).toEqual([
          column,
          dir,
          expectAnnaFirst ? ['Anna Aalders', 'Bram Bos', 'Totaal Team Noord'] : ['Bram Bos', 'Anna Aalders', 'Totaal Team Noord'],
        ]);
        expect(response.text).toContain(`aria-sort="${dir === 'asc' ? 'ascending' : 'descending'}"`);
        expect(response.text.match(/aria-sort=/g)).toHaveLength(1);
        // The sorted heading's link reverses the direction.
        expect(response.text).toContain(`href="/dashboard/caseloads?sort=${column}&amp;dir=${dir === 'asc' ? 'desc' : 'asc'}"`);
      }
    }
  });

  test('the service computes the figures in a fixed number of queries, whatever the caseload size', async () => {
    const counter = new QueryCounter();
    const db = t.database.db.withPlugin(counter);
    const viewer = { userId: admin.id, role: 'admin' as const, teamId: null, today: TODAY, timeZone: 'Europe/Amsterdam' };
    const query = CaseloadQuery.parse({});
    await refreshStoredRiskStates(t);
    await caseloadOverview(db, viewer, query, pageFromQuery({}), clock.now(), ZONE);
    counter.count = 0;
    await caseloadOverview(db, viewer, query, pageFromQuery({}), clock.now(), ZONE);
    const before = counter.count;
    const extra = await createTestUser(t.database, { role: 'coach', team: 'Team Extra', displayName: 'Erik Extra' });
    for (let index = 0; index < 12; index += 1) {
      const id = await participant(extra, `Extra${index}`);
      await contact(id, extra, '2026-11-21T11:00:00+01:00', { next: '2026-11-22' });
      await achievedGoal(id, extra, '2026-11-02');
    }
    await refreshStoredRiskStates(t);
    counter.count = 0;
    const overview = await caseloadOverview(db, viewer, query, pageFromQuery({}), clock.now(), ZONE);
    expect(overview.teams.find((team) => team.teamName === 'Team Extra')?.totals.active).toBe(12);
    expect(counter.count).toBe(before);
  });
});

describe('trend', () => {
  test('an empty state while there are no snapshots', async () => {
    const response = await page(managerZuid);
    expect(response.text).toContain('Nog geen momentopnames');
    expect(response.text).not.toContain('caseload-trend-data');
  });

  test('the trend table shows the latest snapshot of each week, for the coaches in view', async () => {
    const participants = await t.database.db
      .selectFrom('participants')
      .select(['id', 'coach_id'])
      .where('coach_id', 'in', [anna.id, bram.id, cor.id])
      .execute();
    const annaIds = participants.filter((row) => row.coach_id === anna.id).map((row) => row.id);
    const corId = participants.find((row) => row.coach_id === cor.id)!.id;
    const snapshot = (date: string, participantId: number, coachId: number, level: 'none' | 'amber' | 'red') => ({
      snapshot_date: date,
      participant_id: participantId,
      coach_id: coachId,
      team_id: coachId === cor.id ? teamZuidId : teamNoordId,
      level,
      signals: '[]',
    });
    await t.database.db
      .insertInto('risk_snapshots')
      .values([
        // Older than 12 weeks: not shown.
        snapshot('2026-08-01', annaIds[0]!, anna.id, 'red'),
        // Two readings in the week of 10–16 November: only the later one (the 16th) is shown.
        snapshot('2026-11-10', annaIds[0]!, anna.id, 'red'),
        snapshot('2026-11-16', annaIds[0]!, anna.id, 'amber'),
        snapshot('2026-11-16', annaIds[1]!, anna.id, 'red'),
        snapshot('2026-11-16', annaIds[2]!, anna.id, 'none'),
        snapshot('2026-11-23', annaIds[0]!, anna.id, 'none'),
        snapshot('2026-11-23', annaIds[1]!, anna.id, 'red'),
        snapshot('2026-11-23', annaIds[3]!, anna.id, 'amber'),
        // Another team's coach: never in Team Noord's trend.
        snapshot('2026-11-23', corId, cor.id, 'red'),
        snapshot('2026-09-01', corId, cor.id, 'amber'),
      ])
      .execute();
    const html = (await page(managerNoord)).text;
    const table = /<table id="caseload-trend-table"[^>]*>([\s\S]*?)<\/table>/.exec(html)![1]!;
    const rows = [...table.slice(table.indexOf('<tbody>')).matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!.trim()),
    );
    expect(rows).toEqual([
      ['16-11-2026', '1', '1'],
      ['23-11-2026', '1', '1'],
    ]);
    const data = JSON.parse(/<script type="application\/json" id="caseload-trend-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(data).toMatchObject({ labels: ['16-11-2026', '23-11-2026'], red: [1, 1], amber: [1, 1] });
    expect(html).toContain('<script src="/assets/js/caseload-trend.js" defer></script>');
    expect(html).toContain('<script src="/assets/vendor/chart.js/chart.umd.min.js" defer></script>');

    const zuid = (await page(admin, `/dashboard/caseloads?team=${teamZuidId}`)).text;
    const zuidData = JSON.parse(/<script type="application\/json" id="caseload-trend-data">([\s\S]*?)<\/script>/.exec(zuid)![1]!);
    expect(zuidData).toMatchObject({ labels: ['01-09-2026', '23-11-2026'], red: [0, 1], amber: [1, 0] });

    // An administrator without a team filter sees the whole organisation's day totals.
    const organisation = (await page(admin)).text;
    const organisationData = JSON.parse(
      /<script type="application\/json" id="caseload-trend-data">([\s\S]*?)<\/script>/.exec(organisation)![1]!,
    );
    expect(organisationData).toMatchObject({
      labels: ['01-09-2026', '16-11-2026', '23-11-2026'],
      red: [0, 1, 2],
      amber: [1, 1, 1],
    });
    expect(organisationData.title).toContain('de hele organisatie');
  });

  test("a coach's name cannot break out of the JSON block", async () => {
    const evil = await createTestUser(t.database, {
      role: 'coach',
      team: 'Team Kwaad',
      displayName: '</script><script>alert(1)</script>',
    });
    const manager = await createTestUser(t.database, { role: 'manager', team: 'Team Kwaad' });
    const id = await participant(evil, 'Kwaad');
    const teamId = (await t.database.db.selectFrom('users').select('team_id').where('id', '=', evil.id).executeTakeFirstOrThrow())
      .team_id;
    await t.database.db
      .insertInto('risk_snapshots')
      .values({ snapshot_date: TODAY, participant_id: id, coach_id: evil.id, team_id: teamId, level: 'red', signals: '[]' })
      .execute();
    const html = (await page(manager)).text;
    expect(html).not.toContain('<script>alert(1)');
    const block = /<script type="application\/json" id="caseload-trend-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toMatch(/</);
    expect(JSON.parse(block).title).toContain('</script><script>alert(1)</script>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('Chart.js and the chart script are served', async () => {
    const agent = await signedInAgent(t.app, managerNoord);
    const chart = await agent.get('/assets/vendor/chart.js/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers['content-type']).toMatch(/javascript/);
    const script = await agent.get('/assets/js/caseload-trend.js');
    expect(script.status).toBe(200);
  });
});

test('English', async () => {
  const english = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', locale: 'en' });
  const html = (await page(english)).text;
  expect(html).toContain('Caseload health');
  expect(html).toContain('Total Team Noord');
});

describe('pages of coaches', () => {
  const adminViewer = () => ({ userId: admin.id, role: 'admin' as const, teamId: null, today: TODAY, timeZone: ZONE });

  test('the service pages in SQL: each team keeps its totals over all its coaches, and the total counts every coach', async () => {
    await refreshStoredRiskStates(t);
    const query = CaseloadQuery.parse({ sort: 'red', dir: 'desc' });
    const all = await caseloadOverview(t.database.db, adminViewer(), query, pageFromQuery({}), clock.now(), ZONE);
    const coachesInOrder = all.teams.flatMap((team) => team.coaches.map((coach) => coach.coachId));
    expect(all.pagination.total).toBe(coachesInOrder.length);
    expect(all.coachesInView).toBe(coachesInOrder.length);

    const seen: number[] = [];
    for (let number = 1; number <= all.pagination.total; number += 1) {
      const onPage = await caseloadOverview(
        t.database.db,
        adminViewer(),
        query,
        pageFromQuery({ page: String(number) }, 1),
        clock.now(),
        ZONE,
      );
      expect(onPage.teams).toHaveLength(1);
      expect(onPage.pagination).toMatchObject({ number, total: all.pagination.total, totalPages: all.pagination.total });
      const [team] = onPage.teams;
      // A team split over pages shows the totals of all its coaches on each.
      expect(team!.totals).toEqual(all.teams.find((whole) => whole.teamId === team!.teamId)!.totals);
      seen.push(...team!.coaches.map((coach) => coach.coachId));
    }
    expect(seen).toEqual(coachesInOrder);
    const past = await caseloadOverview(
      t.database.db,
      adminViewer(),
      query,
      pageFromQuery({ page: '999' }, 1),
      clock.now(),
      ZONE,
    );
    expect(past.teams).toEqual([]);
    expect(past.pagination.total).toBe(all.pagination.total);
  });

  test('more than 50 coaches: 50 on the first page, the rest behind a link that keeps the sort and the team', async () => {
    const teamId = (
      await t.database.db.insertInto('teams').values({ name: 'Team Groot' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    await t.database.db
      .insertInto('users')
      .values(
        Array.from({ length: 52 }, (_, index) => ({
          email: `groot${index}@example.test`,
          display_name: `Coach Groot ${String(index).padStart(2, '0')}`,
          role: 'coach' as const,
          team_id: teamId,
          password_hash: null,
        })),
      )
      .execute();
    const agent = await signedInAgent(t.app, admin);
    const first = await agent.get(`/dashboard/caseloads?team=${teamId}&sort=coach&dir=asc`);
    expect(first.status).toBe(200);
    expect(first.text.match(/data-coach-id=/g)).toHaveLength(50);
    expect(first.text).toContain('Coach Groot 00');
    expect(first.text).not.toContain('Coach Groot 50');
    expect(first.text).toContain(`href="?team=${teamId}&amp;sort=coach&amp;dir=asc&amp;page=2"`);
    // The trend covers all 52: its label counts them instead of naming the page's 50.
    const query = CaseloadQuery.parse({ team: String(teamId) });
    const overview = await caseloadOverview(t.database.db, adminViewer(), query, pageFromQuery({}), clock.now(), ZONE);
    const translate = translatorFor('nl');
    const label = JSON.parse(trendDataOf(overview, coachNamesOf(overview), translate, createFormatters('nl', ZONE))) as {
      title: string;
    };
    expect(label.title).toContain('alle 52 coaches in beeld');
    const second = await agent.get(`/dashboard/caseloads?team=${teamId}&sort=coach&dir=asc&page=2`);
    expect(second.text.match(/data-coach-id=/g)).toHaveLength(2);
    expect(second.text).toContain('Coach Groot 51');
  });
});
